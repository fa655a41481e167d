import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../../helpers/temp-dir.js";
import { startScenario, task } from "../review/scenario.js";
import { hostileHost, hostileTest } from "./hostile-fixture.js";

// The test runner in the repository: it runs every *.test.cjs, so the model's file runs at verify, merged.
const RUNNER = `const fs = require("node:fs");
const path = require("node:path");
for (const f of fs.readdirSync(__dirname).filter((f) => f.endsWith(".test.cjs")).sort()) require(path.join(__dirname, f));
`;

const SECRETS = {
  AWS_SECRET_ACCESS_KEY: "aws-secret-verify-789",
  AWS_ACCESS_KEY_ID: "AKIAVERIFYHOSTILE",
  DATABASE_URL: "postgres://app:db-password-verify@db/prod",
};

// Processes of the fork bomb still alive anywhere on the machine.
function strays(): number {
  let n = 0;
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, "utf8") === "sleep\u00004242\u0000") n++;
    } catch {}
  }
  return n;
}

describe("the coordinator's verify runs merged code in the OS sandbox", () => {
  it("holds a test file that writes outside, reads ~/.ssh, opens a socket, forks without end and prints its env", async () => {
    // Outside /tmp, which the sandbox replaces with its own: a host directory the test could otherwise write.
    using outside = tempDir(".outside-", import.meta.dirname);
    using home = tempDir(".home-", import.meta.dirname);
    using host = await hostileHost(home.path, "PRIVATE-KEY-MATERIAL-VERIFY", SECRETS);
    await using s = await startScenario({
      "guild.yaml": `version: 1
rules:
  - { pattern: "test/**", owners: ["@backend"] }
roles: { backend: {} }
testCommand: ["node", "test/run.cjs"]
sandbox: { limits: { processes: 32 } }
`,
      "test/run.cjs": RUNNER,
      "test/ok.test.cjs": "console.log('ok test ran');\n",
    });
    const paths = {
      outside: join(outside.path, "escaped.txt"),
      gitHook: join(s.repo.path, ".git/hooks/pre-commit"),
      sshKey: host.sshKey,
      port: host.port,
      sleepArg: "4242",
    };
    const { goalId, base } = await s.submit([task("b", "backend", ["test/**"])]);
    for (const attempt of [1, 2, 3]) {
      await s.propose(
        goalId,
        { taskId: "b", role: "backend", attempt, base },
        { "test/hostile.test.cjs": `// attempt ${attempt}\n${hostileTest(paths)}` },
      );
    }
    const failed = await s.waitFor("goal.failed", (e) => e.goalId === goalId, 60_000);
    expect(failed.payload.reason).toMatch(/tests failed on the integration branch .*b broke them/);
    const finished = s.events.filter((e) => e.type === "verify.finished" && e.goalId === goalId);
    expect(finished.length).toBe(3);
    for (const event of finished) {
      if (event.type !== "verify.finished") continue;
      const out = event.payload.output;
      expect(event.payload.passed).toBe(false);
      expect(out).toContain("ok test ran");
      expect(out).toMatch(/write-outside refused EROFS/);
      expect(out).toMatch(/write-git refused EROFS/);
      expect(out).toMatch(/read-ssh refused ENOENT/);
      expect(out).toMatch(/network ECONNREFUSED/);
      // The environment was printed, so the secrets' absence below means something.
      expect(out).toContain('"HOME":"/tmp/home"');
      expect(out).toContain("stopped: process limit (32 at once) reached");
    }
    const culprit = s.events.find((e) => e.type === "verify.culprit_found" && e.goalId === goalId);
    expect(culprit?.type === "verify.culprit_found" && culprit.payload.taskId).toBe("b");
    const everything = JSON.stringify(s.events);
    for (const secret of [...Object.values(SECRETS), "PRIVATE-KEY-MATERIAL-VERIFY"]) {
      expect(everything).not.toContain(secret);
    }
    expect(existsSync(paths.outside)).toBe(false);
    expect(existsSync(paths.gitHook)).toBe(false);
    expect(host.connections()).toBe(0);
    expect(strays()).toBe(0);
  });
});
