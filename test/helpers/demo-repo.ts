import { cpSync } from "node:fs";
import { join } from "node:path";
import { git } from "./git-repo.js";
import { tempDir } from "./temp-dir.js";

/** A fresh git repository holding a copy of examples/demo-app, removed on dispose. */
export function demoRepo() {
  const dir = tempDir("guild-demo-");
  cpSync(join(import.meta.dirname, "..", "..", "examples", "demo-app"), dir.path, {
    recursive: true,
    filter: (src) => !src.includes("node_modules"),
  });
  git(dir.path, "init", "-q", "-b", "main");
  git(dir.path, "add", "-A");
  git(dir.path, "commit", "-q", "-m", "demo app");
  return Object.assign(dir, { git: (...args: string[]) => git(dir.path, ...args) });
}
