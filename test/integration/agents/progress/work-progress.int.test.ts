import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ProgressReporter } from "../../../../src/agents/progress/index.js";
import { worktreeChanges } from "../../../../src/git/index.js";
import { SimulatedClock, type WorkProgress } from "../../../../src/protocol/index.js";
import { tempRepo } from "../../../helpers/git-repo.js";

const AUTH = `export function hash(text: string): string {
  return text;
}
export function legacyHash(text: string): string {
  return hash(text);
}
`;
const USER = `import { hash } from "../lib/auth.js";

export function user(name: string): string {
  return hash(name);
}
`;

function repo() {
  return tempRepo({ "src/lib/auth.ts": AUTH, "src/routes/user.ts": USER, "README.md": "# app\nline 2\n" });
}

describe("worktree changes against the base", () => {
  it("names changed, added and deleted files with the base lines they replace", async () => {
    using r = repo();
    const base = r.head();
    r.write({
      "src/lib/auth.ts": AUTH.replace(/export function legacyHash[^}]*}\n/, ""),
      "src/new.ts": "export const x = 1;\n",
      "README.md": "# app\nline 2\nline 3\n",
    });
    r.git("rm", "-q", "src/routes/user.ts");
    const changes = await worktreeChanges(r.path, base);
    expect(changes).toEqual([
      {
        path: "README.md",
        status: "modified",
        baseLines: [{ start: 2, end: 2 }],
        newLines: [{ start: 3, end: 3 }],
      },
      { path: "src/lib/auth.ts", status: "modified", baseLines: [{ start: 4, end: 6 }], newLines: [] },
      {
        path: "src/new.ts",
        status: "added",
        baseLines: [],
        newLines: [{ start: 1, end: Number.MAX_SAFE_INTEGER }],
      },
      { path: "src/routes/user.ts", status: "deleted", baseLines: [{ start: 1, end: 5 }], newLines: [] },
    ]);
  });
});

describe("progress reporter", () => {
  it("publishes the surface change and the imported names used, debounced, and only when something changed", async () => {
    using r = repo();
    const base = r.head();
    const clock = new SimulatedClock(1_000_000);
    const sent: WorkProgress[] = [];
    const reporter = new ProgressReporter({
      dir: r.path,
      base,
      task: { taskId: "t1", role: "backend", agentId: "backend-1", attempt: 1 },
      publish: async (p) => sent.push(p),
      intervalMs: 3000,
      settleMs: 200,
      clock,
    });
    const settle = async () => {
      for (let i = 0; i < 50 && reporter.sent === sent.length; i++)
        await new Promise((r) => setTimeout(r, 20));
    };
    // A burst of writes is read once, after the quiet time.
    for (let i = 0; i < 10; i++) {
      writeFileSync(join(r.path, "src/routes/user.ts"), `${USER}export const v${i} = ${i};\n`);
      reporter.noteWrite();
    }
    clock.advance(199);
    expect(sent).toHaveLength(0);
    clock.advance(1);
    await reporter.flush();
    expect(sent).toHaveLength(1);
    expect(sent[0]?.seq).toBe(1);
    // Writes within the interval wait for it; the change to a caller of legacyHash is read then.
    writeFileSync(
      join(r.path, "src/routes/user.ts"),
      USER.replace("import { hash }", "import { hash, legacyHash }").concat(
        "export function old(name: string): string {\n  return legacyHash(name);\n}\n",
      ),
    );
    reporter.noteWrite();
    clock.advance(2000);
    await settle();
    expect(sent).toHaveLength(1);
    clock.advance(1000);
    await settle();
    expect(sent).toHaveLength(2);
    const last = sent[1] as WorkProgress;
    expect(last.files.map((f) => f.path)).toEqual(["src/routes/user.ts"]);
    expect(last.surface).toEqual([
      {
        path: "src/routes/user.ts",
        symbol: "old",
        change: "added",
        after: "function old(name: string): string",
      },
    ]);
    expect(last.uses).toEqual([{ path: "src/lib/auth.ts", symbol: "legacyHash", in: "src/routes/user.ts" }]);
    // Nothing new on disk: no event, however often it is asked.
    reporter.noteWrite();
    clock.advance(5000);
    await reporter.flush();
    expect(sent).toHaveLength(2);
    reporter.stop();
  });
});
