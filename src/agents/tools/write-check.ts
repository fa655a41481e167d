import { isGuildError } from "../../protocol/index.js";
import { resolveInWorktree } from "./sandbox-path.js";
import type { ToolContext } from "./tool-context.js";
import { guardWrite } from "./write-guard.js";

/** A write to another role's path, kept so the owner gets it as a change request. */
export interface ForeignWrite {
  path: string;
  /** The file as the agent wanted it; undefined when the agent deleted it. */
  content: string | undefined;
  owner: string;
}

/** The verdict on a write an external agent is about to make, or made, by its own means. */
export type WriteCheck =
  | { ok: true; path: string }
  | { ok: false; reason: string; path?: string; changeRequestTo?: string };

/**
 * Checks a write with the same guard as `write_file` (confinement, protected paths, ownership). A
 * write to a path another role owns is recorded in `foreign` (when `content` is known and the policy
 * sends foreign writes as change requests), and the reason tells the agent so, not to retry it.
 */
export function checkWrite(
  context: ToolContext,
  path: string,
  content: string | undefined | null,
  foreign: Map<string, ForeignWrite> | undefined,
): WriteCheck {
  try {
    return { ok: true, path: guardWrite(context, path).rel };
  } catch (error) {
    if (!isGuildError(error, "sandbox.denied")) throw error;
    const rel = typeof error.details?.path === "string" ? error.details.path : undefined;
    const owner = rel === undefined ? undefined : foreignOwner(context, rel);
    if (rel === undefined || owner === undefined || content === null || foreign === undefined) {
      return { ok: false, reason: error.message, ...(rel === undefined ? {} : { path: rel }) };
    }
    foreign.set(rel, { path: rel, content, owner });
    return {
      ok: false,
      path: rel,
      changeRequestTo: owner,
      reason: `${error.message}; your change to it was recorded and goes to role ${owner} as a change request, so do not retry it: continue with the paths you own`,
    };
  }
}

/** The role that owns `rel` when the only reason to refuse it is that another role owns it. */
function foreignOwner(context: ToolContext, rel: string): string | undefined {
  try {
    resolveInWorktree(context.workdir, rel, { forWrite: true });
  } catch {
    return undefined;
  }
  if (context.ownership.isProtected(rel)) return undefined;
  return context.ownership.rolesOf?.(rel).find((role) => role !== context.role);
}
