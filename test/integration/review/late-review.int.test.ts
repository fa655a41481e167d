import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { claimTask } from "../../../src/agents/specialist/claim.js";
import { createEventEmitter, MemoryBus, type WorkItem } from "../../../src/bus/index.js";
import type { GoalContext, TaskRecord } from "../../../src/coordinator/goal/index.js";
import type { ReviewEvent, ReviewedGoal } from "../../../src/coordinator/review/index.js";
import {
  type IntakeDeps,
  receiveProposal,
  reviewReceived,
} from "../../../src/coordinator/review/proposal-intake.js";
import { exportBundle } from "../../../src/git/index.js";
import { loadOwnership } from "../../../src/ownership/index.js";
import {
  createLogger,
  type GoalStatus,
  type GuildEvent,
  makeEnvelope,
  ProposalMessage,
  proposalBundleKey,
  proposalRefId,
  SimulatedClock,
  subjects,
} from "../../../src/protocol/index.js";
import { git, tempRepo, writeFiles } from "../../helpers/git-repo.js";

const GOAL = "g-late";
const ACK_WAIT_MS = 30_000;

/**
 * Review's intake driven by hand, on a real repository and the memory bus: a goal whose end the test sets,
 * so a proposal can be received while the goal runs and reviewed after (or while) it ends, an order the
 * coordinator's own timing cannot be made to take reliably.
 */
async function setup() {
  const repo = tempRepo({
    "guild.yaml":
      'version: 1\nrules:\n  - { pattern: "src/**", owners: ["@backend"] }\nroles: { backend: {} }\n',
    "src/api.ts": "export const api = 1;\n",
  });
  const base = repo.head();
  const clock = new SimulatedClock(Date.now());
  const bus = new MemoryBus({ clock });
  const logger = createLogger({ level: "silent" });
  const consumer = await bus.consumer("proposals", {
    durable: "coordinator-proposals",
    subject: "guild.proposal.>",
    schema: ProposalMessage,
    ackWaitMs: ACK_WAIT_MS,
  });
  const record = (taskId: string): TaskRecord => ({
    spec: {
      taskId,
      role: "backend",
      title: taskId,
      instructions: "x",
      expectedPaths: ["src/**"],
      dependsOn: [],
    },
    status: "dispatched",
    attempt: 1,
    base,
    revisions: 0,
  });
  const ctx = {
    goalId: GOAL,
    repo: repo.path,
    tasks: { b: record("b"), c: record("c") },
  } as unknown as GoalContext;
  const sent: ReviewEvent[] = [];
  // What ended() answers, call after call (the last answer repeats).
  let answers: (GoalStatus | undefined)[] = [undefined];
  const goal: ReviewedGoal = {
    ownership: await loadOwnership({ repoDir: repo.path }),
    context: () => ctx,
    send: (event) => sent.push(event),
    offerMerge: () => undefined,
    ended: () => (answers.length > 1 ? answers.shift() : answers[0]),
  };
  const deps: IntakeDeps = {
    bus,
    events: createEventEmitter(bus, "coordinator", logger),
    goals: { find: (goalId) => (goalId === GOAL ? goal : undefined) },
    logger,
    clock,
  };

  /** Proposes a commit changing src/api.ts for `taskId` as its claimant would: a bundle, then the message. */
  async function propose(taskId: string): Promise<{ key: string; ref: string }> {
    const work = mkdtempSync(join(tmpdir(), "guild-agent-"));
    git(repo.path, "worktree", "add", "-q", "--detach", work, base);
    writeFiles(work, { "src/api.ts": `export const api = '${taskId}';\n` });
    git(work, "commit", "-qam", `backend: ${taskId}`);
    const head = git(work, "rev-parse", "HEAD");
    git(repo.path, "worktree", "remove", "--force", work);
    rmSync(work, { recursive: true, force: true });
    const ids = { goalId: GOAL, taskId, attempt: 1, agentId: "backend-1", proposalId: `${taskId}-1` };
    const ref = proposalRefId(ids);
    const key = proposalBundleKey(ids);
    await bus.blobs.put(key, await exportBundle(repo.path, { base, head, ref }));
    const message = ProposalMessage.parse(
      makeEnvelope({
        type: "proposal.submitted",
        source: "backend-1",
        goalId: GOAL,
        payload: {
          ...ids,
          role: "backend",
          baseCommit: base,
          headCommit: head,
          bundleKey: key,
          changedPaths: ["src/api.ts"],
          rationale: "scripted",
          checks: [],
          usage: { inputTokens: 0, outputTokens: 0 },
          partial: false,
        },
      }),
    );
    await claimTask(bus.kv, "backend", GOAL, taskId, 1, "backend-1", true, clock.now());
    await bus.enqueue("proposals", subjects.proposal(GOAL, "backend-1"), message, {
      msgId: `${GOAL}.${taskId}`,
    });
    return { key, ref: `refs/guild/proposals/${ref}` };
  }

  /** The next proposal off the consumer, with how it was settled. */
  async function take() {
    const item = await consumer.next({ expiresMs: 0 });
    if (!item) throw new Error("no proposal to take");
    const settled: string[] = [];
    const held: WorkItem<ProposalMessage> = {
      ...item,
      ack: async () => {
        settled.push("ack");
        await item.ack();
      },
      nak: async (delayMs) => {
        settled.push("nak");
        await item.nak(delayMs);
      },
    };
    return { item: held, settled };
  }

  const events = async (type: GuildEvent["type"]) =>
    (await bus.events.read()).filter((e) => e.type === type && e.goalId === GOAL);
  const refs = () => git(repo.path, "for-each-ref", "--format=%(refname)", "refs/guild/proposals/");

  return {
    deps,
    sent,
    propose,
    take,
    events,
    refs,
    setEnded: (next: (GoalStatus | undefined)[]) => {
      answers = next;
    },
    /** Whether anything is redelivered once every ack deadline has passed. */
    async redelivered(): Promise<boolean> {
      clock.advance(ACK_WAIT_MS * 2);
      return (await consumer.next({ expiresMs: 0 })) !== null;
    },
    bus,
    [Symbol.dispose]: () => repo[Symbol.dispose](),
  };
}

