import { isIgnoredPath } from "../../git/index.js";
import { refuse } from "./define-tool.js";
import { type ResolvedPath, resolveInWorktree } from "./sandbox-path.js";
import type { ToolContext } from "./tool-context.js";

/**
 * Resolves a path for writing and checks that the role owns it, it is not protected, and the repository
 * does not ignore it (a commit would silently drop it) unless the config force-adds ignored paths.
 */
export function guardWrite(context: ToolContext, path: string): ResolvedPath & { ignored: boolean } {
  const resolved = resolveInWorktree(context.workdir, path, { forWrite: true });
  if (context.ownership.isProtected(resolved.rel)) {
    throw refuse(`${resolved.rel} is a protected path; only a person may change it`, resolved.rel);
  }
  if (!context.ownership.canWrite(context.role, resolved.rel)) {
    throw refuse(`role ${context.role} does not own ${resolved.rel}`, resolved.rel);
  }
  const ignored = isIgnoredPath(context.workdir, resolved.rel);
  if (ignored && !context.forceAddIgnored) {
    throw refuse(
      `${resolved.rel} is ignored by the repository (.gitignore), so it would not be committed; write elsewhere, or set forceAddIgnored: true in guild.yaml`,
      resolved.rel,
    );
  }
  context.written.add(resolved.rel);
  return { ...resolved, ignored };
}
