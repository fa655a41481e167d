import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "./temp-dir.js";

/**
 * A `git` that logs its arguments and runs the real one, for counting git processes without mocking:
 * `during(fn)` puts it first on PATH while `fn` runs; `calls()` gives the subcommands run so far.
 */
export function loggingGit() {
  const bin = tempDir("guild-git-log-");
  const log = join(bin.path, "calls.log");
  writeFileSync(
    join(bin.path, "git"),
    `#!/bin/sh\necho "$*" >> "${log}"\nPATH="${process.env.PATH}" exec git "$@"\n`,
  );
  chmodSync(join(bin.path, "git"), 0o755);
  return {
    async during<T>(fn: () => Promise<T>): Promise<T> {
      const path = process.env.PATH;
      process.env.PATH = `${bin.path}:${path}`;
      try {
        return await fn();
      } finally {
        process.env.PATH = path;
      }
    },
    /** The subcommand of each git run so far (global `-c` options dropped). */
    calls(): string[] {
      if (!existsSync(log)) return [];
      return readFileSync(log, "utf8")
        .trim()
        .split("\n")
        .map((c) => c.replace(/^(-c \S+ )*/, "").split(" ")[0] ?? "");
    },
    [Symbol.dispose]() {
      bin[Symbol.dispose]();
    },
  };
}
