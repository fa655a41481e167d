import { refuse } from "./define-tool.js";
import { type ResolvedPath, resolveInWorktree } from "./sandbox-path.js";
import type { ToolContext } from "./tool-context.js";

/** Resolves a path for writing and checks that the role owns it and it is not protected. */
export function guardWrite(context: ToolContext, path: string): ResolvedPath {
  const resolved = resolveInWorktree(context.workdir, path, { forWrite: true });
  if (context.ownership.isProtected(resolved.rel)) {
    throw refuse(`${resolved.rel} is a protected path; only a person may change it`, resolved.rel);
  }
  if (!context.ownership.canWrite(context.role, resolved.rel)) {
    throw refuse(`role ${context.role} does not own ${resolved.rel}`, resolved.rel);
  }
  context.written.add(resolved.rel);
  return resolved;
}
