import { mkdir, rm, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { gitText } from "../../git/index.js";
import type { OwnershipMatcher } from "../../ownership/index.js";
import { GuildError } from "../../protocol/index.js";
import { declaredNoChange } from "../brains/index.js";
import { type ForeignWrite, resolveInWorktree } from "../tools/index.js";

/** What a brain's run left to judge: refused writes, the first failed step, its summary. */
export interface AttemptTrace {
  refusals: string[];
  firstError?: string | undefined;
}

/** The paths a role owns and the protected ones, as an external agent's prompt lists them. */
export function scopeOf(matcher: OwnershipMatcher, role: string): { owns: string[]; protected: string[] } {
  const owns: string[] = [];
  const guarded: string[] = [];
  for (const rule of matcher.rules) {
    if (rule.protect || rule.owners.includes("@human")) guarded.push(rule.pattern);
    else if (rule.owners.some((o) => o === role || matcher.roleOfOwner(o) === role)) owns.push(rule.pattern);
  }
  return { owns, protected: guarded };
}

/**
 * Puts the writes an agent was refused on other roles' paths into the worktree, so they travel in the
 * proposal and the review sends each owner its part as a change request (the agent keeps only its own).
 */
export async function applyForeignWrites(workdir: string, writes: readonly ForeignWrite[]): Promise<void> {
  for (const write of writes) {
    const { abs } = resolveInWorktree(workdir, write.path, { forWrite: true });
    if (write.content === undefined) await rm(abs, { force: true });
    else {
      await mkdir(dirname(abs), { recursive: true });
      await writeFile(abs, write.content);
    }
  }
}

async function worktreeChanged(workdir: string): Promise<boolean> {
  // guild's own git: status runs a planted clean filter on any file whose stat changed.
  return (await gitText(workdir, ["status", "--porcelain", "--untracked-files=all"])) !== "";
}

/**
 * No silent success: an attempt that changed nothing passes only when the agent said why no change was
 * needed ("No changes needed: …"); the summary then says so. Otherwise it fails with the cause: its only
 * writes were refused, its first error, or that it gave no reason.
 */
export async function judgeNoChange(workdir: string, summary: string, trace: AttemptTrace): Promise<string> {
  if (await worktreeChanged(workdir)) return summary;
  const reason = declaredNoChange(summary);
  if (reason) return `No changes were needed: ${reason}`;
  const cause =
    trace.refusals.length > 0
      ? `its only writes were refused: ${trace.refusals[0]}`
      : trace.firstError
        ? `first error: ${trace.firstError}`
        : 'it did not say why (an agent that finds nothing to change must say "No changes needed:" and the reason)';
  throw new GuildError("brain.failed", `the attempt made no change; ${cause}`);
}
