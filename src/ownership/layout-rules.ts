import type { OwnershipRuleConfig } from "../protocol/index.js";

/** Folder names that say which built-in role a folder belongs to. */
const FOLDER_ROLES: Record<string, string> = {
  api: "backend",
  server: "backend",
  backend: "backend",
  web: "frontend",
  ui: "frontend",
  components: "frontend",
  frontend: "frontend",
  test: "tests",
  tests: "tests",
  spec: "tests",
  __tests__: "tests",
  docs: "docs",
  doc: "docs",
  auth: "security",
  crypto: "security",
  security: "security",
};

// Source roots that go to the backend role when no folder says otherwise, so that a library with only
// `src/` still has an owner for its code.
const SOURCE_ROOTS = new Set(["src", "lib", "pkg", "cmd", "internal", "app"]);
const TEST_FILE = /(?:\.(?:test|spec)\.[cm]?[jt]sx?|_test\.go|(?:^|\/)test_[^/]*\.py|_test\.py)$/;

/**
 * Ownership rules proposed from a repository's layout: one rule per outermost folder whose name names a
 * role (deeper folders come later so they win), test files by name, and `docs/` for the docs role.
 * @example proposeLayoutRules(["src/api/a.ts", "src/api/auth/t.ts"]).map((r) => r.pattern) // ["/src/api/", "/src/api/auth/", "/docs/"]
 */
export function proposeLayoutRules(files: readonly string[]): OwnershipRuleConfig[] {
  const found = new Map<string, { role: string; depth: number }>();
  const sourceRoots = new Set<string>();
  let testFiles = false;
  let rootPython = false;
  for (const file of files) {
    const parts = file.split("/");
    if (TEST_FILE.test(file)) testFiles = true;
    if (parts.length === 1 && file.endsWith(".py")) rootPython = true;
    const roleAbove: string[] = [];
    for (let depth = 0; depth < parts.length - 1; depth++) {
      const name = (parts[depth] as string).toLowerCase();
      const role = FOLDER_ROLES[name];
      const folder = parts.slice(0, depth + 1).join("/");
      if (depth === 0 && SOURCE_ROOTS.has(name)) sourceRoots.add(folder);
      if (role === undefined) continue;
      // A folder inside one of the same role adds nothing.
      if (roleAbove[roleAbove.length - 1] !== role && !found.has(folder)) found.set(folder, { role, depth });
      roleAbove.push(role);
    }
  }
  const byDepth = [...found].sort((a, b) => a[1].depth - b[1].depth || a[0].localeCompare(b[0]));
  const hasCodeRole = byDepth.some(([, f]) => f.role === "backend" || f.role === "frontend");
  const rules: OwnershipRuleConfig[] = [];
  const add = (pattern: string, role: string) =>
    rules.push({ pattern, owners: [`@${role}`], protect: false });
  if (!hasCodeRole) {
    for (const root of [...sourceRoots].sort()) add(`/${root}/`, "backend");
    if (sourceRoots.size === 0 && rootPython) add("/*.py", "backend");
  }
  for (const [folder, { role }] of byDepth) if (role !== "security") add(`/${folder}/`, role);
  if (testFiles) {
    for (const pattern of ["*.test.*", "*.spec.*", "*_test.go", "test_*.py", "*_test.py"]) {
      if (files.some((f) => matchesTestGlob(pattern, f))) add(pattern, "tests");
    }
  }
  // Security last: an auth folder inside the API is the security role's, whatever encloses it.
  for (const [folder, { role }] of byDepth) if (role === "security") add(`/${folder}/`, role);
  if (!rules.some((r) => r.pattern === "/docs/")) add("/docs/", "docs");
  return rules;
}

function matchesTestGlob(pattern: string, file: string): boolean {
  const base = file.slice(file.lastIndexOf("/") + 1);
  if (pattern === "*.test.*") return /\.test\.[^/]+$/.test(base);
  if (pattern === "*.spec.*") return /\.spec\.[^/]+$/.test(base);
  if (pattern === "*_test.go") return base.endsWith("_test.go");
  if (pattern === "test_*.py") return base.startsWith("test_") && base.endsWith(".py");
  return base.endsWith("_test.py");
}

/** The role a CODEOWNERS handle most likely stands for, from words in its name (`@org/web-team` → frontend). */
export function guessRoleOfHandle(handle: string): string | undefined {
  const words = handle
    .toLowerCase()
    .replace(/^@/, "")
    .split(/[^a-z0-9]+/);
  const has = (...names: string[]) => words.some((w) => names.includes(w));
  if (has("security", "sec", "appsec", "auth", "crypto", "infosec")) return "security";
  if (has("docs", "doc", "documentation", "writers", "techwriters")) return "docs";
  if (has("test", "tests", "testing", "qa", "quality")) return "tests";
  if (has("frontend", "front", "web", "ui", "ux", "design")) return "frontend";
  if (has("backend", "back", "api", "server", "services", "platform")) return "backend";
  return undefined;
}
