import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claimTask } from "../../../src/agents/specialist/claim.js";
import type { NatsBus } from "../../../src/bus/index.js";
import {
  GoalSubmitReply,
  GoalSubmitRequest,
  type GuildEvent,
  makeEnvelope,
  ProposalMessage,
  subjects,
} from "../../../src/protocol/index.js";
import { type IdentityServer, identityServer } from "../../helpers/identity-server.js";
import { publishRefused, subscribeRefused } from "./refusals.js";
import { pullDocsTask } from "./role-queue.js";

const encoder = new TextEncoder();

function event(goalId: string, source: string, type: "task.failed" | "goal.done"): GuildEvent {
  const payload =
    type === "task.failed"
      ? { taskId: "t-api", attempt: 1, reason: "forged" }
      : { branch: "x", head: "c".repeat(40), summary: "forged" };
  return makeEnvelope({ type, source, goalId, payload } as never) as GuildEvent;
}

function proposal(agentId: string, role: string) {
  return ProposalMessage.parse(
    makeEnvelope({
      type: "proposal.submitted",
      source: agentId,
      goalId: "g1",
      payload: {
        proposalId: "t-api-1",
        goalId: "g1",
        taskId: "t-api",
        attempt: 1,
        role,
        agentId,
        baseCommit: "a".repeat(40),
        headCommit: "b".repeat(40),
        bundleKey: null,
        changedPaths: ["src/api.ts"],
        rationale: "forged",
      },
    }),
  );
}

