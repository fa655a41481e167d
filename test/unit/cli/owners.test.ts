import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Command } from "commander";
import { afterEach, describe, expect, it } from "vitest";
import {
  registerOwnersCommand,
  runOwnersCheck,
  runOwnersExplain,
  runOwnersImport,
  runOwnersLint,
} from "../../../src/cli/commands/owners.js";
import { collectOutput } from "../../../src/cli/output.js";
import { loadOwnership } from "../../../src/ownership/index.js";
import { tempRepo } from "../../helpers/git-repo.js";

const CODEOWNERS = `# owners
*            @org/core
*.js         @js-owner
/docs/       @org/docs
/apps/github
`;

function repoWithCodeowners(extra: Record<string, string> = {}) {
  return tempRepo({
    ".github/CODEOWNERS": CODEOWNERS,
    "src/a.js": "",
    "src/b.ts": "",
    "docs/guide.md": "",
    "apps/github/x.ts": "",
    "apps/github/y.ts": "",
    ...extra,
  });
}

describe("guild owners check", () => {
  it("prints each path's owners, 'unowned', and protection; exit 0", async () => {
    using repo = repoWithCodeowners();
    const output = collectOutput();
    const code = await runOwnersCheck(
      { repoDir: repo.path, paths: ["src/a.js", "apps/github/x.ts", "package-lock.json"] },
      output,
    );
    expect(code).toBe(0);
    expect(output.lines).toEqual([
      "src/a.js           @js-owner",
      "apps/github/x.ts   unowned",
      "package-lock.json  @org/core  (protected)",
    ]);
  });

  it("takes absolute paths relative to the repository", async () => {
    using repo = repoWithCodeowners();
    const output = collectOutput();
    await runOwnersCheck({ repoDir: repo.path, paths: [join(repo.path, "docs/guide.md")] }, output);
    expect(output.lines).toEqual(["docs/guide.md  @org/docs"]);
  });

  it("prints JSON with --json", async () => {
    using repo = repoWithCodeowners();
    const output = collectOutput();
    await runOwnersCheck({ repoDir: repo.path, paths: ["docs/guide.md"], json: true }, output);
    expect(JSON.parse(output.lines[0] ?? "")).toEqual([
      { path: "docs/guide.md", owners: ["@org/docs"], roles: [], protected: false },
    ]);
  });

  it("uses --rules to pick a file, detecting guild.yaml by content", async () => {
    using repo = repoWithCodeowners({ "rules.cfg": "rules:\n  - pattern: /src/\n    owners: [backend]\n" });
    const output = collectOutput();
    await runOwnersCheck(
      { repoDir: repo.path, rules: "rules.cfg", paths: ["src/a.js", "docs/guide.md"] },
      output,
    );
    expect(output.lines).toEqual(["src/a.js       backend", "docs/guide.md  unowned"]);
  });

  it("skips a bad CODEOWNERS line with its position and reason, and answers from the other rules", async () => {
    using repo = repoWithCodeowners({ "bad-owners": "*.js @web\nsrc/[ab]/ @web\n" });
    const output = collectOutput();
    const code = await runOwnersCheck(
      { repoDir: repo.path, rules: "bad-owners", paths: ["src/a/x.js"] },
      output,
    );
    expect(code).toBe(0);
    expect(output.lines).toEqual(["src/a/x.js  @web"]);
    expect(output.errors.join("\n")).toContain("skipped bad-owners:2:5: character ranges");
  });

  it("exits 2 with the position, text and expectation of a guild.yaml error", async () => {
    using repo = repoWithCodeowners({
      "guild.yaml": "rules:\n  - { pattern: 'src/[ab]/', owners: ['@web'] }\n",
    });
    const output = collectOutput();
    const code = await runOwnersCheck({ repoDir: repo.path, paths: ["x"] }, output);
    expect(code).toBe(2);
    expect(output.errors.join("\n")).toMatch(/guild.yaml:2:\d+: character ranges/);
    expect(output.errors.join("\n")).toContain("expected: a literal");
  });
});

