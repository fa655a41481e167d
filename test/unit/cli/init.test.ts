import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runInit } from "../../../src/cli/commands/init.js";
import { collectOutput } from "../../../src/cli/output.js";
import { loadOwnership } from "../../../src/ownership/index.js";
import { tempRepo } from "../../helpers/git-repo.js";

const OFFLINE = {};

async function init(files: Record<string, string>, options: Partial<Parameters<typeof runInit>[0]> = {}) {
  const repo = tempRepo(files);
  const output = collectOutput();
  const code = await runInit({ repoDir: repo.path, yes: true, env: OFFLINE, ...options }, output);
  return { repo, output, code, report: output.errors.join("\n") };
}

describe("guild init on repositories of several layouts", () => {
  it("a JS app: rules from the layout, npm test, lockfile protected, offline brains, coverage", async () => {
    const { repo, code, report } = await init({
      "package.json": JSON.stringify({ scripts: { test: "vitest run" } }),
      "package-lock.json": "{}",
      "src/api/users.ts": "",
      "src/api/auth/session.ts": "",
      "src/components/Button.tsx": "",
      "src/util.ts": "",
      "test/users.test.ts": "",
      "docs/guide.md": "",
    });
    using _ = repo;
    expect(code).toBe(0);
    const { matcher, config } = await loadOwnership({ repoDir: repo.path });
    expect(matcher.rolesOf("src/api/users.ts")).toEqual(["backend"]);
    expect(matcher.rolesOf("src/api/auth/session.ts")).toEqual(["security"]);
    expect(matcher.rolesOf("src/components/Button.tsx")).toEqual(["frontend"]);
    expect(matcher.rolesOf("test/users.test.ts")).toEqual(["tests"]);
    expect(matcher.rolesOf("docs/guide.md")).toEqual(["docs"]);
    expect(matcher.isProtected("package-lock.json")).toBe(true);
    expect(config.testCommand).toEqual(["npm", "test"]);
    expect(Object.keys(config.roles).sort()).toEqual(["backend", "docs", "frontend", "security", "tests"]);
    expect(config.roles.backend?.brain).toEqual({ kind: "offline" });
    expect(report).toContain("tests: npm test (from package.json scripts.test (vitest run))");
    expect(report).toContain("protected (only a person may change): package-lock.json");
    expect(report).toMatch(/coverage: \d+\.\d% of 8 tracked files have an owner/);
  });

  it("a library with only src/: its code goes to backend, spec files to tests", async () => {
    const { repo, report } = await init({
      "package.json": JSON.stringify({ scripts: { test: 'echo "Error: no test specified" && exit 1' } }),
      "src/index.ts": "",
      "src/__tests__/index.spec.ts": "",
      Makefile: "build:\n\ttsc\ntest:\n\tnode --test\n",
    });
    using _ = repo;
    const { matcher, config } = await loadOwnership({ repoDir: repo.path });
    expect(matcher.rolesOf("src/index.ts")).toEqual(["backend"]);
    expect(matcher.rolesOf("src/__tests__/index.spec.ts")).toEqual(["tests"]);
    // npm's placeholder script fails by design, so the Makefile's target is the test command.
    expect(config.testCommand).toEqual(["make", "test"]);
    expect(report).toContain("from Makefile target test");
  });

  it("a Python project: pytest, the package folders, and an LLM brain when a key is set", async () => {
    const { repo, report } = await init(
      {
        "pyproject.toml": "[tool.pytest.ini_options]\n",
        "app/server/routes.py": "",
        "app/security/tokens.py": "",
        "tests/test_routes.py": "",
        ".gitlab-ci.yml": "test: {}\n",
      },
      { env: { OPENAI_API_KEY: "sk-test" } },
    );
    using _ = repo;
    const { matcher, config } = await loadOwnership({ repoDir: repo.path });
    expect(matcher.rolesOf("app/server/routes.py")).toEqual(["backend"]);
    expect(matcher.rolesOf("app/security/tokens.py")).toEqual(["security"]);
    expect(matcher.rolesOf("tests/test_routes.py")).toEqual(["tests"]);
    expect(matcher.isProtected(".gitlab-ci.yml")).toBe(true);
    expect(config.testCommand).toEqual(["python3", "-m", "pytest"]);
    expect(config.roles.backend?.brain).toEqual({ kind: "openai", model: "gpt-4.1" });
    expect(config.planner).toEqual({ kind: "openai", model: "gpt-4.1" });
    expect(report).toContain("OPENAI_API_KEY is set");
    expect(readFileSync(join(repo.path, "guild.yaml"), "utf8")).not.toContain("sk-test");
  });

  it("a Go module: go test ./..., cmd/ and internal/ for backend, go.sum protected", async () => {
    const { repo } = await init({
      "go.mod": "module example.com/x\n",
      "go.sum": "",
      "cmd/x/main.go": "",
      "internal/crypto/hash.go": "",
      "internal/store/store_test.go": "",
    });
    using _ = repo;
    const { matcher, config } = await loadOwnership({ repoDir: repo.path });
    expect(config.testCommand).toEqual(["go", "test", "./..."]);
    expect(matcher.rolesOf("cmd/x/main.go")).toEqual(["backend"]);
    expect(matcher.rolesOf("internal/crypto/hash.go")).toEqual(["security"]);
    expect(matcher.rolesOf("internal/store/store_test.go")).toEqual(["tests"]);
    expect(matcher.isProtected("go.sum")).toBe(true);
  });

  it("a monorepo: folders deep in packages/ get their roles, pnpm runs the tests", async () => {
    const { repo } = await init({
      "package.json": JSON.stringify({ scripts: { test: "turbo test" } }),
      "pnpm-lock.yaml": "",
      "packages/web/src/ui/Nav.tsx": "",
      "packages/server/src/index.ts": "",
      "packages/server/src/api/routes.ts": "",
      "packages/server/test/routes.test.ts": "",
    });
    using _ = repo;
    const { matcher, config } = await loadOwnership({ repoDir: repo.path });
    expect(config.testCommand).toEqual(["pnpm", "test"]);
    expect(matcher.rolesOf("packages/web/src/ui/Nav.tsx")).toEqual(["frontend"]);
    expect(matcher.rolesOf("packages/server/src/index.ts")).toEqual(["backend"]);
    expect(matcher.rolesOf("packages/server/test/routes.test.ts")).toEqual(["tests"]);
  });

  it("imports CODEOWNERS, mapping handles by --map, by guess and by answer; skipped lines reported", async () => {
    const asked: string[] = [];
    const { repo, code, report } = await init(
      {
        ".github/CODEOWNERS": "* @org/core\n/web/ @org/web-team\n/esp/ @tobias-\n!bad @x\n/lib/ @carol\n",
        "web/a.tsx": "",
        "esp/b.c": "",
        "lib/c.ts": "",
      },
      {
        yes: false,
        map: ["@org/core=backend"],
        ask: async (q) => {
          asked.push(q);
          return q.includes("@tobias-") ? "firmware" : "";
        },
      },
    );
    using _ = repo;
    expect(code).toBe(0);
    expect(asked).toEqual([
      "role for @org/web-team [frontend]: ",
      "role for @tobias- (blank: a person): ",
      "role for @carol (blank: a person): ",
    ]);
    const { matcher, config } = await loadOwnership({ repoDir: repo.path });
    expect(matcher.rolesOf("src/x.ts")).toEqual(["backend"]);
    expect(matcher.rolesOf("web/a.tsx")).toEqual(["frontend"]);
    expect(matcher.rolesOf("esp/b.c")).toEqual(["firmware"]);
    expect(matcher.ownerOf("lib/c.ts")).toEqual(["@carol"]);
    expect(Object.keys(config.roles).sort()).toEqual(["backend", "firmware", "frontend"]);
    expect(report).toContain("4 rules from .github/CODEOWNERS");
    expect(report).toContain("skipped .github/CODEOWNERS:4:1:");
    expect(report).toContain("@carol maps to no role");
  });

  it("refuses to replace guild.yaml without --yes", async () => {
    const { repo, code, output } = await init({ "guild.yaml": "version: 1\n" }, { yes: false });
    using _ = repo;
    expect(code).toBe(2);
    expect(output.errors[0]).toContain("guild.yaml exists");
    expect(readFileSync(join(repo.path, "guild.yaml"), "utf8")).toBe("version: 1\n");
  });
});
