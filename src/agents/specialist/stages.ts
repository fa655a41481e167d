import type { Bus, EventEmitter } from "../../bus/index.js";
import {
  type AgentWorktree,
  commitWorkspace,
  exportBundle,
  type GitEvent,
  removeWorkspace,
  type Workspace,
} from "../../git/index.js";
import { loadOwnership } from "../../ownership/index.js";
import {
  Budget,
  type GuildConfig,
  GuildError,
  isGuildError,
  makeEnvelope,
  type Proposal,
  ProposalMessage,
  proposalBundleKey,
  proposalRefId,
  type RoleConfig,
  subjects,
} from "../../protocol/index.js";
import { sandboxPolicy } from "../../sandbox/index.js";
import { createBrain } from "../brains/index.js";
import { ProgressReporter } from "../progress/index.js";
import { BUILTIN_ROLES, charterFor } from "../roles.js";
import { createToolSet, type PeerChannel } from "../tools/index.js";
import { type AttemptTrace, applyForeignWrites, judgeNoChange, scopeOf } from "./attempt-outcome.js";
import { changeRequestBrain } from "./change-request-brain.js";
import { addGoalTokens, goalMeter } from "./goal-tokens.js";
import { BUILT_IN_HOST, type HostSetting, hostNarrowedRole, refusedError } from "./host-role.js";
import type { Assignment, PreparedWorkspace, WorkOutcome } from "./machine.js";
import type { PeerInbox } from "./peer-inbox.js";
import { type RepoPlace, repoPlaceFor } from "./repo-place.js";

/** Tools whose success means a file in the worktree changed. */
const WRITE_TOOLS = new Set(["write_file", "apply_patch"]);

export interface StageDeps {
  bus: Bus;
  events: EventEmitter;
  agentId: string;
  role: string;
  /** What this process may run (loaded once at its start); default the built-in brains only. */
  host?: HostSetting;
  /** Overrides the role config after the host's narrowing (set by the process itself, never by a goal). */
  roleOverride?: Partial<RoleConfig>;
  /** Directories prepended to PATH for allowed commands (guild's own node_modules/.bin). */
  extraPath?: string[];
  /** Notes told to this agent while it works (`guild tell`). */
  notes: string[];
  /** What the coordinator passes on while the task runs: overlaps, peers' questions and answers. */
  peers?: PeerInbox;
  signal: () => AbortSignal;
  /** The agent's own worktree in a repository (in `root`, when given), reused from task to task. */
  worktreeFor: (repoDir: string, root?: string) => AgentWorktree;
  /** The agent's home: its mirrors of repositories it has no checkout of (default the guild home). */
  home?: string;
}

/** The longest a brain's `sync` waits for the coordinator's answer before it goes on. */
const SYNC_WAIT_MS = 2000;
const STEP_TEXT_LIMIT = 4000;
// Tools that change the worktree; a successful call is followed by a progress event (debounced).
const PROGRESS_TOOLS = new Set(["write_file", "apply_patch", "run_command"]);

/** The per-task state the stages share: workspace handle and the config read from the base commit. */
export interface StageState {
  workspace?: Workspace | undefined;
  /** Everything in the worktree was committed for the proposal: releasing it needs no salvage. */
  committed?: boolean;
  config?: GuildConfig;
  /** The paths this task's tools were allowed to write: the proposal's commit holds these only. */
  written?: (() => string[]) | undefined;
  /** The work stage in flight, so a cancel can wait for it to stop before salvaging the worktree. */
  inflight?: Promise<unknown>;
  /** The repository the task works in: the coordinator's (shared objects) or this agent's mirror. */
  place?: RepoPlace;
}

