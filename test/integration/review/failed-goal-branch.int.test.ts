import { describe, expect, it } from "vitest";
import { startScenario, task } from "./scenario.js";

const CHECK = `import { readFileSync } from "node:fs";
if (readFileSync("src/api.ts", "utf8").includes("BROKEN")) { console.error("api is broken"); process.exit(1); }
`;

const FILES = {
  "guild.yaml": `version: 1
rules:
  - { pattern: "src/**", owners: ["@backend"] }
  - { pattern: "shared/**", owners: ["@docs"] }
roles: { backend: {}, docs: {} }
testCommand: ["node", "check.mjs"]
`,
  "check.mjs": CHECK,
  "src/api.ts": "export const api = 1;\n",
  "shared/util.ts": "one\n",
};

describe("a goal that fails verification", () => {
  it("leaves its integration branch at the last merge that passed, and says so", async () => {
    await using s = await startScenario(FILES);
    const { goalId, base } = await s.submit([
      task("d", "docs", ["shared/**"]),
      task("b", "backend", ["src/**"]),
    ]);
    await s.propose(
      goalId,
      { taskId: "d", role: "docs", attempt: 1, base },
      { "shared/util.ts": "one\ntwo\n" },
    );
    // The culprit is sent back while it has revisions left; every revision breaks the tests again.
    for (const attempt of [1, 2, 3]) {
      await s.propose(
        goalId,
        { taskId: "b", role: "backend", attempt, base },
        { "src/api.ts": `export const api = 'BROKEN ${attempt}';\n` },
      );
    }
    const failed = await s.waitFor("goal.failed");
    const branch = `guild/${goalId}.integration`;
    const head = s.repo.git("rev-parse", branch);
    expect(failed.payload.reason).toMatch(/tests failed on the integration branch \(exit 1\); b broke them/);
    expect(failed.payload.reason).toContain(
      `the integration branch is left at ${head.slice(0, 12)}, the last merge that passed (d)`,
    );
    // The head holds d's change and none of b's: the tests pass there.
    expect(s.repo.git("show", `${branch}:shared/util.ts`)).toBe("one\ntwo");
    expect(s.repo.git("show", `${branch}:src/api.ts`)).toBe("export const api = 1;");
    expect(s.repo.git("log", "--format=%s", `${base}..${branch}`)).not.toMatch(/Merge b/);
  });
});
