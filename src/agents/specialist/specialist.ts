import { resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { type Actor, createActor, fromPromise, type InspectionEvent, type Observer } from "xstate";
import {
  type Bus,
  createEventEmitter,
  type Subscription,
  type WorkConsumer,
  type WorkItem,
} from "../../bus/index.js";
import { AgentWorktree, withGitPriority } from "../../git/index.js";
import {
  AgentInbox,
  type Clock,
  createLogger,
  type Logger,
  type RoleConfig,
  subjects,
  systemClock,
  TaskAssignment,
} from "../../protocol/index.js";
import { claimTask, goalHasEnded, holdsClaim } from "./claim.js";
import { gitEventReporter } from "./git-events.js";
import type { HostSetting } from "./host-role.js";
import { type Assignment, specialistMachine } from "./machine.js";
import { PeerInbox } from "./peer-inbox.js";
import { type Presence, startPresence } from "./presence.js";
import { createStages, type StageState } from "./stages.js";

export interface SpecialistOptions {
  bus: Bus;
  role: string;
  agentId: string;
  logger?: Logger;
  clock?: Clock;
  /** What this process may run, loaded once at its start; default the built-in brains only. */
  host?: HostSetting;
  roleOverride?: Partial<RoleConfig>;
  extraPath?: string[];
  /** Redelivery deadline of a claimed task; heartbeats run at a third of it. */
  ackWaitMs?: number;
  /** Receives the specialist machine's XState inspection events (`guild up --inspect`); default none. */
  inspect?: Observer<InspectionEvent>;
  /** The agent's home (`guild agent --home`): its mirrors of the repositories it works on; default the guild home. */
  home?: string;
}

const SETTLED = new Set(["proposed", "failed", "cancelled"]);
/** A task.failed the event log refused is tried this many times, this far apart, before the task is run again. */
const FAILURE_REPORT_TRIES = 3;
const FAILURE_RETRY_MS = 1000;

/** One specialist agent: pulls its role's tasks one at a time and runs each through the specialist machine. */
export class Specialist {
  readonly agentId: string;
  readonly role: string;
  readonly #bus: Bus;
  readonly #logger: Logger;
  readonly #clock: Clock;
  readonly #options: SpecialistOptions;
  readonly #events;
  #consumer: WorkConsumer<TaskAssignment> | undefined;
  #inbox: Subscription | undefined;
  #running = false;
  #presence: Presence | undefined;
  #loop: Promise<void> | undefined;
  #abort = new AbortController();
  #notes: string[] = [];
  #peers = new PeerInbox(this.#notes);
  #currentTask: string | undefined;
  #actor: Actor<typeof specialistMachine> | undefined;
  // One worktree per repository this agent has worked in, reused from task to task.
  readonly #worktrees = new Map<string, AgentWorktree>();

  constructor(options: SpecialistOptions) {
    this.agentId = options.agentId;
    this.role = options.role;
    this.#options = options;
    this.#bus = options.bus;
    this.#clock = options.clock ?? systemClock;
    this.#logger = (options.logger ?? createLogger()).child({ agent: options.agentId });
    this.#events = createEventEmitter(this.#bus, this.agentId, this.#logger);
  }

  /** Current state of the specialist machine (`idle`, `working`, …). */
  get state(): string {
    return this.#actor ? String(this.#actor.getSnapshot().value) : "idle";
  }

  async start(): Promise<void> {
    const ackWaitMs = this.#options.ackWaitMs ?? 30_000;
    this.#consumer = await this.#bus.consumer("tasks", {
      durable: `tasks-${this.role}`,
      subject: subjects.task(this.role),
      schema: TaskAssignment,
      ackWaitMs,
    });
    this.#inbox = await this.#bus.subscribe(subjects.agentInbox(this.agentId), AgentInbox, (msg) => {
      const directive = msg.payload;
      if (directive.kind === "tell") this.#notes.push(directive.text);
      // A message about an earlier task (it arrived after that task ended) is no longer anyone's to read.
      if (directive.kind === "peer" && directive.taskId === this.#currentTask) this.#peers.receive(directive);
      if (directive.kind === "synced" && directive.taskId === this.#currentTask) this.#peers.synced();
      if (directive.kind === "cancel" && (!directive.taskId || directive.taskId === this.#currentTask)) {
        this.#abort.abort(new Error(directive.reason));
        this.#actor?.send({ type: "CANCEL", reason: directive.reason });
      }
    });
    this.#running = true;
    await this.#events.emit("agent.online", { agentId: this.agentId, role: this.role, brain: "configured" });
    const who = { agentId: this.agentId, role: this.role };
    this.#presence = await startPresence(this.#bus.presence, who, {
      clock: this.#clock,
      logger: this.#logger,
    });
    this.#loop = this.#run(ackWaitMs);
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#abort.abort(new Error("agent stopping"));
    await this.#loop;
    await this.#presence?.stop();
    await this.#inbox?.unsubscribe();
    await this.#consumer?.close();
    this.#actor?.stop();
    for (const worktree of this.#worktrees.values()) {
      await worktree
        .remove({ reason: "agent stopped", onEvent: gitEventReporter(this.#events) })
        .catch((error: unknown) =>
          this.#logger.warn({ err: error }, "could not remove the agent's worktree"),
        );
    }
    this.#worktrees.clear();
  }

  #worktreeFor(repoDir: string, root?: string): AgentWorktree {
    const key = resolve(repoDir);
    let worktree = this.#worktrees.get(key);
    if (!worktree) {
      worktree = new AgentWorktree({ repoDir: key, agentId: this.agentId, ...(root ? { root } : {}) });
      this.#worktrees.set(key, worktree);
    }
    return worktree;
  }

  async #run(ackWaitMs: number): Promise<void> {
    while (this.#running) {
      let item: WorkItem<TaskAssignment> | null = null;
      try {
        item = (await this.#consumer?.next({ expiresMs: 500 })) ?? null;
      } catch (error) {
        this.#logger.warn({ err: error }, "task pull failed; retrying");
        await new Promise((r) => setTimeout(r, 250));
        continue;
      }
      if (!item) continue;
      await this.#handle(item, ackWaitMs).catch((error: unknown) => {
        this.#logger.error({ err: error }, "task handling failed");
      });
    }
  }

  async #handle(item: WorkItem<TaskAssignment>, ackWaitMs: number): Promise<void> {
    const assignment = item.data.payload;
    const { goalId, attempt } = assignment;
    const taskId = assignment.task.taskId;
    if (await goalHasEnded(this.#bus.kv, goalId)) {
      // A task still queued for a cancelled or finished goal: nothing would merge it.
      await item.ack();
      return;
    }
    const claimed = await claimTask(
      this.#bus.kv,
      this.role,
      goalId,
      taskId,
      attempt,
      this.agentId,
      item.deliveryCount > 1,
      this.#clock.now(),
    );
    if (!claimed) {
      // Another worker holds this attempt, or a newer one exists: this copy is stale.
      await item.ack();
      return;
    }
    await this.#events.emit("task.claimed", { taskId, agentId: this.agentId, attempt }, goalId);
    this.#currentTask = taskId;
    this.#presence?.working({ goalId, taskId, attempt });
    this.#abort = new AbortController();
    this.#notes = [];
    this.#peers = new PeerInbox(this.#notes);
    const state: StageState = {};
    const stages = createStages(
      {
        bus: this.#bus,
        events: this.#events,
        agentId: this.agentId,
        role: this.role,
        notes: this.#notes,
        peers: this.#peers,
        signal: () => this.#abort.signal,
        worktreeFor: (repoDir, root) => this.#worktreeFor(repoDir, root),
        ...(this.#options.host ? { host: this.#options.host } : {}),
        ...(this.#options.home ? { home: this.#options.home } : {}),
        ...(this.#options.roleOverride ? { roleOverride: this.#options.roleOverride } : {}),
        ...(this.#options.extraPath ? { extraPath: this.#options.extraPath } : {}),
      },
      state,
    );
    const heartbeat = setInterval(
      () => void item.working().catch(() => undefined),
      Math.max(1000, ackWaitMs / 3),
    );
    // The task's git runs (switch, commit, bundle) rank by how many tasks wait on it.
    const ranked = <T>(fn: () => Promise<T>) => withGitPriority(assignment.priority ?? 0, fn);
    try {
      const final = await ranked(() => this.#runMachine(assignment, stages));
      if (final === "cancelled") {
        // The machine leaves at once; the stage that was running may still be touching the worktree.
        await Promise.race([state.inflight?.catch(() => undefined), sleep(15_000)]);
      }
      if (final === "cancelled" && state.workspace) {
        // Cancelled work is kept (salvaged), in a worktree that is not reused.
        await stages
          .discard(`cancelled: ${this.#actor?.getSnapshot().context.error ?? "by the coordinator"}`)
          .catch((error: unknown) => this.#logger.warn({ err: error }, "could not salvage the workspace"));
      }
      // Only the claim's holder speaks for the task: a zombie's failure must not trigger a retry.
      if (
        final === "failed" &&
        (await holdsClaim(this.#bus.kv, this.role, goalId, taskId, attempt, this.agentId))
      ) {
        const reason = this.#actor?.getSnapshot().context.error ?? "unknown error";
        if (!(await this.#reportFailure(goalId, taskId, attempt, reason))) {
          // Acked unreported, the task would wait forever on a failure nobody heard of: it is run again instead.
          this.#logger.error(
            { taskId, attempt, reason },
            "could not record task.failed; task sent back to run again",
          );
          await item.nak(FAILURE_RETRY_MS);
          return;
        }
      }
      await item.ack();
    } finally {
      clearInterval(heartbeat);
      await ranked(() => stages.cleanup());
      this.#currentTask = undefined;
      this.#presence?.idle();
      this.#actor?.stop();
      this.#actor = undefined;
    }
  }

  /**
   * Records task.failed, waiting until it is stored: the task is acked only then, since a failure still queued
   * in this process dies with it (SIGKILL) and nobody would hear of it. Tried again while the event log cannot
   * take it (a frozen or failing-over stream leader); a coordinator ignores a second report of one attempt.
   */
  async #reportFailure(goalId: string, taskId: string, attempt: number, reason: string): Promise<boolean> {
    for (let tries = 0; tries < FAILURE_REPORT_TRIES; tries++) {
      if (tries > 0) await sleep(FAILURE_RETRY_MS);
      const stored = await this.#events.emit("task.failed", { taskId, attempt, reason }, goalId, {
        untilStoredMs: FAILURE_RETRY_MS,
      });
      if (stored) return true;
    }
    return false;
  }

  /** Runs one task through a machine actor bound to this task's stages, publishing every state change. */
  #runMachine(assignment: Assignment, stages: ReturnType<typeof createStages>): Promise<string> {
    const machine = specialistMachine.provide({
      actors: {
        prepareWorkspace: fromPromise(({ input }) => stages.prepareWorkspace(input)),
        work: fromPromise(({ input }) => {
          const running = stages.work(input);
          stages.state.inflight = running;
          return running;
        }),
        propose: fromPromise(async ({ input }) => {
          // Fencing: a worker that stalled past AckWait lost the task to another replica; it must not propose.
          const { goalId, attempt, task } = input.assignment;
          if (!(await holdsClaim(this.#bus.kv, this.role, goalId, task.taskId, attempt, this.agentId))) {
            throw new Error(`claim on ${task.taskId} attempt ${attempt} was taken over; not proposing`);
          }
          return stages.propose(input);
        }),
      },
    });
    const { inspect } = this.#options;
    const actor = createActor(machine, {
      input: { agentId: this.agentId, role: this.role },
      ...(inspect ? { inspect } : {}),
    });
    this.#actor = actor;
    let previous = "idle";
    const settled = new Promise<string>((resolve) => {
      actor.subscribe((snapshot) => {
        const value = String(snapshot.value);
        if (value === previous) return;
        void this.#events.emit(
          "agent.state.changed",
          { agentId: this.agentId, role: this.role, from: previous, to: value },
          assignment.goalId,
        );
        previous = value;
        if (SETTLED.has(value)) resolve(value);
      });
    });
    actor.start();
    actor.send({ type: "CLAIM", assignment });
    return settled;
  }
}