describe("what each identity may do, as nats-server enforces it", () => {
  let ids: IdentityServer;
  let coordinator: NatsBus;

  beforeAll(async () => {
    ids = await identityServer({ roles: ["docs", "backend"], replicas: 2 });
    coordinator = await ids.as("coordinator", true);
  });

  afterAll(async () => {
    await ids?.[Symbol.asyncDispose]();
  });

  it("an agent works its role's queue: pulls and acks, claims, reports and proposes as its own ids, ships a bundle", async () => {
    const agent = await ids.as("agent-docs");
    const { queue, item } = await pullDocsTask(coordinator, agent);
    await item?.working();
    await item?.ack();
    expect(await claimTask(agent.kv, "docs", "g1", "t-doc", 1, "docs-1", false, Date.now())).toBe(true);
    await agent.kv.get("goal.g1");
    const seq = await agent.events.append(event("g1", "docs-2", "task.failed"));
    expect(seq).toBeGreaterThan(0);
    const sent = await agent.enqueue(
      "proposals",
      subjects.proposal("g1", "docs-1"),
      proposal("docs-1", "docs"),
    );
    expect(sent.duplicate).toBe(false);
    expect((await agent.blobs.put("g1.t-doc.1", encoder.encode("bundle"))).size).toBe(6);
    expect(await coordinator.blobs.get("g1.t-doc.1")).toEqual(encoder.encode("bundle"));
    // An agent without the coordinator's repository reads the base bundles the coordinator publishes.
    const base = encoder.encode("x".repeat(300_000));
    await coordinator.blobs.put("base.repo-1.abc", base);
    expect(await agent.blobs.get("base.repo-1.abc")).toEqual(base);
    await queue.close();
  });

  it("an agent's forgeries are refused by the server", async () => {
    const agent = await ids.as("agent-docs");
    const nc = agent.connection;
    // Proposals and events in another agent's name, or without a name.
    await publishRefused(
      nc,
      subjects.proposal("g1", "backend-1"),
      JSON.stringify(proposal("backend-1", "backend")),
    );
    await publishRefused(nc, subjects.proposal("g1"), JSON.stringify(proposal("docs-1", "backend")));
    await publishRefused(nc, subjects.event("g1", "backend-1", "task.failed"));
    await publishRefused(nc, subjects.event("g1", "coordinator", "goal.done"));
    // Control is the operator's: approve, reject, cancel, tell; and only the operator submits goals.
    await publishRefused(nc, subjects.goalControl("g1"));
    await publishRefused(nc, subjects.goalSubmit);
    await publishRefused(nc, subjects.agentInbox("backend-1"));
    await publishRefused(nc, subjects.agentInbox("docs-1"));
    // The coordinator's state, another role's claims and budget, another agent's presence.
    await publishRefused(nc, "$KV.guild-state.goal.g-forged");
    await publishRefused(nc, "$KV.guild-state.claim.backend.g1.t-api");
    await publishRefused(nc, "$KV.guild-state.budget.g1.backend");
    await publishRefused(nc, "$KV.guild-presence.backend-1");
    await expect(agent.kv.delete("goal.g1")).rejects.toThrow(/Permissions Violation/);
    // Streams and consumers are the coordinator's; another role's queue is not this agent's.
    for (const api of [
      "STREAM.DELETE.GUILD_EVENTS",
      "STREAM.DELETE.GUILD_TASKS",
      "STREAM.PURGE.GUILD_PROPOSALS",
      "STREAM.UPDATE.GUILD_EVENTS",
      "STREAM.CREATE.EVIL",
      "STREAM.PURGE.OBJ_guild-bundles",
      "CONSUMER.CREATE.GUILD_TASKS",
      "CONSUMER.CREATE.GUILD_TASKS.evil.guild.task.backend",
      "CONSUMER.DURABLE.CREATE.GUILD_TASKS.evil",
      "CONSUMER.DELETE.GUILD_TASKS.tasks-backend",
      "CONSUMER.MSG.NEXT.GUILD_TASKS.tasks-backend",
      "CONSUMER.CREATE.GUILD_EVENTS",
    ]) {
      await publishRefused(nc, `$JS.API.${api}`);
    }
    // Reading other agents' inboxes, the queues' raw subjects, or anyone's replies.
    await subscribeRefused(nc, subjects.agentInbox("backend-1"));
    await subscribeRefused(nc, "guild.task.>");
    await subscribeRefused(nc, "_INBOX.>");
    await subscribeRefused(nc, ">");
  });

  it("an event on an agent's own subject that names another source is dropped with bus.message.rejected", async () => {
    const agent = await ids.as("agent-docs");
    // The server allows the subject (docs-1 is this identity's); the envelope claims to be backend-1.
    const forged = event("g4", "backend-1", "task.failed");
    agent.connection.publish(subjects.event("g4", "docs-1", "task.failed"), JSON.stringify(forged));
    await agent.events.append(event("g4", "docs-1", "task.failed"));
    const seen = await coordinator.events.read({ subject: subjects.eventsOfGoal("g4") });
    expect(seen.map((e) => e.source)).toEqual(["docs-1"]);
    const rejected = (
      await coordinator.events.read({ subject: "guild.evt._.bus.bus.message.rejected" })
    ).filter(
      (e) => e.type === "bus.message.rejected" && e.payload.subject === "guild.evt.g4.docs-1.task.failed",
    );
    expect(rejected.length).toBe(1);
  });

  it("the watcher reads the event stream and nothing else; the operator submits and controls, and writes nothing", async () => {
    await coordinator.events.append(event("g2", "coordinator", "goal.done"));
    const watcher = await ids.as("watcher");
    const seen = await watcher.events.read({ subject: subjects.eventsOfGoal("g2") });
    expect(seen.map((e) => e.type)).toEqual(["goal.done"]);
    // `guild watch --since 10m`, and live: a start by time and a live follow are the watcher's too.
    const recent = await watcher.events.read({ subject: subjects.eventsOfGoal("g2"), fromTime: new Date(0) });
    expect(recent.length).toBe(1);
    const live: string[] = [];
    const following = await watcher.events.follow({ fromTime: new Date() }, (e) => {
      live.push(e.goalId ?? "");
    });
    await coordinator.events.append(event("g5", "coordinator", "goal.done"));
    for (let i = 0; i < 50 && !live.includes("g5"); i++) await new Promise((r) => setTimeout(r, 100));
    await following.unsubscribe();
    expect(live).toContain("g5");
    await publishRefused(watcher.connection, subjects.event("g2", "coordinator", "goal.done"));
    await publishRefused(watcher.connection, subjects.goalSubmit);
    await publishRefused(watcher.connection, subjects.goalControl("g2"));
    await publishRefused(watcher.connection, "$JS.API.DIRECT.GET.KV_guild-state.$KV.guild-state.goal.g2");

    const served = await coordinator.serve(subjects.goalSubmit, GoalSubmitRequest, async (req) =>
      makeEnvelope({
        type: "goal.accepted",
        source: "coordinator",
        goalId: "g3",
        payload: { goalId: req.payload.goalId ?? "g3", baseCommit: "c".repeat(40), integrationBranch: "b" },
      }),
    );
    const operator = await ids.as("operator");
    const submit = makeEnvelope({
      type: "goal.submit",
      source: "operator",
      payload: { text: "do it", repo: "/tmp/repo", baseRef: "HEAD", goalId: "g3" },
    });
    const reply = await operator.request(subjects.goalSubmit, submit, GoalSubmitReply);
    expect(reply.payload.goalId).toBe("g3");
    await served.unsubscribe();
    expect((await operator.events.read({ subject: subjects.eventsOfGoal("g2") })).length).toBe(1);
    await operator.kv.get("goal.g2");
    await publishRefused(operator.connection, subjects.event("g3", "operator", "goal.done"));
    await publishRefused(operator.connection, "$KV.guild-state.goal.g3");
    await publishRefused(operator.connection, "$JS.API.STREAM.DELETE.GUILD_EVENTS");
    await publishRefused(operator.connection, subjects.proposal("g3", "docs-1"));
    await publishRefused(operator.connection, "$JS.API.CONSUMER.MSG.NEXT.GUILD_TASKS.tasks-docs");
  });
});
