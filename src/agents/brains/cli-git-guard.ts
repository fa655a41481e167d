import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { gitSync } from "../../git/index.js";

/** The git files an external agent could use to run code later: config (fsmonitor, hooksPath) and hooks. */
export interface GitControlSnapshot {
  files: Map<string, Buffer | undefined>;
  hooksDir: string;
}

function gitPath(workdir: string, name: string): string {
  return gitAnswer(workdir, ["rev-parse", "--git-path", name]);
}

function gitAnswer(workdir: string, args: string[]): string {
  const path = gitSync(workdir, args).trim();
  return isAbsolute(path) ? path : join(workdir, path);
}

function read(path: string): Buffer | undefined {
  return existsSync(path) && statSync(path).isFile() ? readFileSync(path) : undefined;
}

/** Records the git config and hooks of a worktree before an external agent runs in it. */
export function snapshotGitControl(workdir: string): GitControlSnapshot {
  // The repository's own hooks folder: `--git-path hooks` would name guild's core.hooksPath=/dev/null.
  const hooksDir = join(gitAnswer(workdir, ["rev-parse", "--git-common-dir"]), "hooks");
  const files = new Map<string, Buffer | undefined>();
  for (const name of ["config", "config.worktree"]) {
    const path = gitPath(workdir, name);
    files.set(path, read(path));
  }
  if (existsSync(hooksDir))
    for (const hook of readdirSync(hooksDir)) files.set(join(hooksDir, hook), read(join(hooksDir, hook)));
  return { files, hooksDir };
}

/**
 * Puts back any git config or hook the agent changed or added, since they would run code in
 * guild's own git operations later (`core.fsmonitor`, hooks); returns the paths restored.
 */
export function restoreGitControl(snapshot: GitControlSnapshot): string[] {
  const restored: string[] = [];
  const now = new Set(snapshot.files.keys());
  if (existsSync(snapshot.hooksDir))
    for (const hook of readdirSync(snapshot.hooksDir)) now.add(join(snapshot.hooksDir, hook));
  for (const path of now) {
    const before = snapshot.files.get(path);
    const after = read(path);
    if (before === undefined && after === undefined) continue;
    if (before !== undefined && after !== undefined && before.equals(after)) continue;
    if (before === undefined) rmSync(path, { force: true });
    else writeFileSync(path, before);
    restored.push(path);
  }
  return restored;
}