const reasonsOf = (events: GuildEvent[]) =>
  events.map((e) => (e.type === "proposal.rejected" ? `${e.payload.proposalId}: ${e.payload.reason}` : ""));

describe("a proposal received while its goal ran and reviewed after it ended", () => {
  it("is dropped unreviewed: bundle deleted, no ref, acked once; a proposal of a running goal is still reviewed", async () => {
    using s = await setup();
    const late = await s.propose("b");
    const kept = await s.propose("c");
    const first = await s.take();
    const second = await s.take();
    // Both arrive while the goal runs: both are received.
    expect(await receiveProposal(first.item, s.deps)).toBe(true);
    expect(await receiveProposal(second.item, s.deps)).toBe(true);
    expect(s.sent.map((e) => e.type)).toEqual(["PROPOSAL.RECEIVED", "PROPOSAL.RECEIVED"]);

    // The running goal's proposal is reviewed as before: imported and accepted, its bundle kept.
    await reviewReceived(second.item, s.deps);
    expect(second.settled).toEqual(["ack"]);
    expect(s.sent.map((e) => e.type)).toContain("PROPOSAL.ACCEPTED");
    expect(s.refs()).toBe(kept.ref);
    expect(await s.bus.blobs.info(kept.key)).not.toBeNull();

    // Then the goal fails, before the other one's review.
    s.setEnded(["failed"]);
    await reviewReceived(first.item, s.deps);
    expect(first.settled).toEqual(["ack"]);
    expect(reasonsOf(await s.events("proposal.rejected"))).toEqual([
      `b-1: goal ${GOAL} ended (failed) while this proposal waited for its review; it was not reviewed`,
    ]);
    expect(s.sent.filter((e) => e.taskId === "b").map((e) => e.type)).toEqual(["PROPOSAL.RECEIVED"]);
    expect(s.refs()).toBe(kept.ref);
    expect(await s.bus.blobs.info(late.key)).toBeNull();
    expect(await s.redelivered()).toBe(false);
  });

  it("is dropped, with the ref its review imported, when the goal ends during the review", async () => {
    using s = await setup();
    const late = await s.propose("b");
    const { item, settled } = await s.take();
    expect(await receiveProposal(item, s.deps)).toBe(true);
    // Running when the review starts, cancelled by the time its verdict is in.
    s.setEnded([undefined, "cancelled"]);
    await reviewReceived(item, s.deps);
    expect(settled).toEqual(["ack"]);
    expect(reasonsOf(await s.events("proposal.rejected"))).toEqual([
      `b-1: goal ${GOAL} ended (cancelled) while this proposal waited for its review; it was not reviewed`,
    ]);
    expect(await s.events("proposal.accepted")).toEqual([]);
    expect(s.sent.map((e) => e.type)).toEqual(["PROPOSAL.RECEIVED"]);
    expect(s.refs()).toBe("");
    expect(await s.bus.blobs.info(late.key)).toBeNull();
    expect(await s.redelivered()).toBe(false);
  });
});
