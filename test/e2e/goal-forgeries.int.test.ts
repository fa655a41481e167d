import { describe, expect, it } from "vitest";
import { BUILTIN_ROLES } from "../../src/agents/index.js";
import { NatsBus, writeIdentities } from "../../src/bus/index.js";
import { submitGoal } from "../../src/cli/commands/goal.js";
import { collectOutput } from "../../src/cli/output.js";
import { type GuildRuntime, startGuild } from "../../src/cli/runtime/start-guild.js";
import {
  createLogger,
  type GuildEvent,
  makeEnvelope,
  ProposalMessage,
  subjects,
} from "../../src/protocol/index.js";
import { demoRepo } from "../helpers/demo-repo.js";
import { checkoutHost } from "../helpers/host-config.js";
import { startNats } from "../helpers/nats.js";
import { tempDir } from "../helpers/temp-dir.js";

const GOAL = "g-forged";

/** Publishes as a request, so a permission error comes back to this call; resolves with what happened. */
async function attempt(bus: NatsBus, subject: string, data: unknown): Promise<string> {
  return bus.connection.request(subject, JSON.stringify(data), { timeout: 3000 }).then(
    () => "answered",
    (e: unknown) => `${(e as Error).message} ${String((e as Error).cause ?? "")}`,
  );
}

describe("forgeries with an agent's key while the demo goal runs", () => {
  it("each is refused by the server or ignored by the coordinator with bus.message.rejected, and the goal ends done", async () => {
    await using dir = tempDir();
    const roles = Object.keys(BUILTIN_ROLES);
    const written = writeIdentities(dir.path, { roles, replicas: 1 });
    await using server = await startNats({ configFile: written.config });
    using repo = demoRepo();
    const logger = createLogger({ level: "silent" });
    const connect = (identity: string, manage = false) =>
      NatsBus.connect({
        url: server.url,
        creds: written.files[identity as "operator"],
        name: identity,
        manage,
      });
    const buses: NatsBus[] = [];
    const runtimes: GuildRuntime[] = [];
    try {
      const coordinatorBus = await connect("coordinator", true);
      buses.push(coordinatorBus);
      runtimes.push(await startGuild({ bus: coordinatorBus, logger, roles: [] }));
      for (const role of roles) {
        const bus = await connect(`agent-${role}`);
        buses.push(bus);
        const host = checkoutHost(repo.path);
        runtimes.push(await startGuild({ bus, logger, roles: [role], coordinator: false, host }));
      }
      const operator = await connect("operator");
      const attacker = await connect("agent-docs");
      buses.push(operator, attacker);
      // The attacker waits for a security task to be claimed, then strikes while it is worked.
      let claimed: (e: GuildEvent) => void = () => undefined;
      const securityClaim = new Promise<GuildEvent>((resolve) => {
        claimed = resolve;
      });
      const follow = await coordinatorBus.events.follow({ subject: subjects.eventsOfGoal(GOAL) }, (e) => {
        if (e.type === "task.claimed" && e.source.startsWith("security-")) claimed(e);
      });
      const running = submitGoal(
        operator,
        "harden the demo app",
        { repo: repo.path, wait: true, timeoutMs: 240_000, goalId: GOAL },
        collectOutput(),
      );
      const claim = await securityClaim;
      await follow.unsubscribe();
      if (claim.type !== "task.claimed") throw new Error("not a claim");
      const { taskId } = claim.payload;

      // Refused by the server: another agent's subjects, control, the coordinator's state and streams.
      const refused = [
        await attempt(attacker, subjects.event(GOAL, claim.source, "task.failed"), {}),
        await attempt(attacker, subjects.proposal(GOAL, claim.source), {}),
        await attempt(attacker, subjects.goalControl(GOAL), { action: "cancel" }),
        await attempt(attacker, "$KV.guild-state.goal.g-evil", { status: "running" }),
        await attempt(attacker, "$JS.API.STREAM.DELETE.GUILD_EVENTS", {}),
        await attempt(attacker, "$JS.API.STREAM.DELETE.GUILD_TASKS", {}),
      ];
      for (const outcome of refused) expect(outcome).toMatch(/Permissions Violation for Publish/);

      // Allowed subjects (its own agent id), but not its task: the coordinator ignores them.
      const failed = makeEnvelope({
        type: "task.failed",
        source: "docs-1",
        goalId: GOAL,
        payload: { taskId, attempt: 1, reason: "forged failure" },
      }) as GuildEvent;
      await attacker.events.append(failed);
      const forged = ProposalMessage.parse(
        makeEnvelope({
          type: "proposal.submitted",
          source: "docs-1",
          goalId: GOAL,
          payload: {
            proposalId: `${taskId}-1`,
            goalId: GOAL,
            taskId,
            attempt: 1,
            role: "security",
            agentId: "docs-1",
            baseCommit: "a".repeat(40),
            headCommit: "b".repeat(40),
            bundleKey: null,
            changedPaths: [],
            rationale: "forged: nothing to do",
          },
        }),
      );
      // A message id of its own: the forgery must not take the real proposal's place in the dedup window.
      await attacker.enqueue("proposals", subjects.proposal(GOAL, "docs-1"), forged, { msgId: "forged-1" });

      const result = await running;
      const failure = result.events.find((e) => e.type === "goal.failed");
      expect(failure ? JSON.stringify(failure.payload) : "").toBe("");
      expect(result.status).toBe("done");
      const rejected = result.events.filter((e) => e.type === "bus.message.rejected");
      const reasons = rejected.map((e) => (e.type === "bus.message.rejected" ? e.payload.reason : ""));
      expect(reasons.some((r) => r.startsWith("task.failed ignored") && r.includes("docs-1"))).toBe(true);
      expect(reasons.some((r) => r.startsWith(`proposal ${taskId}-1 ignored`) && r.includes("docs-1"))).toBe(
        true,
      );
      // The security task was neither failed nor retried: the real agent's attempt 1 was accepted.
      const accepted = result.events.find(
        (e) => e.type === "proposal.accepted" && e.payload.taskId === taskId,
      );
      expect(accepted?.type === "proposal.accepted" && accepted.payload.proposalId).toBe(`${taskId}-1`);
      const dispatched = result.events.filter(
        (e) => e.type === "task.dispatched" && e.payload.taskId === taskId,
      );
      expect(dispatched.length).toBe(1);
    } finally {
      for (const runtime of runtimes.reverse()) await runtime.stop();
      for (const bus of buses) await bus.close();
    }
  }, 300_000);
});
