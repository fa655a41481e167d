import { randomBytes } from "node:crypto";
import { type Actor, createActor, type InspectionEvent, type Observer } from "xstate";
import {
  type Bus,
  createEventEmitter,
  type EventEmitter,
  type Subscription,
  type WorkConsumer,
} from "../bus/index.js";
import { IncrementalMerge, integrationBranch, resolveCommit } from "../git/index.js";
import { loadOwnership, type Ownership } from "../ownership/index.js";
import {
  type Clock,
  type ControlReply,
  createLogger,
  GoalControl,
  type GoalStatus,
  type GoalSubmit,
  GoalSubmitRequest,
  GuildError,
  type GuildEvent,
  type Logger,
  makeEnvelope,
  ProposalMessage,
  type ScheduleConfig,
  systemClock,
} from "../protocol/index.js";
import {
  answerGoal,
  claimHolderProblem,
  dispatchWindowOf,
  finishGoal,
  type GoalContext,
  GoalStore,
  type goalMachine,
  type HandoffSecrets,
  mergeEntries,
  provideGoalEffects,
  restoreGoals,
  stateName,
  statusOf,
} from "./goal/index.js";
import { type LiveGoalView, startLiveRoom } from "./live/index.js";
import { type GoalPort, startReviewLoop } from "./review/index.js";
import { GoalScheduler } from "./schedule/index.js";

export interface CoordinatorOptions {
  bus: Bus;
  logger?: Logger;
  /** Directories prepended to PATH for the test command (guild's own node_modules/.bin). */
  extraPath?: string[];
  /** Names this coordinator instance as the owner of its goals' records (default: random). */
  coordinatorId?: string;
  /** Redelivery deadline of a proposal taken but not acked (the coordinator died): default 60 s. */
  proposalAckWaitMs?: number;
  /** Proposals reviewed at once (each review waits on git); default 4. */
  reviewers?: number;
  /** Times dispatches and proposals' receipt (default: the system clock). */
  clock?: Clock;
  /** Token and API root for guild.yaml's `handoff` (default: GITHUB_TOKEN, GITHUB_API_URL). */
  handoffSecrets?: HandoffSecrets;
  /** Goals to start on a schedule (the host guild.yaml's `schedules`), against `repo`. */
  schedules?: { repo: string; schedules: ScheduleConfig[] };
  /** Receives the goal machines' XState inspection events (`guild up --inspect`); default none. */
  inspect?: Observer<InspectionEvent>;
}

export interface GoalHandle {
  actor: Actor<typeof goalMachine>;
  ownership: Ownership;
  /** Merges accepted proposals while the goal runs, so the final merge is a ref update. */
  premerge: IncrementalMerge;
  finished: Promise<GoalContext & { status: GoalStatus }>;
}

/** Turns goals into plans, dispatches tasks, reviews proposals, settles conflicts, merges and verifies. */
export class Coordinator {
  readonly #bus: Bus;
  readonly #logger: Logger;
  readonly #inspect: Observer<InspectionEvent> | undefined;
  readonly #events: EventEmitter;
  readonly #extraPath: string[] | undefined;
  readonly goals = new Map<string, GoalHandle>();
  #subs: Subscription[] = [];
  #proposals: WorkConsumer<ProposalMessage>[] = [];
  readonly #reviewers: number;
  #reviewLoop: { stop(): Promise<void> } | undefined;
  #live: { stop(): Promise<void> } | undefined;
  readonly #store: GoalStore;
  readonly #proposalAckWaitMs: number;
  readonly #clock: Clock;
  readonly #handoffSecrets: HandoffSecrets;
  readonly #scheduler: GoalScheduler | undefined;

