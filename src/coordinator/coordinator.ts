import { randomBytes } from "node:crypto";
import type { InspectionEvent, Observer } from "xstate";
import { type Bus, createEventEmitter, type Subscription, type WorkConsumer } from "../bus/index.js";
import {
  type Clock,
  createLogger,
  type GoalSubmit,
  type Logger,
  ProposalMessage,
  type ScheduleConfig,
  systemClock,
} from "../protocol/index.js";
import { serveControlRequests } from "./control-requests.js";
import type { CoordinatorCore, GoalHandle } from "./coordinator-core.js";
import { GoalStore, type HandoffSecrets } from "./goal/index.js";
import { goalExists, resumeGoals, submitGoal } from "./goal-start.js";
import { goalPortOf, liveViewOf } from "./goal-views.js";
import { startLiveRoom } from "./live/index.js";
import { startReviewLoop } from "./review/index.js";
import { GoalScheduler } from "./schedule/index.js";
import { followTaskFailures } from "./task-failed-intake.js";

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

/**
 * Turns goals into plans, dispatches tasks, reviews proposals, settles conflicts, merges and verifies.
 * This class wires the parts together and starts and stops them; starting goals is goal-start.ts, their
 * records goal-watch.ts, people's requests control-requests.ts and agents' failures task-failed-intake.ts.
 */
export class Coordinator {
  readonly goals = new Map<string, GoalHandle>();
  readonly #core: CoordinatorCore;
  #subs: Subscription[] = [];
  #proposals: WorkConsumer<ProposalMessage>[] = [];
  readonly #reviewers: number;
  #reviewLoop: { stop(): Promise<void> } | undefined;
  #live: { stop(): Promise<void> } | undefined;
  readonly #proposalAckWaitMs: number;
  readonly #scheduler: GoalScheduler | undefined;

  constructor(options: CoordinatorOptions) {
    const bus = options.bus;
    const logger = (options.logger ?? createLogger()).child({ component: "coordinator" });
    const store = new GoalStore(bus.kv, {
      owner: options.coordinatorId ?? `c-${randomBytes(4).toString("hex")}`,
      logger,
      onLost: (goalId, error) => {
        // Another coordinator owns the goal now: stop acting on it here.
        logger.warn({ err: error, goalId }, "goal taken over by another coordinator");
        this.goals.get(goalId)?.actor.stop();
        this.goals.delete(goalId);
      },
    });
    this.#core = {
      bus,
      logger,
      store,
      events: createEventEmitter(bus, "coordinator", logger),
      clock: options.clock ?? systemClock,
      goals: this.goals,
      handoffSecrets: options.handoffSecrets ?? {
        ...(process.env.GITHUB_TOKEN ? { token: process.env.GITHUB_TOKEN } : {}),
        ...(process.env.GITHUB_API_URL ? { apiUrl: process.env.GITHUB_API_URL } : {}),
      },
      ...(options.extraPath ? { extraPath: options.extraPath } : {}),
      ...(options.inspect ? { inspect: options.inspect } : {}),
    };
    this.#proposalAckWaitMs = options.proposalAckWaitMs ?? 60_000;
    this.#reviewers = Math.max(1, options.reviewers ?? 4);
    this.#scheduler = options.schedules?.schedules.length ? this.#schedulerFor(options.schedules) : undefined;
  }

  async start(): Promise<void> {
    const core = this.#core;
    // Goals come back before anything is served, so no proposal meets an unknown goal.
    const since = await resumeGoals(core);
    this.#subs.push(
      ...(await serveControlRequests(core, (request) => this.submit(request))),
      await followTaskFailures(core, since),
    );
    this.#live = await startLiveRoom({
      bus: core.bus,
      events: core.events,
      clock: core.clock,
      logger: core.logger,
      goal: (goalId) => liveViewOf(this.goals.get(goalId)),
    });
    // Several reviews at once, each pulling one proposal at a time from the shared durable consumer:
    // a review waits on git (import, checks), and the goal machine drops verdicts for stale attempts.
    for (let i = 0; i < this.#reviewers; i++) {
      this.#proposals.push(
        await core.bus.consumer("proposals", {
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
        bus: core.bus,
        events: core.events,
        goals: goalPortOf(this.goals),
        logger: core.logger,
        clock: core.clock,
        persist: (goalId) => core.store.flush(goalId),
      },
      this.#reviewers,
    );
    // Last: a run missed while no coordinator ran starts now, onto a coordinator that serves everything.
    await this.#scheduler?.start();
  }

  async stop(): Promise<void> {
    const { store } = this.#core;
    await this.#scheduler?.stop();
    await this.#reviewLoop?.stop();
    await this.#live?.stop();
    for (const sub of this.#subs) await sub.unsubscribe();
    for (const consumer of this.#proposals) await consumer.close();
    this.#proposals = [];
    for (const goal of this.goals.values()) goal.actor.stop();
    for (const goalId of this.goals.keys()) await store.flush(goalId).catch(() => undefined);
    store.close();
  }

  /** Accepts a goal: resolves its base commit, loads the ownership rules, and starts its machine. */
  submit(request: GoalSubmit): Promise<{ goalId: string; baseCommit: string; integrationBranch: string }> {
    return submitGoal(this.#core, request);
  }

  /** The scheduler of `schedules`: it starts each run as a goal named after the run's time. */
  #schedulerFor(options: { repo: string; schedules: ScheduleConfig[] }): GoalScheduler {
    const core = this.#core;
    return new GoalScheduler(options.schedules, {
      kv: core.bus.kv,
      events: core.events,
      clock: core.clock,
      logger: core.logger,
      startGoal: async (goal) => {
        await this.submit({ ...goal, repo: options.repo });
      },
      goalExists: (goalId) => goalExists(core, goalId),
    });
  }
}
