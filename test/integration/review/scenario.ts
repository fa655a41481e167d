import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { claimTask } from "../../../src/agents/specialist/claim.js";
import { type Bus, NatsBus, type Subscription } from "../../../src/bus/index.js";
import { submitGoal } from "../../../src/cli/commands/goal.js";
import { collectOutput } from "../../../src/cli/output.js";
import { Coordinator } from "../../../src/coordinator/index.js";
import { exportBundle } from "../../../src/git/index.js";
import {
  ControlReply,
  createLogger,
  type GoalControl,
  type GuildEvent,
  makeEnvelope,
  ProposalMessage,
  proposalRefId,
  subjects,
  type TaskSpec,
} from "../../../src/protocol/index.js";
import { git, tempRepo, writeFiles } from "../../helpers/git-repo.js";
import { startNats } from "../../helpers/nats.js";

type Repo = ReturnType<typeof tempRepo>;

/**
 * A coordinator on a real nats-server with no agents: the test plays the agents, publishing real
 * bundles as proposals, so each review and settlement path can be driven exactly.
 */
export async function startScenario(files: Record<string, string>) {
  const server = await startNats();
  const bus = await NatsBus.connect({ url: server.url, name: "scenario" });
  const coordinator = new Coordinator({ bus, logger: createLogger({ level: "silent" }) });
  await coordinator.start();
  const repo = tempRepo(files);
  const events: GuildEvent[] = [];
  const waiters: { match: (e: GuildEvent) => boolean; resolve: (e: GuildEvent) => void }[] = [];
  const sub: Subscription = await bus.events.follow({ fromSeq: 1 }, (event) => {
    events.push(event);
    for (const w of [...waiters]) {
      if (w.match(event)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(event);
      }
    }
  });

  function waitFor<T extends GuildEvent["type"]>(
    type: T,
    match: (e: Extract<GuildEvent, { type: T }>) => boolean = () => true,
    timeoutMs = 30_000,
  ): Promise<Extract<GuildEvent, { type: T }>> {
    const seen = events.find((e) => e.type === type && match(e as Extract<GuildEvent, { type: T }>));
    if (seen) return Promise.resolve(seen as Extract<GuildEvent, { type: T }>);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(new Error(`no ${type} within ${timeoutMs} ms; saw ${events.map((e) => e.type).join(", ")}`)),
        timeoutMs,
      );
      waiters.push({
        match: (e) => e.type === type && match(e as Extract<GuildEvent, { type: T }>),
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e as Extract<GuildEvent, { type: T }>);
        },
      });
    });
  }

  async function submit(plan: TaskSpec[]): Promise<{ goalId: string; base: string }> {
    const result = await submitGoal(bus, "scenario", { repo: repo.path, wait: false, plan }, collectOutput());
    return { goalId: result.goalId, base: repo.head() };
  }

  /**
   * Acts as the agent of `taskId`: commits `files` on `base` and proposes them as attempt `attempt`, in a
   * bundle or (`sharedObjects`) as commits left in the coordinator's repository, as a local agent does.
   */
  async function propose(
    goalId: string,
    task: { taskId: string; role: string; attempt: number; base: string },
    changes: Record<string, string>,
    opts: { sharedObjects?: boolean; rationale?: string } = {},
  ): Promise<string> {
    // As a real agent, propose only what was dispatched: an early proposal is refused as stale.
    await waitFor(
      "task.dispatched",
      (e) => e.goalId === goalId && e.payload.taskId === task.taskId && e.payload.attempt === task.attempt,
    );
    const work = mkdtempSync(join(tmpdir(), "guild-agent-"));
    try {
      git(repo.path, "worktree", "add", "-q", "--detach", work, task.base);
      writeFiles(work, changes);
      git(work, "add", "-A");
      // No changes: a proposal without commits, as an agent that found nothing to do sends.
      if (Object.keys(changes).length > 0) git(work, "commit", "-q", "-m", `${task.role}: ${task.taskId}`);
      const head = git(work, "rev-parse", "HEAD");
      const changedPaths = git(work, "diff", "--name-only", task.base, head).split("\n").filter(Boolean);
      const proposalId = `${task.taskId}-${task.attempt}`;
      let bundleKey: string | null = null;
      if (!opts.sharedObjects && head !== task.base) {
        const bundle = await exportBundle(repo.path, {
          base: task.base,
          head,
          ref: proposalRefId({ goalId, proposalId }),
        });
        bundleKey = `${goalId}.${task.taskId}.${task.attempt}.${task.role}-1`;
        await bus.blobs.put(bundleKey, bundle);
      }
      const message = ProposalMessage.parse(
        makeEnvelope({
          type: "proposal.submitted",
          source: `${task.role}-1`,
          goalId,
          payload: {
            proposalId,
            goalId,
            taskId: task.taskId,
            attempt: task.attempt,
            role: task.role,
            agentId: `${task.role}-1`,
            baseCommit: task.base,
            headCommit: head,
            bundleKey,
            ...(opts.sharedObjects ? { sharedObjects: true as const } : {}),
            changedPaths,
            rationale: opts.rationale ?? `scripted ${task.taskId}`,
            checks: [],
            usage: { inputTokens: 0, outputTokens: 0 },
            partial: false,
          },
        }),
      );
      // As an agent would, the proposer holds the claim on its attempt: the coordinator checks it.
      const agentId = `${task.role}-1`;
      await claimTask(bus.kv, task.role, goalId, task.taskId, task.attempt, agentId, true, Date.now());
      await bus.enqueue("proposals", subjects.proposal(goalId, agentId), message, { msgId: proposalId });
      return head;
    } finally {
      execFileSync("git", ["worktree", "remove", "--force", work], { cwd: repo.path });
      rmSync(work, { recursive: true, force: true });
    }
  }

  /** Submits tasks `p` (performance) and `s` (security) and has both change the same lines of `file`. */
  async function conflictingPair(file: string, pattern: string, pContent: string, sContent: string) {
    const { goalId, base } = await submit([
      task("p", "performance", [pattern]),
      task("s", "security", [pattern]),
    ]);
    const pHead = await propose(
      goalId,
      { taskId: "p", role: "performance", attempt: 1, base },
      { [file]: pContent },
    );
    const sHead = await propose(
      goalId,
      { taskId: "s", role: "security", attempt: 1, base },
      { [file]: sContent },
    );
    return { goalId, base, pHead, sHead };
  }

  async function control(goalId: string, payload: GoalControl["payload"]) {
    const request = makeEnvelope({ type: "goal.control", source: "test", goalId, payload });
    return (await bus.request(subjects.goalControl(goalId), request, ControlReply, { timeoutMs: 10_000 }))
      .payload;
  }

  return {
    bus: bus as Bus,
    repo: repo as Repo,
    events,
    waitFor,
    submit,
    propose,
    conflictingPair,
    control,
    async [Symbol.asyncDispose]() {
      await sub.unsubscribe();
      await coordinator.stop();
      await bus.close();
      await server.dispose();
      repo[Symbol.dispose]();
    },
  };
}

export function task(taskId: string, role: string, expectedPaths: string[]): TaskSpec {
  return { taskId, role, title: taskId, instructions: "scripted", expectedPaths, dependsOn: [] };
}
