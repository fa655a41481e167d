import { loadOwnership } from "../../ownership/index.js";
import { Budget, isGuildError } from "../../protocol/index.js";
import { sandboxPolicy } from "../../sandbox/index.js";
import { ProgressReporter } from "../progress/index.js";
import { BUILTIN_ROLES, charterFor } from "../roles.js";
import { createToolSet } from "../tools/index.js";
import { type AttemptTrace, applyForeignWrites, judgeNoChange, scopeOf } from "./attempt-outcome.js";
import { addGoalTokens, goalMeter } from "./goal-tokens.js";
import type { Assignment, PreparedWorkspace, WorkOutcome } from "./machine.js";
import { peerChannelOf } from "./peer-channel.js";
import type { StageDeps, StageState } from "./stage-types.js";
import { taskRoleAndBrain } from "./task-brain.js";
import { mayHaveWritten, noteStep, STEP_TEXT_LIMIT, stepText } from "./work-steps.js";

/** The longest a brain's `sync` waits for the coordinator's answer before it goes on. */
const SYNC_WAIT_MS = 2000;

/**
 * Runs the task's brain in the prepared worktree with the role's tools, reporting every step; a budget
 * stop keeps the work so far. An attempt that changed nothing must say why (judgeNoChange).
 */
export async function work(
  deps: StageDeps,
  state: StageState,
  { assignment, workspace }: { assignment: Assignment; workspace: PreparedWorkspace },
): Promise<WorkOutcome> {
  const { events, agentId, role, peers } = deps;
  const { goalId, attempt } = assignment;
  const taskId = assignment.task.taskId;
  // Rules come from the base commit as checked out in the worktree: an agent cannot loosen them.
  const ownership = await loadOwnership({ repoDir: workspace.dir });
  const { roleConfig, brain } = await taskRoleAndBrain(deps, ownership, assignment, workspace.dir);
  const trace: AttemptTrace = { refusals: [] };
  const live = ownership.config.live;
  const channel = peers && peerChannelOf(events, peers, { goalId, taskId, attempt });
  const reporter = live.enabled
    ? new ProgressReporter({
        dir: workspace.dir,
        base: assignment.baseCommit,
        task: { taskId, role, agentId, attempt },
        publish: (progress) => events.emit("work.progress", progress, goalId),
        intervalMs: live.progressMs,
      })
    : undefined;
  const tools = createToolSet({
    workdir: workspace.dir,
    role,
    ownership: ownership.matcher,
    allowCommands: roleConfig.allowCommands ?? [],
    limits: { maxFileBytes: ownership.config.limits.maxFileBytes },
    forceAddIgnored: ownership.config.forceAddIgnored,
    sandbox: sandboxPolicy(roleConfig.sandbox),
    passEnv: roleConfig.env ?? [],
    ...(deps.extraPath ? { extraPath: deps.extraPath } : {}),
    foreignWrites: ownership.config.foreignWrites,
    ...(live.enabled && channel ? { peers: { channel, maxQuestions: live.maxQuestions } } : {}),
    onDenied: (d) => {
      trace.refusals.push(d.path === undefined ? d.reason : `${d.path}: ${d.reason}`);
      void events.emit(
        "tool.denied",
        { taskId, tool: d.tool, reason: d.reason, ...(d.path === undefined ? {} : { path: d.path }) },
        goalId,
      );
    },
  });
  // The commit takes what the tools wrote and the refused writes to other roles' paths (change requests).
  state.written = () => [...(tools.written?.() ?? []), ...(tools.foreignWrites?.() ?? []).map((w) => w.path)];
  const budget = Budget.parse(roleConfig.budget ?? {});
  const outcome: WorkOutcome = { summary: "", inputTokens: 0, outputTokens: 0 };
  // The goal's spend is the sum of every role's share: the built-in roles and the ones guild.yaml names.
  const roles = [...Object.keys(BUILTIN_ROLES), ...Object.keys(ownership.config.roles), role];
  const meter = await goalMeter(deps.bus.kv, goalId, roles, ownership.config.goalBudget.maxTokens);
  try {
    for await (const step of brain.run({
      task: {
        goalId,
        goalText: assignment.goalText,
        task: assignment.task,
        attempt,
        charter: charterFor(role, roleConfig),
        ...(assignment.feedback ? { feedback: assignment.feedback } : {}),
        notes: deps.notes,
        scope: scopeOf(ownership.matcher, role),
        ...(peers ? { overlaps: peers.overlaps } : {}),
      },
      tools,
      workdir: workspace.dir,
      signal: deps.signal(),
      budget,
      meter,
      ...(reporter && peers
        ? {
            sync: async () => {
              await reporter.flush();
              const answered = peers.nextSync(SYNC_WAIT_MS);
              await events.emit("work.synced", { taskId, role, agentId, attempt }, goalId);
              return answered;
            },
          }
        : {}),
    })) {
      noteStep(step, outcome, trace);
      if (mayHaveWritten(step, brain.name)) reporter?.noteWrite();
      const usage = "usage" in step ? step.usage : undefined;
      const text = stepText(step).slice(0, STEP_TEXT_LIMIT);
      await events.emit("agent.step", { taskId, kind: step.kind, text, ...(usage ? { usage } : {}) }, goalId);
    }
    await reporter?.flush();
  } catch (error) {
    reporter?.stop();
    if (!isGuildError(error, "budget.exceeded")) throw error;
    // A budget stop keeps the work done so far as a partial proposal.
    const details = error.details;
    outcome.budgetExceeded = error.message;
    await events.emit(
      "task.budget_exceeded",
      {
        taskId,
        budget: details?.budget ?? "unknown",
        limit: details?.limit ?? 0,
        used: details?.used ?? 0,
      },
      goalId,
    );
  }
  reporter?.stop();
  await addGoalTokens(deps.bus.kv, goalId, role, outcome.inputTokens + outcome.outputTokens);
  await applyForeignWrites(workspace.dir, tools.foreignWrites?.() ?? []);
  // A budget stop proposes what there is; any other attempt must have changed something or said why not.
  if (outcome.budgetExceeded === undefined)
    outcome.summary = await judgeNoChange(workspace.dir, outcome.summary, trace);
  return outcome;
}