  constructor(options: CoordinatorOptions) {
    this.#bus = options.bus;
    this.#logger = (options.logger ?? createLogger()).child({ component: "coordinator" });
    this.#events = createEventEmitter(this.#bus, "coordinator", this.#logger);
    this.#extraPath = options.extraPath;
    this.#inspect = options.inspect;
    this.#proposalAckWaitMs = options.proposalAckWaitMs ?? 60_000;
    this.#reviewers = Math.max(1, options.reviewers ?? 4);
    this.#clock = options.clock ?? systemClock;
    this.#handoffSecrets = options.handoffSecrets ?? {
      ...(process.env.GITHUB_TOKEN ? { token: process.env.GITHUB_TOKEN } : {}),
      ...(process.env.GITHUB_API_URL ? { apiUrl: process.env.GITHUB_API_URL } : {}),
    };
    this.#scheduler = options.schedules?.schedules.length ? this.#schedulerFor(options.schedules) : undefined;
    this.#store = new GoalStore(this.#bus.kv, {
      owner: options.coordinatorId ?? `c-${randomBytes(4).toString("hex")}`,
      logger: this.#logger,
      onLost: (goalId, error) => {
        // Another coordinator owns the goal now: stop acting on it here.
        this.#logger.warn({ err: error, goalId }, "goal taken over by another coordinator");
        this.goals.get(goalId)?.actor.stop();
        this.goals.delete(goalId);
      },
    });
  }

  async start(): Promise<void> {
    // Goals come back before anything is served, so no proposal meets an unknown goal.
    const since = await this.#restore();
    this.#subs.push(
      await this.#bus.serve("guild.goal.submit", GoalSubmitRequest, async (req) => {
        const accepted = await this.submit(req.payload);
        return makeEnvelope({
          type: "goal.accepted",
          source: "coordinator",
          goalId: accepted.goalId,
          payload: accepted,
        });
      }),
      await this.#bus.serve("guild.goal.*.control", GoalControl, async (req, meta) => {
        const goalId = meta.subject.split(".")[2] ?? "";
        return makeEnvelope({
          type: "goal.control.reply",
          source: "coordinator",
          goalId,
          payload: this.#control(goalId, req),
        });
      }),
      await this.#bus.events.follow(
        { subject: "guild.evt.*.*.task.failed", fromTime: since },
        (event, meta) => this.#taskFailed(event, meta.subject),
      ),
    );
    this.#live = await startLiveRoom({
      bus: this.#bus,
      events: this.#events,
      clock: this.#clock,
      logger: this.#logger,
      goal: (goalId) => liveViewOf(this.goals.get(goalId)),
    });
    // Several reviews at once, each pulling one proposal at a time from the shared durable consumer:
    // a review waits on git (import, checks), and the goal machine drops verdicts for stale attempts.
    for (let i = 0; i < this.#reviewers; i++) {
      this.#proposals.push(
        await this.#bus.consumer("proposals", {
          durable: "coordinator-proposals",
          subject: "guild.proposal.>",
          schema: ProposalMessage,
          ackWaitMs: this.#proposalAckWaitMs,
        }),
      );
    }
    this.#reviewLoop = startReviewLoop(
      this.#proposals,
      {
        bus: this.#bus,
        events: this.#events,
        goals: goalPortOf(this.goals),
        logger: this.#logger,
        clock: this.#clock,
        persist: (goalId) => this.#store.flush(goalId),
      },
      this.#reviewers,
    );
    // Last: a run missed while no coordinator ran starts now, onto a coordinator that serves everything.
    await this.#scheduler?.start();
  }

  async stop(): Promise<void> {
    await this.#scheduler?.stop();
    await this.#reviewLoop?.stop();
    await this.#live?.stop();
    for (const sub of this.#subs) await sub.unsubscribe();
    for (const consumer of this.#proposals) await consumer.close();
    this.#proposals = [];
    for (const goal of this.goals.values()) goal.actor.stop();
    for (const goalId of this.goals.keys()) await this.#store.flush(goalId).catch(() => undefined);
    this.#store.close();
  }

  /**
   * Takes over the goals a previous coordinator left unfinished and restarts their machines from their
   * snapshots; returns the time to replay task failures from (the oldest restored snapshot, else now).
   */
  async #restore(): Promise<Date> {
    let since = new Date();
    const restored = await restoreGoals({
      bus: this.#bus,
      events: this.#events,
      store: this.#store,
      logger: this.#logger,
      clock: this.#clock,
      ...(this.#extraPath ? { extraPath: this.#extraPath } : {}),
      ...(this.#inspect ? { inspect: this.#inspect } : {}),
    });
    for (const { record, actor, ownership, premerge } of restored) {
      const updated = new Date(record.updatedAt);
      if (updated < since) since = updated;
      const finished = this.#watch(record.goalId, actor, record.state);
      this.goals.set(record.goalId, { actor, ownership, premerge, finished });
      await this.#events.emit(
        "coordinator.state.changed",
        { from: "restored", to: record.state, status: record.status },
        record.goalId,
      );
      actor.start();
    }
    return since;
  }

  /** The scheduler of `schedules`: it starts each run as a goal named after the run's time. */
  #schedulerFor(options: { repo: string; schedules: ScheduleConfig[] }): GoalScheduler {
    return new GoalScheduler(options.schedules, {
      kv: this.#bus.kv,
      events: this.#events,
      clock: this.#clock,
      logger: this.#logger,
      startGoal: async (goal) => {
        await this.submit({ ...goal, repo: options.repo });
      },
      goalExists: async (goalId) => this.goals.has(goalId) || (await this.#store.read(goalId)) !== null,
    });
  }

  /** Accepts a goal: resolves its base commit, loads the ownership rules, and starts its machine. */
  async submit(
    request: GoalSubmit,
  ): Promise<{ goalId: string; baseCommit: string; integrationBranch: string }> {
    const baseCommit = await resolveCommit(request.repo, request.baseRef);
    const ownership = await loadOwnership({ repoDir: request.repo });
    const goalId = request.goalId ?? `g-${Date.now().toString(36)}${randomBytes(2).toString("hex")}`;
    if (this.goals.has(goalId) || (await this.#store.read(goalId)))
      throw new GuildError("plan.invalid", `goal ${goalId} exists already`, { details: { goalId } });
    await this.#events.emit(
      "goal.submitted",
      { text: request.text, repo: request.repo, baseRef: request.baseRef, baseCommit },
      goalId,
    );
    const input: GoalContext = {
      goalId,
      text: request.text,
      repo: request.repo,
      baseRef: request.baseRef,
      baseCommit,
      ...(request.plan ? { preparedPlan: request.plan } : {}),
      tasks: {},
      order: [],
      settlements: [],
      decisions: [],
      merged: [],
      dispatchWindow: dispatchWindowOf(ownership.config),
    };
    const premerge = new IncrementalMerge(request.repo, baseCommit);
    let goalActor: Actor<typeof goalMachine> | undefined;
    const machine = provideGoalEffects({
      bus: this.#bus,
      events: this.#events,
      ownership,
      premerge,
      clock: this.#clock,
      send: (event) => goalActor?.send(event),
      ...(this.#extraPath ? { extraPath: this.#extraPath } : {}),
    });
    const actor = createActor(machine, { input, ...(this.#inspect ? { inspect: this.#inspect } : {}) });
    goalActor = actor;
    const finished = this.#watch(goalId, actor);
    this.goals.set(goalId, { actor, ownership, premerge, finished });
    actor.start();
    // The goal is accepted only once its first record is stored: a crash after the reply cannot lose it.
    await this.#store.flush(goalId);
    return { goalId, baseCommit, integrationBranch: integrationBranch(goalId) };
  }

  /** Publishes and persists every state change; resolves when the goal ends. */
  #watch(
    goalId: string,
    actor: Actor<typeof goalMachine>,
    from = "none",
  ): Promise<GoalContext & { status: GoalStatus }> {
    let previous = from;
    return new Promise((resolve) => {
      actor.subscribe((snapshot) => {
        const name = stateName(snapshot.value);
        const status = statusOf(snapshot.value);
        this.#persist(goalId, actor, name, status, snapshot.context);
        if (name === previous) return;
        void this.#events.emit("coordinator.state.changed", { from: previous, to: name, status }, goalId);
        previous = name;
        if (snapshot.status !== "done") return;
        const ctx = snapshot.context;
        void this.#announce(goalId, actor, name, status, ctx);
        resolve({ ...ctx, status });
      });
    });
  }

  /** Runs the end-of-goal steps (goal/goal-end.ts); the final record is marked announced once the terminal event is out. */
  async #announce(
    goalId: string,
    actor: Actor<typeof goalMachine>,
    name: string,
    status: GoalStatus,
    ctx: GoalContext,
  ): Promise<void> {
    const deps = {
      bus: this.#bus,
      events: this.#events,
      logger: this.#logger,
      store: this.#store,
      handoffSecrets: this.#handoffSecrets,
    };
    const config = this.goals.get(goalId)?.ownership.config;
    await finishGoal(deps, { goalId, status, ctx, config }, () =>
      this.#persist(goalId, actor, name, status, ctx, true),
    );
  }

  /** Queues the goal's record (snapshot, status, context) for a compare-and-set write. */
  #persist(
    goalId: string,
    actor: Actor<typeof goalMachine>,
    state: string,
    status: GoalStatus,
    context: GoalContext,
    announced = false,
  ): void {
    const { context: _omitted, ...snapshot } = actor.getPersistedSnapshot() as Record<string, unknown>;
    this.#store.save({
      goalId,
      state,
      status,
      context,
      updatedAt: new Date().toISOString(),
      owner: this.#store.owner,
      snapshot,
      ...(announced ? { announced } : {}),
    });
  }

  /** A task's failure counts only from the agent that claimed that attempt; anyone else's is reported and ignored. */
  async #taskFailed(event: GuildEvent, subject: string): Promise<void> {
    if (event.type !== "task.failed" || !event.goalId) return;
    const goal = this.goals.get(event.goalId);
    const { taskId, attempt, reason } = event.payload;
    const task = goal?.actor.getSnapshot().context.tasks[taskId];
    if (!goal || !task) return;
    const problem = await withRetries(() =>
      claimHolderProblem(this.#bus.kv, task.spec.role, event.goalId as string, taskId, attempt, event.source),
    ).catch((error: unknown) => `its claim could not be read: ${(error as Error).message}`);
    if (problem) {
      await this.#events.emit(
        "bus.message.rejected",
        {
          subject,
          reason: `task.failed ignored: ${problem}`,
          issues: [],
          sample: JSON.stringify(event).slice(0, 2000),
        },
        event.goalId,
      );
      return;
    }
    goal.actor.send({ type: "TASK.FAILED", taskId, attempt, reason });
  }

  #control(goalId: string, req: GoalControl): ControlReply["payload"] {
    const goal = this.goals.get(goalId);
    if (!goal) return { ok: false, message: `no goal ${goalId}` };
    const action = req.payload;
    const status = statusOf(goal.actor.getSnapshot().value);
    switch (action.action) {
      case "status":
        return { ok: true, message: stateName(goal.actor.getSnapshot().value), status };
      case "cancel":
        goal.actor.send({ type: "CANCEL", reason: action.reason });
        return { ok: true, message: "cancelling", status: "cancelled" };
      default:
        return answerGoal(goal.actor, action, { bus: this.#bus, events: this.#events });
    }
  }
}

/** A read that a NATS failover may fail for a moment is tried three times, half a second apart. */
async function withRetries<T>(read: () => Promise<T>): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await read();
    } catch (error) {
      if (i >= 3) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

/** Review's narrow view of the running goals: it reads and reports, and never starts, stops or replaces one. */
function goalPortOf(goals: ReadonlyMap<string, GoalHandle>): GoalPort {
  return {
    find(goalId) {
      const goal = goals.get(goalId);
      if (!goal) return undefined;
      return {
        ownership: goal.ownership,
        context: () => goal.actor.getSnapshot().context,
        send: (event) => goal.actor.send(event),
        // In the background: the review worker moves on; the final merge waits for it if it must.
        offerMerge: () => void goal.premerge.offer(mergeEntries(goal.actor.getSnapshot().context)),
      };
    },
  };
}

/** Live coordination's view of a goal: its tasks' roles and bases, and the live settings of its config. */
function liveViewOf(goal: GoalHandle | undefined): LiveGoalView | undefined {
  if (!goal) return undefined;
  return {
    live: goal.ownership.config.live,
    task(taskId) {
      const { tasks } = goal.actor.getSnapshot().context;
      const record = tasks[taskId];
      if (!record) return undefined;
      const dependents = Object.values(tasks)
        .filter((t) => t.spec.dependsOn.includes(taskId))
        .map((t) => ({ taskId: t.spec.taskId, role: t.spec.role }));
      return {
        role: record.spec.role,
        base: record.base,
        head: record.proposal?.headCommit,
        provides: record.spec.provides,
        dependents,
      };
    },
  };
}
