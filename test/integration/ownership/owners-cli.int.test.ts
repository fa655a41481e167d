import { spawn, spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { tempRepo } from "../../helpers/git-repo.js";

const guild = join(dirname(fileURLToPath(import.meta.url)), "../../../bin/guild.js");

function run(cwd: string, ...args: string[]) {
  return runWith(cwd, undefined, ...args);
}

function runWith(cwd: string, input: string | undefined, ...args: string[]) {
  const result = spawnSync(process.execPath, [guild, "owners", ...args], {
    cwd,
    encoding: "utf8",
    ...(input === undefined ? {} : { input }),
    maxBuffer: 64 * 1024 * 1024,
  });
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

  it("skips each bad CODEOWNERS line as GitHub does and reports every one, in --json too", () => {
    using repo = tempRepo({ CODEOWNERS: "* @a\n\n/docs/ @docs ops\n/esp/ @tobias-\n!x @b\n" });
    const result = run(repo.path, "check", "docs/a.md", "esp/b.c");
    expect(result.code).toBe(0);
    expect(result.stdout.split("\n").filter(Boolean)).toEqual(["docs/a.md  @a", "esp/b.c    @tobias-"]);
    expect(result.stderr).toContain("CODEOWNERS:3:14: 'ops' is not a valid owner");
    expect(result.stderr).toContain("CODEOWNERS:5:1:");
    expect(result.stderr).toContain("2 line(s) of CODEOWNERS skipped");
    const lint = run(repo.path, "lint", "--json");
    expect(lint.code).toBe(1);
    const report = JSON.parse(lint.stdout) as { skipped: { line: number; text: string }[] };
    expect(report.skipped.map((p) => [p.line, p.text])).toEqual([
      [3, "/docs/ @docs ops"],
      [5, "!x @b"],
    ]);
  });

  it("checks paths from stdin and from --from, normalised; a path outside the repository is an error", () => {
    using repo = tempRepo({ CODEOWNERS: "* @a\n/web/ @w\n" });
    const stdin = runWith(repo.path, "web/./x.ts\nsrc/../web/y.ts\n\nsrc/z.ts\n", "check", "--json");
    expect(stdin.code).toBe(0);
    expect(
      JSON.parse(stdin.stdout).map((r: { path: string; owners: string[] }) => [r.path, r.owners]),
    ).toEqual([
      ["web/x.ts", ["@w"]],
      ["web/y.ts", ["@w"]],
      ["src/z.ts", ["@a"]],
    ]);
    // More paths than fit in argv (E2BIG) go through a file.
    const many = Array.from({ length: 100_000 }, (_, i) => `${i % 2 ? "web" : "src"}/d${i % 97}/f${i}.ts`);
    repo.write({ "paths.txt": `${many.join("\n")}\n` });
    const fromFile = run(repo.path, "check", "--from", "paths.txt");
    expect(fromFile.code).toBe(0);
    const lines = fromFile.stdout.split("\n").filter(Boolean);
    expect(lines).toHaveLength(100_000);
    expect(lines[1]).toMatch(/^web\/d1\/f1\.ts +@w$/);
    const outside = run(repo.path, "check", "src/../../etc/passwd");
    expect(outside.code).toBe(2);
    expect(outside.stderr).toContain("src/../../etc/passwd is outside the repository");
    expect(outside.stdout).toBe("");
  });
});

describe("guild output into a pipe that closes early (| head)", () => {
  it("ends quietly, without an EPIPE error, for owners lint and owners check", async () => {
    const rules = Array.from({ length: 3_000 }, (_, i) => `/gone-${i}/ @a`).join("\n");
    using repo = tempRepo({ CODEOWNERS: `${rules}\n`, "x.ts": "" });
    repo.write({ "paths.txt": Array.from({ length: 50_000 }, (_, i) => `d/f${i}.ts`).join("\n") });
    for (const args of [["lint"], ["check", "--from", "paths.txt"]]) {
      const child = spawn(process.execPath, [guild, "owners", ...args], { cwd: repo.path });
      let stderr = "";
      child.stderr.on("data", (d: Buffer) => {
        stderr += d.toString();
      });
      // Read one chunk, then close our end, as `head -1` does.
      child.stdout.once("data", () => child.stdout.destroy());
      const [code, signal] = await new Promise<[number | null, string | null]>((done) =>
        child.on("close", (c, s) => done([c, s])),
      );
      expect(stderr).not.toContain("EPIPE");
      expect(signal).toBeNull();
      expect(code).toBe(args[0] === "lint" ? 1 : 0);
    }
  });
});
