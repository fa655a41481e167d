import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startArbiterService, startPlannerService } from "../../../src/agents/index.js";
import { type NatsBus, readCredentials } from "../../../src/bus/index.js";
import { arbitrate } from "../../../src/coordinator/index.js";
import {
  type BrainConfig,
  makeEnvelope,
  PlanReply,
  PlanRequest,
  subjects,
} from "../../../src/protocol/index.js";
import { type IdentityServer, identityServer } from "../../helpers/identity-server.js";
import { startScriptedOpenAI } from "../../helpers/scripted-llm/index.js";
import { conflictRequest } from "../../unit/agents/arbiter/conflict-fixture.js";
import { publishRefused, subscribeRefused } from "./refusals.js";

const DRAFT = {
  tasks: [
    {
      id: "d",
      role: "docs",
      title: "Document it",
      instructions: "Write docs/API.md.",
      expectedPaths: ["docs/API.md"],
      dependsOn: [],
    },
  ],
};

function planRequest(goalId: string) {
  return PlanRequest.parse(
    makeEnvelope({
      type: "plan.requested",
      source: "coordinator",
      goalId,
      payload: {
        goalText: "document the API",
        roles: [{ name: "docs", charter: "docs" }],
        ownership: [],
        files: ["README.md"],
        filesTotal: 1,
        attempt: 1,
      },
    }),
  );
}

describe("the planner and arbiter identities, as nats-server enforces them", () => {
  let ids: IdentityServer;
  let coordinator: NatsBus;

  beforeAll(async () => {
    ids = await identityServer({ roles: ["docs"], replicas: 1 });
    coordinator = await ids.as("coordinator", true);
  });

  afterAll(async () => {
    await ids?.[Symbol.asyncDispose]();
  });

  it("the planner answers a plan request, and reports a malformed one as bus.message.rejected", async () => {
    await using llm = await startScriptedOpenAI([{ toolCalls: [{ name: "submit_plan", input: DRAFT }] }]);
    const brain: BrainConfig = { kind: "openai", model: "planner-x", baseURL: llm.baseURL };
    const planner = await ids.as("planner");
    const service = await startPlannerService(planner, { brainConfig: brain, env: {} });
    const reply = await coordinator.request(subjects.planRequest, planRequest("g-plan"), PlanReply, {
      timeoutMs: 20_000,
    });
    expect(reply.payload.draft.tasks.map((t) => t.id)).toEqual(["d"]);
    expect(reply.source).toBe("planner");
    await expect(
      coordinator.connection.request(subjects.planRequest, "not json", { timeout: 5000 }),
    ).resolves.toBeDefined();
    const rejected = await coordinator.events.read({ subject: "guild.evt._.bus.bus.message.rejected" });
    expect(rejected.some((e) => e.type === "bus.message.rejected")).toBe(true);
    await service.unsubscribe();
  });

  it("the arbiter answers an arbitration request", async () => {
    await using llm = await startScriptedOpenAI([
      { text: JSON.stringify({ decision: "pick", winner: "t-frontend", rationale: "locale first" }) },
    ]);
    const brain: BrainConfig = { kind: "openai", model: "judge", baseURL: llm.baseURL };
    const arbiter = await ids.as("arbiter");
    const service = await startArbiterService(arbiter, { brainConfig: brain, env: {} });
    const decided = await arbitrate(coordinator, conflictRequest(), { timeoutMs: 20_000 });
    expect(decided).toMatchObject({ ok: true, outcome: { decision: "pick", winner: "t-frontend" } });
    await service.unsubscribe();
  });

  for (const service of ["planner", "arbiter"] as const) {
    const own = service === "planner" ? subjects.planRequest : subjects.arbiterRequest;
    const other = service === "planner" ? subjects.arbiterRequest : subjects.planRequest;
    it(`the ${service} may do nothing else`, async () => {
      const bus = await ids.as(service);
      const nc = bus.connection;
      // Proposals, events in anyone's name (its own included: it reports nothing but bus rejections).
      await publishRefused(nc, subjects.proposal("g1", "docs-1"));
      await publishRefused(nc, subjects.proposal("g1"));
      await publishRefused(nc, subjects.event("g1", "docs-1", "task.failed"));
      await publishRefused(nc, subjects.event("g1", "coordinator", "goal.done"));
      await publishRefused(nc, subjects.event("g1", service, "plan.created"));
      // Goals, control, agents' inboxes, the other service, and requests to itself.
      await publishRefused(nc, subjects.goalSubmit);
      await publishRefused(nc, subjects.goalControl("g1"));
      await publishRefused(nc, subjects.agentInbox("docs-1"));
      await publishRefused(nc, other);
      await publishRefused(nc, own);
      // No KV write or read, no task queue, no stream or consumer administration, no event reading.
      await publishRefused(nc, "$KV.guild-state.goal.g1");
      await publishRefused(nc, "$KV.guild-state.claim.docs.g1.t1");
      await publishRefused(nc, "$KV.guild-presence.docs-1");
      await expect(bus.kv.delete("goal.g1")).rejects.toThrow(/Permissions Violation/);
      for (const api of [
        "DIRECT.GET.KV_guild-state",
        "DIRECT.GET.KV_guild-state.$KV.guild-state.goal.g1",
        "STREAM.DELETE.GUILD_EVENTS",
        "STREAM.INFO.GUILD_EVENTS",
        "CONSUMER.CREATE.GUILD_EVENTS",
        "CONSUMER.MSG.NEXT.GUILD_TASKS.tasks-docs",
        "STREAM.MSG.GET.OBJ_guild-bundles",
      ]) {
        await publishRefused(nc, `$JS.API.${api}`);
      }
      await publishRefused(nc, "$O.guild-bundles.C.x");
      // Reading anyone else's messages: inboxes, replies, the other service's requests, its own outside
      // its queue group (which would see every request beside the group).
      const coordinatorInbox = readCredentials(ids.written.files.coordinator).inboxPrefix ?? "";
      await subscribeRefused(nc, subjects.agentInbox("docs-1"));
      await subscribeRefused(nc, "_INBOX.>");
      await subscribeRefused(nc, `${coordinatorInbox}.>`);
      await subscribeRefused(nc, "guild.evt.>");
      await subscribeRefused(nc, "guild.task.>");
      await subscribeRefused(nc, other);
      await subscribeRefused(nc, own);
      await subscribeRefused(nc, own, "evil");
      await subscribeRefused(nc, ">");
    });
  }
});
