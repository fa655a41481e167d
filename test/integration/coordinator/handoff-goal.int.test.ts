import { describe, expect, it } from "vitest";
import { NatsBus } from "../../../src/bus/index.js";
import { startGuild } from "../../../src/cli/runtime/start-guild.js";
import { Coordinator } from "../../../src/coordinator/index.js";
import { createLogger, type TaskSpec } from "../../../src/protocol/index.js";
import { fakeGitHub } from "../../helpers/fake-github.js";
import { git, tempRepo } from "../../helpers/git-repo.js";
import { checkoutHost } from "../../helpers/host-config.js";
import { startNats } from "../../helpers/nats.js";
import { tempDir } from "../../helpers/temp-dir.js";
import { recordGoal, submitDurableGoal } from "./fixtures/durable-goal.js";

const WRITER = JSON.stringify([
  "sh",
  "-c",
  `f=$(printf '%s' "$1" | grep -o 'WRITE=[^ ]*' | head -n1 | cut -d= -f2); mkdir -p "$(dirname "$f")"; echo done > "$f"`,
  "sh",
  "{task}",
]);

function handoffRepo(githubUrl: string, remote = "origin") {
  const repo = tempRepo({
    "README.md": "# handoff\n",
    "guild.yaml": [
      "version: 1",
      "rules:",
      '  - { pattern: "web/**", owners: ["@frontend"] }',
      "roles:",
      `  frontend: { brain: { kind: cli, command: ${WRITER} } }`,
      'testCommand: ["sh", "-c", "test -f web/a.txt"]',
      `handoff: { push: ${remote} }`,
      "",
    ].join("\n"),
  });
  const bare = tempDir("guild-remote-");
  git(bare.path, "init", "-q", "--bare");
  repo.git("remote", "add", "origin", `${githubUrl}/acme/app.git`);
  repo.git("remote", "set-url", "--push", "origin", bare.path);
  return Object.assign(repo, { bare });
}

const plan: TaskSpec[] = [
  {
    taskId: "t-a",
    role: "frontend",
    title: "write a",
    instructions: "WRITE=web/a.txt",
    expectedPaths: ["web/a.txt"],
    dependsOn: [],
  },
];

describe("guild.yaml handoff, run by the coordinator when a goal ends done", () => {
  it("pushes the integration branch and opens a pull request; a bad remote is a handoff.failed event", async () => {
    await using server = await startNats();
    await using github = await fakeGitHub();
    const bus = await NatsBus.connect({ url: server.url, name: "test" });
    const logger = createLogger({ level: "silent" });
    const coordinator = new Coordinator({
      bus,
      logger,
      handoffSecrets: { token: "ghs_abc12345", apiUrl: github.url },
    });
    await coordinator.start();
    using repo = handoffRepo(github.url);
    const guild = await startGuild({
      bus,
      host: checkoutHost(repo.path),
      logger,
      roles: ["frontend"],
      coordinator: false,
    });
    using _bare = repo.bare;
    using wrong = handoffRepo(github.url, "upstream");
    using _wrongBare = wrong.bare;
    try {
      await using goal = await recordGoal(bus, "g-handoff");
      await submitDurableGoal(bus, repo.path, "g-handoff", plan);
      const opened = await goal.waitFor(
        (e) => e.type === "handoff.pull_request.opened" || e.type === "handoff.failed",
        60_000,
      );
      expect(opened.payload).toEqual({ number: 7, url: `${github.url}/acme/app/pull/7` });
      const branch = "guild/g-handoff.integration";
      expect(git(repo.bare.path, "rev-parse", `refs/heads/${branch}`)).toBe(repo.git("rev-parse", branch));
      const types = goal.events.map((e) => e.type);
      // The cost comes before the end, so a watcher that stops at the end has it; the hand-off after.
      expect(types.indexOf("goal.cost")).toBeLessThan(types.indexOf("goal.done"));
      expect(types.indexOf("goal.done")).toBeLessThan(types.indexOf("handoff.pushed"));
      expect(github.requests).toHaveLength(1);
      expect(github.requests[0]).toMatchObject({ url: "/repos/acme/app/pulls", auth: "token ghs_abc12345" });
      expect(String(github.requests[0]?.body.body)).toMatch(/\| t-a: write a \| frontend \| frontend-1 \|/);

      await using other = await recordGoal(bus, "g-handoff2");
      await submitDurableGoal(bus, wrong.path, "g-handoff2", plan);
      const failed = await other.waitFor(
        (e) => e.type === "handoff.failed" || e.type === "handoff.pushed",
        60_000,
      );
      expect(failed.type).toBe("handoff.failed");
      expect(failed.payload).toMatchObject({
        remote: "upstream",
        reason: expect.stringMatching(/no remote upstream/),
      });
      expect(github.requests).toHaveLength(1);
    } finally {
      await guild.stop();
      await coordinator.stop();
      await bus.close();
    }
  }, 120_000);
});
