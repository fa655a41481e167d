import { createHash } from "node:crypto";
import { existsSync, lstatSync, realpathSync, rmdirSync, symlinkSync } from "node:fs";
import { homedir } from "node:os";
import { basename, dirname, join, resolve, sep } from "node:path";

/** guild's own folder: `GUILD_HOME`, else `$XDG_STATE_HOME/guild`, else `~/.guild`. */
export function guildHome(env: NodeJS.ProcessEnv = process.env): string {
  if (env.GUILD_HOME) return resolve(env.GUILD_HOME);
  if (env.XDG_STATE_HOME) return join(resolve(env.XDG_STATE_HOME), "guild");
  return join(homedir(), ".guild");
}

/**
 * The folder that holds one repository's worktrees under a home (`<home>/worktrees/<name>-<hash>`), outside
 * the checkout so that the repository's own tools (test runners, watchers, linters) never see them.
 * @example worktreeRoot("/src/app", "/home/me/.guild") // "/home/me/.guild/worktrees/app-1a2b3c4d5e6f"
 */
export function worktreeRoot(repoDir: string, home: string = guildHome()): string {
  const full = resolve(repoDir);
  const real = existsSync(full) ? realpathSync(full) : full;
  const hash = createHash("sha256").update(real).digest("hex").slice(0, 12);
  const name = basename(real).replace(/[^A-Za-z0-9._-]/g, "_") || "repo";
  return join(home, "worktrees", `${name}-${hash}`);
}

// Installed dependencies at the repository root that a worktree elsewhere cannot find by walking up.
const DEPENDENCY_DIRS = ["node_modules", ".venv"];

/**
 * Links the checkout's installed dependencies (node_modules, .venv) into a worktree outside it, so its
 * tests run as they do in the checkout; the links are excluded from git, so no commit picks them up.
 */
export function linkDependencies(repoDir: string, worktreeDir: string): void {
  for (const name of DEPENDENCY_DIRS) {
    const source = join(repoDir, name);
    const link = join(worktreeDir, name);
    if (!existsSync(source) || existsSync(link) || isLink(link)) continue;
    symlinkSync(source, link, "dir");
  }
}

/** The lines `linkDependencies` needs in the repository's `info/exclude` (a symlink is no directory to `name/`). */
export const DEPENDENCY_EXCLUDES: readonly string[] = DEPENDENCY_DIRS.map((name) => `/${name}`);

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Removes the folders above a removed worktree that it leaves empty, up to (not including) `<home>/worktrees`. */
export function removeEmptyParents(worktreeDir: string, home: string = guildHome()): void {
  const top = join(home, "worktrees");
  let dir = dirname(resolve(worktreeDir));
  while (dir.startsWith(`${top}${sep}`)) {
    try {
      rmdirSync(dir);
    } catch {
      return; // not empty (another worktree of this repository), or already gone
    }
    dir = dirname(dir);
  }
}