export function createStages(deps: StageDeps, state: StageState) {
  const { events, agentId, role } = deps;

  /** Reports a git room event on the bus, under the goal it names. */
  function emitGit(goalId: string): (e: GitEvent) => void {
    return (e) => void events.emit(e.type, e.payload, e.payload.goalId ?? goalId);
  }

  async function prepareWorkspace({ assignment }: { assignment: Assignment }): Promise<PreparedWorkspace> {
    const place = await repoPlaceFor(assignment, deps.bus.blobs, deps.home);
    state.place = place;
    const worktree = deps.worktreeFor(place.repoDir, place.worktreeRoot);
    const task = {
      goalId: assignment.goalId,
      taskId: assignment.task.taskId,
      baseCommit: assignment.baseCommit,
      onEvent: emitGit(assignment.goalId),
    };
    let ws: Workspace;
    try {
      ws = await worktree.switchTo(task);
    } catch (error) {
      // The claim is ours (fenced in KV), so another worktree on this task's branch belongs to a worker that
      // died or stalled: keep its uncommitted work on a salvage ref, remove it, and switch again.
      const stale = isGuildError(error, "git.failed") ? error.details?.dir : undefined;
      if (typeof stale !== "string") throw error;
      await removeWorkspace(
        { repoDir: place.repoDir, dir: stale },
        {
          salvage: true,
          reason: `taken over by ${agentId} from a worker that stopped`,
          onEvent: emitGit(assignment.goalId),
        },
      );
      ws = await worktree.switchTo(task);
    }
    state.workspace = ws;
    await events.emit(
      "workspace.ready",
      { taskId: assignment.task.taskId, dir: ws.dir, branch: ws.branch, sparse: false },
      assignment.goalId,
    );
    return { dir: ws.dir, branch: ws.branch, sparse: false };
  }

  async function work({
    assignment,
    workspace,
  }: {
    assignment: Assignment;
    workspace: PreparedWorkspace;
  }): Promise<WorkOutcome> {
    // Rules come from the base commit as checked out in the worktree: an agent cannot loosen them.
    const ownership = await loadOwnership({ repoDir: workspace.dir });
    state.config = ownership.config;
    // What runs comes from this process's host config; the base's guild.yaml only chooses and narrows.
    const host = deps.host ?? BUILT_IN_HOST;
    const narrowed = await hostNarrowedRole(host, ownership, role, workspace.dir);
    if (!narrowed.ok) {
      const { taskId } = assignment.task;
      const { attempt, goalId } = assignment;
      const payload = { taskId, attempt, role, hostConfig: host.source, refusals: narrowed.refusals };
      await events.emit("host.refused", payload, goalId);
      throw refusedError(role, host, narrowed.refusals);
    }
    const roleConfig = {
      ...ownership.config.roles[role],
      ...narrowed.role,
      ...deps.roleOverride,
    } as RoleConfig;
    const builtinSkill = (BUILTIN_ROLES as Record<string, { skill: string } | undefined>)[role]?.skill;
    const brainConfig = roleConfig.brain ?? { kind: "offline" as const };
    const brain =
      assignment.task.changeRequest && brainConfig.kind === "offline"
        ? changeRequestBrain
        : createBrain(
            brainConfig.kind === "offline" && !brainConfig.skill && !assignment.task.skill && builtinSkill
              ? { kind: "offline", skill: builtinSkill }
              : brainConfig,
          );
    const taskId = assignment.task.taskId;
    const trace: AttemptTrace = { refusals: [] };
    const { goalId, attempt } = assignment;
    const live = ownership.config.live;
    const peers = deps.peers;
    let questions = 0;
    const channel: PeerChannel | undefined = peers && {
      async ask(askRole, question) {
        questions += 1;
        const questionId = `${taskId}-${attempt}-q${questions}`;
        await events.emit("peer.asked", { taskId, questionId, role: askRole, question }, goalId);
        return questionId;
      },
      async answer(questionId, answer) {
        peers.answered(questionId);
        await events.emit("peer.answered", { taskId, questionId, answer }, goalId);
      },
      canAnswer: (questionId) => peers.canAnswer(questionId),
    };
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
          assignment.goalId,
        );
      },
    });
    // The commit takes what the tools wrote and the refused writes to other roles' paths (change requests).
    state.written = () => [
      ...(tools.written?.() ?? []),
      ...(tools.foreignWrites?.() ?? []).map((w) => w.path),
    ];
    const budget = Budget.parse(roleConfig.budget ?? {});
    const outcome: WorkOutcome = { summary: "", inputTokens: 0, outputTokens: 0 };
    // The goal's spend is the sum of every role's share: the built-in roles and the ones guild.yaml names.
    const roles = [...Object.keys(BUILTIN_ROLES), ...Object.keys(ownership.config.roles), role];
    const meter = await goalMeter(
      deps.bus.kv,
      assignment.goalId,
      roles,
      ownership.config.goalBudget.maxTokens,
    );
    try {
      for await (const step of brain.run({
        task: {
          goalId: assignment.goalId,
          goalText: assignment.goalText,
          task: assignment.task,
          attempt: assignment.attempt,
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
        const usage = "usage" in step ? step.usage : undefined;
        if (usage) {
          outcome.inputTokens += usage.inputTokens;
          outcome.outputTokens += usage.outputTokens;
        }
        const text =
          step.kind === "tool_call"
            ? `${step.tool} ${JSON.stringify(step.input)}`
            : step.kind === "tool_result"
              ? `${step.tool}: ${step.ok ? "ok" : "refused"} — ${step.output}`
              : step.text;
        if (step.kind === "summary") outcome.summary = step.text;
        if (step.kind === "tool_result" && step.ok && WRITE_TOOLS.has(step.tool)) {
          outcome.wrote = [...(outcome.wrote ?? []), step.output.slice(0, 200)];
        }
        if (step.kind === "tool_result" && !step.ok && trace.firstError === undefined)
          trace.firstError = step.output
            .split("\n")
            .find((l) => l.trim())
            ?.slice(0, 500);
        // A CLI agent writes without guild's tools, so any of its steps may have changed the worktree.
        if (
          brain.name.startsWith("cli") ||
          (step.kind === "tool_result" && step.ok && PROGRESS_TOOLS.has(step.tool))
        )
          reporter?.noteWrite();
        await events.emit(
          "agent.step",
          { taskId, kind: step.kind, text: text.slice(0, STEP_TEXT_LIMIT), ...(usage ? { usage } : {}) },
          assignment.goalId,
        );
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
        assignment.goalId,
      );
    }
    reporter?.stop();
    await addGoalTokens(deps.bus.kv, assignment.goalId, role, outcome.inputTokens + outcome.outputTokens);
    await applyForeignWrites(workspace.dir, tools.foreignWrites?.() ?? []);
    // A budget stop proposes what there is; any other attempt must have changed something or said why not.
    if (outcome.budgetExceeded === undefined)
      outcome.summary = await judgeNoChange(workspace.dir, outcome.summary, trace);
    return outcome;
  }

  async function propose({
    assignment,
    outcome,
  }: {
    assignment: Assignment;
    workspace: PreparedWorkspace;
    outcome: WorkOutcome;
  }): Promise<Proposal> {
    const ws = state.workspace as Workspace;
    const taskId = assignment.task.taskId;
    const committed = await commitWorkspace(ws, `${role}: ${assignment.task.title}`, {
      author: { name: `guild ${role}`, email: `${agentId}@guild.local` },
      trailers: { "Guild-Task": taskId, "Guild-Role": role, "Guild-Attempt": String(assignment.attempt) },
      // What went through this agent's tools, and nothing another process wrote into its worktree.
      ...(state.written ? { paths: state.written() } : {}),
    });
    state.committed = true;
    if (committed.changedPaths.length === 0 && (outcome.wrote?.length ?? 0) > 0) {
      // The brain changed files but the commit holds none of it: success here would lose the work unseen.
      throw new GuildError(
        "git.failed",
        `the task reported ${outcome.wrote?.length} write(s) (${outcome.wrote?.join("; ")}) but its commit holds no change; nothing was proposed`,
        { details: { taskId, wrote: outcome.wrote } },
      );
    }
    const proposalId = `${taskId}-${assignment.attempt}`;
    let bundleKey: string | null = null;
    // In a worktree of the coordinator's own repository the commits are already where it reads them.
    const shared = committed.commits > 0 && state.place?.shared === true;
    if (committed.commits > 0 && !shared) {
      const bundle = await exportBundle(ws.repoDir, {
        base: assignment.baseCommit,
        head: committed.head,
        ref: proposalRefId({ goalId: assignment.goalId, proposalId }),
      });
      bundleKey = proposalBundleKey({
        goalId: assignment.goalId,
        taskId,
        attempt: assignment.attempt,
        agentId,
      });
      await deps.bus.blobs.put(bundleKey, bundle);
    }
    const proposal: Proposal = {
      proposalId,
      goalId: assignment.goalId,
      taskId,
      attempt: assignment.attempt,
      role,
      agentId,
      baseCommit: assignment.baseCommit,
      headCommit: committed.head,
      bundleKey,
      ...(shared ? { sharedObjects: true as const } : {}),
      changedPaths: committed.changedPaths,
      rationale: outcome.summary || "(no summary)",
      checks: [],
      usage: { inputTokens: outcome.inputTokens, outputTokens: outcome.outputTokens },
      partial: outcome.budgetExceeded !== undefined,
    };
    const message = ProposalMessage.parse(
      makeEnvelope({
        type: "proposal.submitted",
        source: agentId,
        goalId: assignment.goalId,
        payload: proposal,
      }),
    );
    // Persisted (JetStream) before the task is acked; the message id drops duplicates of this attempt,
    // and names the goal: another goal's task of the same id is not a duplicate.
    await deps.bus.enqueue("proposals", subjects.proposal(assignment.goalId, agentId), message, {
      msgId: `${proposal.goalId}.${proposal.proposalId}`,
    });
    await events.emit(
      "proposal.published",
      {
        taskId,
        proposalId: proposal.proposalId,
        changedPaths: proposal.changedPaths,
        commits: committed.commits,
      },
      assignment.goalId,
    );
    return proposal;
  }

  /**
   * Releases the task's branch (the worktree stays for the agent's next task); its commits live on in
   * the bundle and on the branch, and anything left uncommitted by a failure goes to a salvage ref.
   */
  async function cleanup(): Promise<void> {
    const ws = state.workspace;
    state.workspace = undefined;
    if (!ws) return;
    await deps
      .worktreeFor(ws.repoDir, state.place?.worktreeRoot)
      .release({ salvage: !state.committed, onEvent: emitGit(ws.goalId) })
      .catch(() => undefined);
  }

  return { prepareWorkspace, work, propose, cleanup, state };
}
