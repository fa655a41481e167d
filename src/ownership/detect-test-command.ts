import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** A test command found in a repository, with the file that says so. */
export interface DetectedTestCommand {
  argv: string[];
  /** What it was read from, for the person reading `guild init`'s output. */
  from: string;
}

// `npm init` writes this script; it fails by design, so it is no test command.
const NPM_PLACEHOLDER = /no test specified/;

/**
 * The command that runs a repository's tests: package.json `scripts.test` (with the package manager its
 * lockfile names), a Makefile `test` target, pytest, `go test ./...` or `cargo test`; undefined if none.
 * @example detectTestCommand("/repo")?.argv // ["npm", "test"]
 */
export function detectTestCommand(
  repoDir: string,
  files: readonly string[],
): DetectedTestCommand | undefined {
  const has = (file: string) => existsSync(join(repoDir, file));
  const read = (file: string) => (has(file) ? readFileSync(join(repoDir, file), "utf8") : "");
  if (has("package.json")) {
    let test: unknown;
    try {
      test = (JSON.parse(read("package.json")) as { scripts?: Record<string, unknown> }).scripts?.test;
    } catch {
      test = undefined;
    }
    if (typeof test === "string" && test.trim() !== "" && !NPM_PLACEHOLDER.test(test)) {
      const manager = has("pnpm-lock.yaml")
        ? "pnpm"
        : has("yarn.lock")
          ? "yarn"
          : has("bun.lockb") || has("bun.lock")
            ? "bun"
            : "npm";
      return { argv: [manager, "test"], from: `package.json scripts.test (${test})` };
    }
  }
  const makefile = ["Makefile", "makefile", "GNUmakefile"].find(has);
  if (makefile && /^test\s*:/m.test(read(makefile)))
    return { argv: ["make", "test"], from: `${makefile} target test` };
  const pythonConfig = ["pytest.ini", "pyproject.toml", "setup.cfg", "tox.ini"].find(
    (f) => has(f) && (f === "pytest.ini" || /pytest/.test(read(f))),
  );
  const pythonTests = files.some((f) => /(?:^|\/)test_[^/]*\.py$|_test\.py$/.test(f));
  if (pythonConfig || pythonTests)
    return { argv: ["python3", "-m", "pytest"], from: pythonConfig ?? "test_*.py files" };
  if (has("go.mod")) return { argv: ["go", "test", "./..."], from: "go.mod" };
  if (has("Cargo.toml")) return { argv: ["cargo", "test"], from: "Cargo.toml" };
  return undefined;
}