describe("guild owners explain", () => {
  it("names the deciding rule and the rules it overrode, latest first", async () => {
    using repo = repoWithCodeowners();
    const output = collectOutput();
    expect(await runOwnersExplain({ repoDir: repo.path, path: "src/a.js" }, output)).toBe(0);
    expect(output.lines).toEqual([
      "src/a.js",
      "  owners:     @js-owner",
      "  roles:      (none)",
      "  decided by: .github/CODEOWNERS:3  *.js  @js-owner",
      "  overrode:   .github/CODEOWNERS:2  *  @org/core",
      "  protected:  no",
    ]);
  });
});

describe("guild owners lint", () => {
  it("reports unknown owners, unmatched patterns and coverage; exit 1 on findings", async () => {
    using repo = repoWithCodeowners();
    const output = collectOutput();
    const code = await runOwnersLint({ repoDir: repo.path }, output);
    expect(code).toBe(1);
    const text = output.lines.join("\n");
    expect(text).toContain("unknown    @org/core maps to no role");
    expect(text).toContain("coverage   66.7% of 6 tracked files have an owner (2 unowned)");
    expect(text).toContain("unowned folder apps/ (2 files)");
  });

  it("exits 0 when rules map to roles and match files", async () => {
    using repo = tempRepo({
      "guild.yaml":
        "rules:\n  - pattern: '*'\n    owners: [docs]\n  - pattern: /src/\n    owners: [backend]\n",
      "src/a.ts": "",
    });
    const output = collectOutput();
    expect(await runOwnersLint({ repoDir: repo.path }, output)).toBe(0);
    expect(output.lines.at(-1)).toBe("ok");
  });
});

describe("guild owners import", () => {
  it("writes guild.yaml rules, mapping handles through the config, and says what it could not map", async () => {
    using repo = repoWithCodeowners({
      "guild.yaml":
        '# team config\nroles:\n  backend: {}\nhandles:\n  "@org/core": backend\n  "@org/docs": docs\n',
    });
    const output = collectOutput();
    expect(await runOwnersImport({ repoDir: repo.path }, output)).toBe(0);
    expect(output.lines).toEqual(["wrote 4 rules from .github/CODEOWNERS to guild.yaml"]);
    expect(output.errors).toEqual([
      'could not map @js-owner (.github/CODEOWNERS:3) to a role; kept as written. Map it with handles: { "@js-owner": <role> }',
    ]);
    expect(readFileSync(join(repo.path, "guild.yaml"), "utf8")).toContain("# team config");
    const ownership = await loadOwnership({ repoDir: repo.path });
    expect(ownership.source).toBe("guild.yaml");
    expect(ownership.matcher.rolesOf("src/b.ts")).toEqual(["backend"]);
    expect(ownership.matcher.rolesOf("docs/guide.md")).toEqual(["docs"]);
    expect(ownership.matcher.ownerOf("apps/github/x.ts")).toEqual([]);
  });

  it("prints instead of writing with --dry-run", async () => {
    using repo = repoWithCodeowners();
    const output = collectOutput();
    await runOwnersImport({ repoDir: repo.path, dryRun: true }, output);
    expect(output.lines.join("\n")).toMatch(/^version: 1\nrules:\n {2}- pattern: "\*"/);
  });
});

describe("registerOwnersCommand", () => {
  afterEach(() => {
    process.exitCode = undefined;
  });

  it("wires the subcommands to commander with --rules and --repo", async () => {
    using repo = repoWithCodeowners();
    const output = collectOutput();
    const program = new Command().exitOverride();
    registerOwnersCommand(program, output);
    await program.parseAsync(["owners", "check", "-C", repo.path, "src/b.ts", "--json"], { from: "user" });
    expect(JSON.parse(output.lines[0] ?? "")[0].owners).toEqual(["@org/core"]);
    expect(process.exitCode).toBe(0);
  });
});
