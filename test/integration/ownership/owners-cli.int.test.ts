import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { tempRepo } from "../../helpers/git-repo.js";

const guild = join(dirname(fileURLToPath(import.meta.url)), "../../../bin/guild.js");

function run(cwd: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [guild, "owners", ...args], { cwd, encoding: "utf8" });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("guild owners, as a process", () => {
  it("checks, explains, lints and imports against a real repository", () => {
    using repo = tempRepo({
      ".github/CODEOWNERS": "* @org/core\n/web/ @org/web\n/web/vendor/\n",
      "web/app.tsx": "",
      "web/vendor/lib.js": "",
      "server/main.ts": "",
    });
    const check = run(repo.path, "check", "web/app.tsx", "web/vendor/lib.js", "--json");
    expect(check.code).toBe(0);
    expect(JSON.parse(check.stdout).map((r: { owners: string[] }) => r.owners)).toEqual([["@org/web"], []]);

    const explain = run(repo.path, "explain", "web/vendor/lib.js");
    expect(explain.code).toBe(0);
    expect(explain.stdout).toContain("decided by: .github/CODEOWNERS:3  /web/vendor/  (no owners)");

    const lint = run(repo.path, "lint");
    expect(lint.code).toBe(1);
    expect(lint.stdout).toContain("coverage   75.0% of 4 tracked files");

    repo.write({ "guild.yaml": 'handles:\n  "@org/core": backend\n  "@org/web": frontend\n' });
    const imported = run(repo.path, "import");
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain("wrote 3 rules from .github/CODEOWNERS to guild.yaml");
    const after = run(repo.path, "check", "web/app.tsx", "server/main.ts");
    expect(after.stdout.split("\n").filter(Boolean)).toEqual([
      "web/app.tsx     frontend",
      "server/main.ts  backend",
    ]);
  });

  it("exits 2 and points at the error in a bad rules file", () => {
    using repo = tempRepo({ CODEOWNERS: "* @a\n\n/docs/ @docs ops\n" });
    const result = run(repo.path, "check", "x");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("CODEOWNERS:3:14: 'ops' is not a valid owner");
    expect(result.stderr).toContain("expected: an owner");
  });
});
