import { randomBytes } from "node:crypto";
import { type Actor, createActor } from "xstate";
import {
  type Bus,
  createEventEmitter,
  type EventEmitter,
  type Subscription,
  type WorkConsumer,
} from "../bus/index.js";
import { integrationBranch, resolveCommit } from "../git/index.js";
import { loadOwnership, type Ownership } from "../ownership/index.js";
import {
  type ControlReply,
  createLogger,
  GoalControl,
  type GoalStatus,
  type GoalSubmit,
  GoalSubmitRequest,
  GuildError,
  type Logger,
  makeEnvelope,
  ProposalMessage,
  toGuildError,
} from "../protocol/index.js";
import { provideGoalEffects } from "./goal-effects.js";
import type { goalMachine } from "./goal-machine.js";
import { stateName, statusOf } from "./goal-status.js";
import type { GoalContext } from "./goal-types.js";
import { handleProposal } from "./proposal-intake.js";

const encoder = new TextEncoder();

export interface CoordinatorOptions {
  bus: Bus;
  logger?: Logger;
  /** Directories prepended to PATH for the test command (guild's own node_modules/.bin). */
  extraPath?: string[];
}

export interface GoalHandle {
  actor: Actor<typeof goalMachine>;
  ownership: Ownership;
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
  #proposals: WorkConsumer<ProposalMessage> | undefined;
  #running = false;
  #loop: Promise<void> | undefined;

  constructor(options: CoordinatorOptions) {
    this.#bus = options.bus;
    this.#logger = (options.logger ?? createLogger()).child({ component: "coordinator" });
    this.#events = createEventEmitter(this.#bus, "coordinator", this.#logger);
    this.#extraPath = options.extraPath;
  }

  async start(): Promise<void> {
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
        { subject: "guild.evt.*.*.task.failed", fromTime: new Date() },
        (event) => {
          if (event.type !== "task.failed" || !event.goalId) return;
          const { taskId, attempt, reason } = event.payload;
          this.goals.get(event.goalId)?.actor.send({ type: "TASK.FAILED", taskId, attempt, reason });
        },
      ),
    );
    this.#proposals = await this.#bus.consumer("proposals", {
      durable: "coordinator-proposals",
      subject: "guild.proposal.>",
      schema: ProposalMessage,
      ackWaitMs: 60_000,
    });
    this.#running = true;
    this.#loop = this.#intake();
  }

  async stop(): Promise<void> {
    this.#running = false;
    await this.#loop;
    for (const sub of this.#subs) await sub.unsubscribe();
    await this.#proposals?.close();
    for (const goal of this.goals.values()) goal.actor.stop();
  }

  /** Accepts a goal: resolves its base commit, loads the ownership rules, and starts its machine. */
  async submit(
    request: GoalSubmit,
  ): Promise<{ goalId: string; baseCommit: string; integrationBranch: string }> {
    const baseCommit = await resolveCommit(request.repo, request.baseRef);
    const ownership = await loadOwnership({ repoDir: request.repo });
    const goalId = request.goalId ?? `g-${Date.now().toString(36)}${randomBytes(2).toString("hex")}`;
    if (this.goals.has(goalId)) throw new GuildError("plan.invalid", `goal ${goalId} exists already`);
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
      merged: [],
    };
    const machine = provideGoalEffects({
      bus: this.#bus,
      events: this.#events,
      ownership,
      ...(this.#extraPath ? { extraPath: this.#extraPath } : {}),
    });
    const actor = createActor(machine, { input });
    const finished = this.#watch(goalId, actor);
    this.goals.set(goalId, { actor, ownership, finished });
    actor.start();
    return { goalId, baseCommit, integrationBranch: integrationBranch(goalId) };
  }

  /** Publishes and persists every state change; resolves when the goal ends. */
  #watch(goalId: string, actor: Actor<typeof goalMachine>): Promise<GoalContext & { status: GoalStatus }> {
    let previous = "none";
    return new Promise((resolve) => {
      actor.subscribe((snapshot) => {
        const name = stateName(snapshot.value);
        const status = statusOf(snapshot.value);
        void this.#persist(goalId, name, status, snapshot.context);
        if (name === previous) return;
        void this.#events.emit("coordinator.state.changed", { from: previous, to: name, status }, goalId);
        previous = name;
        if (snapshot.status !== "done") return;
        const ctx = snapshot.context;
        if (status === "done") {
          const summary = `${ctx.merged.length} proposal(s) merged into ${integrationBranch(goalId)}; tests ${ctx.verify?.passed ? "passed" : "not run"}`;
          void this.#events.emit(
            "goal.done",
            { branch: integrationBranch(goalId), head: ctx.integrationHead ?? ctx.baseCommit, summary },
            goalId,
          );
        } else if (status === "cancelled") {
          void this.#events.emit("goal.cancelled", { reason: ctx.reason ?? "cancelled" }, goalId);
        } else {
          void this.#events.emit("goal.failed", { reason: ctx.reason ?? "unknown" }, goalId);
        }
        resolve({ ...ctx, status });
      });
    });
  }

  async #persist(goalId: string, state: string, status: GoalStatus, context: GoalContext): Promise<void> {
    const record = { goalId, state, status, context, updatedAt: new Date().toISOString() };
    await this.#bus.kv
      .put(`goal.${goalId}`, encoder.encode(JSON.stringify(record)))
      .catch((error: unknown) => {
        this.#logger.warn({ err: error, goalId }, "could not persist goal state");
      });
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
        return { ok: false, message: `${action.action} is not supported by this coordinator yet`, status };
    }
  }

  async #intake(): Promise<void> {
    while (this.#running) {
      try {
        const item = await this.#proposals?.next({ expiresMs: 500 });
        if (!item) continue;
        await handleProposal(item, {
          bus: this.#bus,
          events: this.#events,
          goals: this.goals,
          logger: this.#logger,
        });
      } catch (error) {
        this.#logger.error({ err: error }, "proposal intake failed");
        const e = toGuildError(error);
        await this.#events.emit("error.raised", {
          code: e.code,
          message: e.message,
          context: "proposal intake",
        });
      }
    }
  }
}
