import { randomBytes } from "node:crypto";
import { type Actor, createActor } from "xstate";
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
  systemClock,
} from "../protocol/index.js";
import {
  announceEnd,
  answerGoal,
  cancelGoalAgents,
  claimHolderProblem,
  dispatchWindowOf,
  type GoalContext,
  GoalStore,
  type goalMachine,
  HoldAlarm,
  mergeEntries,
  nextHoldEnd,
  provideGoalEffects,
  restoreGoals,
  stateName,
  statusOf,
} from "./goal/index.js";
import { type GoalPort, startReviewLoop } from "./review/index.js";

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
  /** Times dispatches, proposals' receipt and dispatch holds (default: the system clock). */
  clock?: Clock;
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
  readonly #events: EventEmitter;
  readonly #extraPath: string[] | undefined;
  readonly goals = new Map<string, GoalHandle>();
  #subs: Subscription[] = [];
  #proposals: WorkConsumer<ProposalMessage>[] = [];
  readonly #reviewers: number;
  #reviewLoop: { stop(): Promise<void> } | undefined;
  readonly #store: GoalStore;
  readonly #proposalAckWaitMs: number;
  readonly #clock: Clock;
  readonly #alarms = new Map<string, HoldAlarm>();

  constructor(options: CoordinatorOptions) {
    this.#bus = options.bus;
    this.#logger = (options.logger ?? createLogger()).child({ component: "coordinator" });
    this.#events = createEventEmitter(this.#bus, "coordinator", this.#logger);
    this.#extraPath = options.extraPath;
    this.#proposalAckWaitMs = options.proposalAckWaitMs ?? 60_000;
    this.#reviewers = Math.max(1, options.reviewers ?? 4);
    this.#clock = options.clock ?? systemClock;
    this.#store = new GoalStore(this.#bus.kv, {
      owner: options.coordinatorId ?? `c-${randomBytes(4).toString("hex")}`,
      logger: this.#logger,
      onLost: (goalId, error) => {
        // Another coordinator owns the goal now: stop acting on it here.
        this.#logger.warn({ err: error, goalId }, "goal taken over by another coordinator");
        this.#alarms.get(goalId)?.stop();
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
  }

  async stop(): Promise<void> {
    await this.#reviewLoop?.stop();
    for (const sub of this.#subs) await sub.unsubscribe();
    for (const consumer of this.#proposals) await consumer.close();
    this.#proposals = [];
    for (const alarm of this.#alarms.values()) alarm.stop();
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

  /** Accepts a goal: resolves its base commit, loads the ownership rules, and starts its machine. */
  async submit(
    request: GoalSubmit,
  ): Promise<{ goalId: string; baseCommit: string; integrationBranch: string }> {
    const baseCommit = await resolveCommit(request.repo, request.baseRef);
    const ownership = await loadOwnership({ repoDir: request.repo });
    const goalId = request.goalId ?? `g-${Date.now().toString(36)}${randomBytes(2).toString("hex")}`;
    if (this.goals.has(goalId) || (await this.#store.read(goalId)))
      throw new GuildError("plan.invalid", `goal ${goalId} exists already`);
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
    const machine = provideGoalEffects({
      bus: this.#bus,
      events: this.#events,
      ownership,
      premerge,
      clock: this.#clock,
      ...(this.#extraPath ? { extraPath: this.#extraPath } : {}),
    });
    const actor = createActor(machine, { input });
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
    const alarm = new HoldAlarm(this.#clock, (at) => actor.send({ type: "CLOCK.TICK", at }));
    this.#alarms.get(goalId)?.stop();
    this.#alarms.set(goalId, alarm);
    return new Promise((resolve) => {
      actor.subscribe((snapshot) => {
        const name = stateName(snapshot.value);
        const status = statusOf(snapshot.value);
        this.#persist(goalId, actor, name, status, snapshot.context);
        alarm.set(snapshot.matches("running") ? nextHoldEnd(snapshot.context) : undefined);
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

  /** Emits the terminal event once the final state is stored, then records that it was emitted. */
  async #announce(
    goalId: string,
    actor: Actor<typeof goalMachine>,
    name: string,
    status: GoalStatus,
    ctx: GoalContext,
  ): Promise<void> {
    await this.#store.flush(goalId).catch(() => undefined);
    if (status === "cancelled") {
      await cancelGoalAgents(this.#bus, goalId, ctx.reason ?? "cancelled", this.#logger).catch(
        (error: unknown) => this.#logger.warn({ err: error, goalId }, "could not cancel the goal's agents"),
      );
    }
    await announceEnd(this.#events, goalId, status, ctx).catch((error: unknown) =>
      this.#logger.warn({ err: error, goalId }, "could not announce the goal's end"),
    );
    this.#persist(goalId, actor, name, status, ctx, true);
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
