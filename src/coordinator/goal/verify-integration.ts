import { join } from "node:path";
import type { EventEmitter } from "../../bus/index.js";
import {
  createWorkspace,
  type IntegrationEntry,
  removeWorkspace,
  resetIntegration,
  trialMerge,
} from "../../git/index.js";
import { GuildError, proposalHasCommits } from "../../protocol/index.js";
import { type SandboxPolicy, sandboxAvailability } from "../../sandbox/index.js";
import { dependencyOrder } from "./contract-dependencies.js";
import type { GoalContext, TaskRecord, VerifyResult } from "./goal-types.js";
import { runCheck } from "./run-check.js";

/** Accepted tasks that changed something, in plan order with every task after those it depends on. */
export function acceptedWithCommits(ctx: GoalContext): TaskRecord[] {
  return dependencyOrder(ctx)
    .map((id) => ctx.tasks[id] as TaskRecord)
    .filter((t) => t.status === "accepted" && t.proposal !== undefined && proposalHasCommits(t.proposal));
}

/** The integration merge entries of a goal: its accepted proposals in plan order, each with its decision. */
export function mergeEntries(ctx: GoalContext): IntegrationEntry[] {
  return acceptedWithCommits(ctx).map((t) => ({
    id: t.spec.taskId,
    head: t.proposal?.headCommit as string,
    taskId: t.spec.taskId,
    role: t.spec.role,
    decision: t.reason ?? "accepted: within ownership, no conflict",
    title: t.spec.title,
  }));
}

interface VerifyDeps {
  events: EventEmitter;
  testCommand: string[] | undefined;
  /** How the test command is confined at verify and at every bisection run. */
  sandbox: SandboxPolicy;
  extraPath?: string[];
}

// The checkout's installed dependencies, which a worktree links to (see linkDependencies in git).
const DEPENDENCY_DIRS = ["node_modules", ".venv"];

/**
 * Runs the test command on the integration head; when it fails, finds the proposal that broke it by
 * bisecting the merge order with trial merges (log2 K test runs), so that one can be sent back.
 */
export function createVerifier(deps: VerifyDeps) {
  const { events } = deps;

  async function testAt(ctx: GoalContext, commit: string, label: string) {
    const ws = await createWorkspace({
      repoDir: ctx.repo,
      goalId: ctx.goalId,
      taskId: `${label}-${Date.now().toString(36)}`,
      baseCommit: commit,
    });
    try {
      return await runCheck(deps.testCommand as string[], {
        cwd: ws.dir,
        policy: deps.sandbox,
        readable: DEPENDENCY_DIRS.map((name) => join(ctx.repo, name)),
        ...(deps.extraPath ? { extraPath: deps.extraPath } : {}),
      });
    } finally {
      await removeWorkspace(ws, { deleteBranch: true }).catch(() => undefined);
    }
  }

  /**
   * The culprit, and the last merge that passed (`kept`: the first `good` entries merged onto the base;
   * the base itself when even it fails, as nothing better is known).
   */
  async function findCulprit(
    ctx: GoalContext,
  ): Promise<{ culprit?: string; tested: number; kept: NonNullable<VerifyResult["kept"]> }> {
    const entries = mergeEntries(ctx);
    let kept = { head: ctx.baseCommit, merged: [] as string[] };
    const fails = async (k: number) => {
      const { head, merged } = await trialMerge(ctx.repo, {
        base: ctx.baseCommit,
        entries: entries.slice(0, k),
      });
      const failed = (await testAt(ctx, head, `bisect${k}`)).exitCode !== 0;
      // Bisection only tests more entries after a pass, so the last pass is the longest one.
      if (!failed) kept = { head, merged };
      return failed;
    };
    // If the base already fails, no proposal is to blame.
    if (entries.length === 0 || (await fails(0))) return { tested: 1, kept };
    let good = 0;
    let bad = entries.length;
    let tested = 1;
    while (bad - good > 1) {
      const mid = Math.floor((good + bad) / 2);
      tested++;
      if (await fails(mid)) bad = mid;
      else good = mid;
    }
    const culprit = entries[bad - 1]?.taskId;
    return culprit ? { culprit, tested, kept } : { tested, kept };
  }

  // Fail closed: with no sandbox here and no `sandbox: none` in config, the merged code does not run at all,
  // and the goal fails with the reason rather than passing untested or bisecting refusals.
  async function refuseUnconfined(command: string[], goalId: string): Promise<void> {
    if (deps.sandbox.mode !== "bubblewrap") return;
    const availability = sandboxAvailability();
    if (availability.available) return;
    const reason = `${availability.reason}; set sandbox: none in guild.yaml to run the test command unconfined`;
    await events.emit("verify.refused", { command, reason }, goalId);
    throw new GuildError("sandbox.denied", `refused to run the test command: ${reason}`, {
      details: { kind: "unavailable" },
    });
  }

  return async function verify(ctx: GoalContext): Promise<VerifyResult> {
    const command = deps.testCommand;
    if (!command) {
      const output = "no testCommand configured";
      await events.emit("verify.finished", { passed: true, exitCode: 0, output }, ctx.goalId);
      return { passed: true, exitCode: 0, output, command: [] };
    }
    await refuseUnconfined(command, ctx.goalId);
    await events.emit("verify.started", { command }, ctx.goalId);
    const run = await testAt(ctx, ctx.integrationHead ?? ctx.baseCommit, "verify");
    const passed = run.exitCode === 0;
    await events.emit(
      "verify.finished",
      { passed, exitCode: run.exitCode, output: run.output.slice(-8000) },
      ctx.goalId,
    );
    const result: VerifyResult = { passed, exitCode: run.exitCode, output: run.output, command };
    if (passed) return result;
    const { culprit, tested, kept } = await findCulprit(ctx);
    // The branch never holds a failing merge as its head: a revision rebuilds it from the base anyway.
    await resetIntegration(ctx.repo, ctx.goalId, kept.head);
    if (!culprit) return { ...result, kept };
    await events.emit(
      "verify.culprit_found",
      { taskId: culprit, tested, output: run.output.slice(-4000) },
      ctx.goalId,
    );
    return { ...result, culprit, kept };
  };
}
