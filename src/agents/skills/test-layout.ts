import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** The test runners the tests skill writes for. */
export type TestRunner = "vitest" | "jest" | "mocha" | "node:test";

/** Which runner a repository uses and where its existing tests live, so new tests go where it finds them. */
export interface TestLayout {
  runner: TestRunner;
  /** Folder of the repository's existing tests; undefined means `test/characterization`. */
  dir?: string;
  /** `.test.ts` or `.spec.ts`, as the existing tests are named. */
  suffix: string;
  /** Whether the existing tests import their globals from `@jest/globals`. */
  jestGlobals: boolean;
}

/**
 * Reads the runner from package.json (the test script, then the dependencies) and takes the folder and
 * suffix of the existing tests, which the runner's configuration evidently finds.
 * @example detectTestLayout("/repo", ["src/__tests__/index.spec.ts"]) // { runner: "jest", dir: "src/__tests__", suffix: ".spec.ts", … }
 */
export function detectTestLayout(workdir: string, testFiles: readonly string[]): TestLayout {
  const runner = detectRunner(workdir);
  const existing = [...testFiles]
    .filter((f) => /\.(?:test|spec)\.[cm]?tsx?$/.test(f))
    .sort((a, b) => a.split("/").length - b.split("/").length || a.localeCompare(b))[0];
  if (runner === "node:test" || existing === undefined) {
    return { runner, suffix: ".test.ts", jestGlobals: false };
  }
  const slash = existing.lastIndexOf("/");
  const text = readFileSync(join(workdir, existing), "utf8");
  return {
    runner,
    ...(slash > 0 ? { dir: existing.slice(0, slash) } : {}),
    suffix: /\.spec\.[cm]?tsx?$/.test(existing) ? ".spec.ts" : ".test.ts",
    jestGlobals: /from\s+["']@jest\/globals["']/.test(text),
  };
}

function detectRunner(workdir: string): TestRunner {
  const file = join(workdir, "package.json");
  if (!existsSync(file)) return "node:test";
  let pkg: { scripts?: Record<string, string>; dependencies?: object; devDependencies?: object };
  try {
    pkg = JSON.parse(readFileSync(file, "utf8")) as typeof pkg;
  } catch {
    return "node:test";
  }
  const script = pkg.scripts?.test ?? "";
  const deps = { ...pkg.dependencies, ...pkg.devDependencies };
  for (const runner of ["vitest", "jest", "mocha"] as const) {
    if (new RegExp(`\\b${runner}\\b`).test(script)) return runner;
  }
  for (const runner of ["vitest", "jest", "mocha"] as const) if (runner in deps) return runner;
  return "node:test";
}
