import type { OwnershipMatcher } from "../../ownership/index.js";
import { type PlanDraftTask, type ProvidedExport, parseContractLine } from "../../protocol/index.js";
import { cleanExpectedPath, probePath } from "./plan-paths.js";

/**
 * A drafted task's declared exports, structured: lines of text are parsed, and a contract that does not
 * parse or names a module the task's role does not own is dropped with a repair note (a role can only
 * provide what it may write).
 */
export function checkProvides(
  task: PlanDraftTask,
  id: string,
  role: string | undefined,
  matcher: OwnershipMatcher,
  repairs: string[],
): ProvidedExport[] | undefined {
  if (task.provides === undefined) return undefined;
  const out: ProvidedExport[] = [];
  for (const raw of task.provides) {
    const given = typeof raw === "string" ? parseContractLine(raw) : raw;
    // A model asked for every field says "" for a contract on the name only.
    const parsed = given && !given.signature?.trim() ? { path: given.path, symbol: given.symbol } : given;
    if (!parsed) {
      repairs.push(
        `task ${id}: dropped contract ${JSON.stringify(raw)}: write it as "exports <signature> from <path>"`,
      );
      continue;
    }
    const cleaned = cleanExpectedPath(parsed.path);
    const path = cleaned.ok ? cleaned.path.replace(/^\//, "") : undefined;
    if (
      path === undefined ||
      /[*?[]/.test(path) ||
      (role !== undefined && !matcher.rolesOf(probePath(path)).includes(role))
    ) {
      repairs.push(`task ${id}: dropped contract on ${parsed.path}: ${role ?? "its role"} does not own it`);
      continue;
    }
    if (out.some((p) => p.path === path && p.symbol === parsed.symbol)) continue;
    out.push({ ...parsed, path });
  }
  return out;
}
