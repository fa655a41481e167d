import { describe, expect, it } from "vitest";
import { MemoryBus } from "../../../../src/bus/index.js";
import { arbitrate, requestArbitration } from "../../../../src/coordinator/settle/arbiter-request.js";
import {
  type ArbitrationRequest,
  ArbitrationRequest as ArbitrationRequestSchema,
  type ArbitrationVerdict,
  GuildError,
  makeEnvelope,
  subjects,
} from "../../../../src/protocol/index.js";
import { COMBINED, conflictRequest } from "../../agents/arbiter/conflict-fixture.js";

type Answer = ArbitrationVerdict | GuildError;

/** A hand-written arbiter on the bus that answers from a list, recording what it was asked. */
async function serveAnswers(bus: MemoryBus, answers: Answer[]) {
  const seen: ArbitrationRequest[] = [];
  await bus.serve(subjects.arbiterRequest, ArbitrationRequestSchema, async (request) => {
    seen.push(request);
    const answer = answers.shift();
    if (answer === undefined) throw new GuildError("internal", "arbiter script exhausted");
    if (answer instanceof GuildError) throw answer;
    return makeEnvelope({
      type: "arbitration.decided",
      source: "arbiter",
      payload: { verdict: answer, judge: "test:judge", usage: { inputTokens: 100, outputTokens: 20 } },
    });
  });
  return seen;
}

describe("requestArbitration", () => {
  it("returns a pick with winner, loser, rationale and a reason for conflict.settled", async () => {
    const bus = new MemoryBus();
    const seen = await serveAnswers(bus, [
      { decision: "pick", winner: "t-frontend", rationale: "locale is the goal" },
    ]);
    const outcome = await requestArbitration(bus, conflictRequest(), { goalId: "g1" });
    expect(outcome).toEqual({
      decision: "pick",
      winner: "t-frontend",
      loser: "t-security",
      rationale: "locale is the goal",
      judge: "test:judge",
      usage: { inputTokens: 100, outputTokens: 20 },
      attempts: 1,
      reason: "arbiter test:judge kept frontend (t-frontend): locale is the goal",
    });
    expect(seen[0]?.goalId).toBe("g1");
    expect(seen[0]?.payload.attempt).toBe(1);
    await bus.close();
  });

  it("refuses a sound-looking verdict naming a third task, retries with the errors, then gives up", async () => {
    const bus = new MemoryBus();
    const seen = await serveAnswers(bus, [
      { decision: "pick", winner: "t-docs", rationale: "docs are best" },
      { decision: "pick", winner: "t-docs", rationale: "docs are still best" },
    ]);
    let reason = "";
    const outcome = await requestArbitration(bus, conflictRequest(), { onGiveUp: (r) => (reason = r) });
    expect(outcome).toBeUndefined();
    expect(reason).toBe(
      'arbiter gave no sound verdict in 2 attempt(s): winner "t-docs" is neither side; pick one of t-security, t-frontend',
    );
    expect(seen[1]?.payload.attempt).toBe(2);
    expect(seen[1]?.payload.previousErrors).toEqual([
      'winner "t-docs" is neither side; pick one of t-security, t-frontend',
    ]);
    expect(JSON.parse(seen[1]?.payload.previousReply ?? "{}")).toMatchObject({ winner: "t-docs" });
    await bus.close();
  });

  it("refuses a combine that writes outside the conflict, and accepts the corrected one", async () => {
    const bus = new MemoryBus();
    await serveAnswers(bus, [
      {
        decision: "combine",
        files: [
          { path: "src/greet.ts", content: COMBINED },
          { path: "package.json", content: '{"scripts":{"postinstall":"curl evil"}}' },
        ],
        rationale: "both",
      },
      { decision: "combine", files: [{ path: "src/greet.ts", content: COMBINED }], rationale: "both" },
    ]);
    const result = await arbitrate(bus, conflictRequest());
    expect(result).toMatchObject({
      ok: true,
      outcome: {
        decision: "combine",
        files: [{ path: "src/greet.ts", content: COMBINED }],
        attempts: 2,
        usage: { inputTokens: 200, outputTokens: 40 },
      },
    });
    await bus.close();
  });

  it("passes an arbiter's refusal reasons and raw reply to the next attempt, counting its tokens", async () => {
    const bus = new MemoryBus();
    const seen = await serveAnswers(bus, [
      new GuildError("brain.failed", "no sound verdict", {
        details: {
          errors: ["reply holds no JSON object"],
          reply: "ours wins",
          usage: { inputTokens: 7, outputTokens: 3 },
        },
      }),
      { decision: "pick", winner: "t-security", rationale: "safety first" },
    ]);
    const outcome = await requestArbitration(bus, conflictRequest());
    expect(outcome).toMatchObject({ decision: "pick", winner: "t-security", attempts: 2 });
    expect(outcome?.usage).toEqual({ inputTokens: 107, outputTokens: 23 });
    expect(seen[1]?.payload).toMatchObject({
      previousErrors: ["reply holds no JSON object"],
      previousReply: "ours wins",
    });
    await bus.close();
  });

  it("returns undefined at once when no arbiter serves the subject", async () => {
    const bus = new MemoryBus();
    const result = await arbitrate(bus, conflictRequest(), { attempts: 3 });
    expect(result).toEqual({
      ok: false,
      reason: "no arbiter serves guild.arbiter.request",
      errors: ["no one serves guild.arbiter.request"],
      usage: { inputTokens: 0, outputTokens: 0 },
    });
    await bus.close();
  });

  it("refuses a request whose sides are the same task, without asking anyone", async () => {
    const bus = new MemoryBus();
    const seen = await serveAnswers(bus, []);
    const request = conflictRequest();
    const [first] = request.sides;
    request.sides = [first, { ...first }];
    const result = await arbitrate(bus, request);
    expect(result).toMatchObject({
      ok: false,
      reason: "arbitration request invalid: both sides are task t-security",
    });
    expect(seen).toHaveLength(0);
    await bus.close();
  });
});
