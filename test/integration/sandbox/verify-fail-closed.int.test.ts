import { chmodSync, existsSync, writeFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "../../helpers/temp-dir.js";
import { startScenario, task } from "../review/scenario.js";

// A machine where bubblewrap is installed but may not create namespaces (a locked-down container): the
// bwrap found first on PATH fails as the real one does there. Its own file: the probe runs once per process.
const bin = tempDir("guild-nobwrap-");
const marker = tempDir(".ran-", import.meta.dirname);
const savedPath = process.env.PATH;
beforeAll(() => {
  writeFileSync(
    join(bin.path, "bwrap"),
    "#!/bin/sh\necho 'bwrap: No permissions to create new namespace' >&2\nexit 1\n",
  );
  chmodSync(join(bin.path, "bwrap"), 0o755);
  process.env.PATH = `${bin.path}${delimiter}${savedPath}`;
});
afterAll(() => {
  process.env.PATH = savedPath;
  bin[Symbol.dispose]();
  marker[Symbol.dispose]();
});

function files(sandbox: string, ran: string) {
  return {
    "guild.yaml": `version: 1
rules:
  - { pattern: "src/**", owners: ["@backend"] }
roles: { backend: {} }
testCommand: ["node", "check.cjs"]
${sandbox}
`,
    "check.cjs": `require("node:fs").writeFileSync(${JSON.stringify(ran)}, "ran");\n`,
    "src/a.ts": "export const a = 1;\n",
  };
}

describe("verify where no sandbox can run", () => {
  it("refuses to run the test command, says why in an event, and fails the goal", async () => {
    const ran = join(marker.path, "closed");
    await using s = await startScenario(files("", ran));
    const { goalId, base } = await s.submit([task("b", "backend", ["src/**"])]);
    await s.propose(
      goalId,
      { taskId: "b", role: "backend", attempt: 1, base },
      { "src/a.ts": "export const a = 2;\n" },
    );
    const failed = await s.waitFor("goal.failed", (e) => e.goalId === goalId);
    const refused = await s.waitFor("verify.refused", (e) => e.goalId === goalId);
    expect(refused.payload.reason).toContain("bwrap cannot create namespaces here");
    expect(refused.payload.reason).toContain("set sandbox: none in guild.yaml");
    expect(failed.payload.reason).toContain(
      "refused to run the test command: bwrap cannot create namespaces",
    );
    // Nothing ran, no bisection was tried on a refusal, and no verify claims a result.
    expect(existsSync(ran)).toBe(false);
    expect(s.events.some((e) => e.type === "verify.finished" && e.goalId === goalId)).toBe(false);
    expect(s.events.some((e) => e.type === "verify.culprit_found" && e.goalId === goalId)).toBe(false);
  });

  it("runs the test command unconfined when config says sandbox: none", async () => {
    const ran = join(marker.path, "open");
    await using s = await startScenario(files("sandbox: none", ran));
    const { goalId, base } = await s.submit([task("b", "backend", ["src/**"])]);
    await s.propose(
      goalId,
      { taskId: "b", role: "backend", attempt: 1, base },
      { "src/a.ts": "export const a = 2;\n" },
    );
    await s.waitFor("goal.done", (e) => e.goalId === goalId);
    expect(existsSync(ran)).toBe(true);
    expect(s.events.some((e) => e.type === "verify.refused")).toBe(false);
  });
});
