import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { tempDir } from "./temp-dir.js";

const GIT_ENV = {
  GIT_AUTHOR_NAME: "guild-test",
  GIT_AUTHOR_EMAIL: "test@guild.invalid",
  GIT_COMMITTER_NAME: "guild-test",
  GIT_COMMITTER_EMAIL: "test@guild.invalid",
};

export function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd, encoding: "utf8", env: { ...process.env, ...GIT_ENV } }).trim();
}

/** A real git repository in a temp dir with the given files committed on `main`; removed on dispose. */
export function tempRepo(files: Record<string, string> = { "README.md": "# test\n" }) {
  const dir = tempDir("guild-repo-");
  git(dir.path, "init", "-q", "-b", "main");
  git(dir.path, "config", "user.name", "guild-test");
  git(dir.path, "config", "user.email", "test@guild.invalid");
  writeFiles(dir.path, files);
  git(dir.path, "add", "-A");
  git(dir.path, "commit", "-q", "-m", "initial");
  return Object.assign(dir, {
    head: () => git(dir.path, "rev-parse", "HEAD"),
    git: (...args: string[]) => git(dir.path, ...args),
    write: (more: Record<string, string>) => writeFiles(dir.path, more),
  });
}

export function writeFiles(root: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    const full = join(root, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
}
