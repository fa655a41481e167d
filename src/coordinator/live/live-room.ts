import type { Bus, EventEmitter, Subscription } from "../../bus/index.js";
import {
  type Clock,
  type ContractBroken,
  type ContractParty,
  type GuildEvent,
  type Logger,
  makeEnvelope,
  type OverlapDetected,
  type PeerDirective,
  type ProvidedExport,
  subjects,
  type WorkProgress,
} from "../../protocol/index.js";
import { ContractWatch, contractDirectives } from "./contract-watch.js";
import { OverlapDetector } from "./overlap-detector.js";
import { overlapDirectives } from "./overlap-notes.js";
import { PeerRouter, type Worker } from "./peer-router.js";

/** What the live room reads of one running goal. */
export interface LiveGoalView {
  /**
   * A task's role, the base its attempt works on, its proposal's head once there is one, the exports it
   * declared it provides and the tasks depending on it.
   */
  task(taskId: string):
    | {
        role: string;
        base: string;
        head?: string | undefined;
        provides?: readonly ProvidedExport[] | undefined;
        dependents?: readonly ContractParty[];
      }
    | undefined;
  live: { enabled: boolean; answerMs: number; maxQuestions: number };
}

export interface LiveRoomDeps {
  bus: Bus;
  events: EventEmitter;
  clock: Clock;
  logger: Logger;
  goal(goalId: string): LiveGoalView | undefined;
}

interface GoalLive {
  detector: OverlapDetector;
  router: PeerRouter;
  /** Agents at work on the goal's tasks now, by task. */
  workers: Map<string, Worker>;
  contracts: ContractWatch;
  /** Each provider's latest progress, to check its contract when its proposal is sent. */
  progress: Map<string, WorkProgress>;
  /** Contract notes for dependents not at work yet: delivered when they claim their task. */
  waiting: Map<string, { directive: PeerDirective; contractId: string }[]>;
}

const ENDS = new Set(["goal.done", "goal.failed", "goal.cancelled"]);

/**
 * The coordinator's live coordination: reads agents' progress, questions and answers from the event
 * log, tells both sides of an overlap and carries questions, always through the agents' inboxes.
 */
export async function startLiveRoom(deps: LiveRoomDeps): Promise<{ stop(): Promise<void> }> {
  const goals = new Map<string, GoalLive>();

  function deliver(goalId: string, to: Worker, directive: PeerDirective, from: string, overlapId?: string) {
    const envelope = makeEnvelope({
      type: "agent.directive",
      source: "coordinator",
      goalId,
      payload: directive,
    });
    void deps.bus.publish(subjects.agentInbox(to.agentId), envelope).catch((error: unknown) => {
      deps.logger.warn({ err: error, agentId: to.agentId }, "could not deliver to an agent's inbox");
    });
    const quote = directive.quote ? ` «${directive.quote}»` : "";
    void deps.events.emit(
      "peer.told",
      {
        agentId: to.agentId,
        taskId: to.taskId,
        topic: directive.topic,
        from,
        text: `${directive.text}${quote}`.slice(0, 4000),
        ...(directive.questionId ? { questionId: directive.questionId } : {}),
        ...(overlapId ? { overlapId } : {}),
      },
      goalId,
    );
  }

  function liveOf(goalId: string, view: LiveGoalView): GoalLive {
    let live = goals.get(goalId);
    if (live) return live;
    const detector = new OverlapDetector((user, other) => {
      const head = view.task(other)?.head;
      return head !== undefined && view.task(user)?.base === head;
    });
    const router = new PeerRouter({
      clock: deps.clock,
      answerMs: view.live.answerMs,
      // A task may ask its questions and answer as many, no more.
      maxMessages: Math.max(1, view.live.maxQuestions * 2),
      deliver: (to, directive, from) => deliver(goalId, to, directive, from),
      cutOff: (worker, limit, reason) =>
        void deps.events.emit(
          "peer.cut_off",
          { agentId: worker.agentId, taskId: worker.taskId, limit, reason },
          goalId,
        ),
    });
    live = {
      detector,
      router,
      workers: new Map(),
      contracts: new ContractWatch(),
      progress: new Map(),
      waiting: new Map(),
    };
    goals.set(goalId, live);
    return live;
  }

  function tell(goalId: string, live: GoalLive, overlap: OverlapDetected): void {
    void deps.events.emit("overlap.detected", overlap, goalId);
    const directives = overlapDirectives(overlap);
    // Only an agent still at work on its task can act on it; a merged side has nobody to tell.
    for (const [side, directive] of [
      [overlap.a, directives.a],
      [overlap.b, directives.b],
    ] as const) {
      const worker = live.workers.get(side.taskId);
      if (worker) deliver(goalId, worker, directive, "coordinator", overlap.overlapId);
    }
  }

  /** Raises a broken contract and tells the provider (if at work) and every dependent, now or when it starts. */
  function broken(goalId: string, live: GoalLive, contract: ContractBroken): void {
    void deps.events.emit("contract.broken", contract, goalId);
    const directives = contractDirectives(contract);
    const provider = live.workers.get(contract.provider.taskId);
    if (provider) deliver(goalId, provider, directives.provider, "coordinator", contract.contractId);
    for (const dependent of contract.dependents) {
      const directive = directives.dependent(dependent.taskId);
      const worker = live.workers.get(dependent.taskId);
      if (worker) deliver(goalId, worker, directive, "coordinator", contract.contractId);
      else
        live.waiting.set(dependent.taskId, [
          ...(live.waiting.get(dependent.taskId) ?? []),
          { directive, contractId: contract.contractId },
        ]);
    }
  }

  /** Checks a provider's progress against the exports its task declared. */
  function checkContract(
    goalId: string,
    live: GoalLive,
    view: LiveGoalView,
    p: WorkProgress,
    final: boolean,
  ) {
    const task = view.task(p.taskId);
    if (!task?.provides?.length) return;
    const provider = { role: task.role, provides: task.provides, dependents: task.dependents ?? [] };
    for (const contract of live.contracts.check(p, provider, final)) broken(goalId, live, contract);
  }

  /** The worker a task's event speaks for: only the agent that claimed the task speaks for it. */
  function workerOf(live: GoalLive, event: GuildEvent, taskId: string): Worker | undefined {
    const worker = live.workers.get(taskId);
    return worker && worker.agentId === event.source ? worker : undefined;
  }

  function handle(event: GuildEvent): void {
    const goalId = event.goalId;
    if (!goalId) return;
    if (ENDS.has(event.type)) {
      goals.get(goalId)?.router.stop();
      goals.delete(goalId);
      return;
    }
    const view = deps.goal(goalId);
    if (!view?.live.enabled) return;
    const live = liveOf(goalId, view);
    switch (event.type) {
      case "task.claimed": {
        const role = view.task(event.payload.taskId)?.role;
        if (!role || event.source !== event.payload.agentId) return;
        const worker = { taskId: event.payload.taskId, agentId: event.source, role };
        live.workers.set(event.payload.taskId, worker);
        live.progress.delete(worker.taskId);
        const waiting = live.waiting.get(worker.taskId) ?? [];
        live.waiting.delete(worker.taskId);
        for (const note of waiting) deliver(goalId, worker, note.directive, "coordinator", note.contractId);
        return;
      }
      case "work.progress": {
        const p = event.payload;
        const worker = workerOf(live, event, p.taskId);
        if (!worker || worker.role !== p.role || p.agentId !== event.source) return;
        for (const overlap of live.detector.update(p)) tell(goalId, live, overlap);
        const last = live.progress.get(p.taskId);
        if (last && (last.attempt > p.attempt || (last.attempt === p.attempt && last.seq >= p.seq))) return;
        live.progress.set(p.taskId, p);
        checkContract(goalId, live, view, p, false);
        return;
      }
      case "peer.asked": {
        const asker = workerOf(live, event, event.payload.taskId);
        if (asker) live.router.ask(asker, event.payload, [...live.workers.values()]);
        return;
      }
      case "peer.answered": {
        const from = workerOf(live, event, event.payload.taskId);
        if (from) live.router.answer(from, event.payload);
        return;
      }
      case "proposal.published": {
        if (!workerOf(live, event, event.payload.taskId)) return;
        const last = live.progress.get(event.payload.taskId);
        // The reporter's last progress of the attempt comes before its proposal; a new claim cleared the older.
        if (last?.agentId === event.source) checkContract(goalId, live, view, last, true);
        live.workers.delete(event.payload.taskId);
        return;
      }
      case "task.failed":
        if (workerOf(live, event, event.payload.taskId)) live.workers.delete(event.payload.taskId);
        live.detector.forget(event.payload.taskId);
        return;
      case "proposal.rejected":
        if (event.source === "coordinator") live.detector.forget(event.payload.taskId);
        return;
      case "merge.completed":
        if (event.source === "coordinator") live.detector.merged(event.payload.taskId);
        return;
      default:
        return;
    }
  }

  const sub: Subscription = await deps.bus.events.follow(
    { subject: "guild.evt.>", fromTime: new Date() },
    (event) => {
      try {
        handle(event);
      } catch (error) {
        // One odd event must not stop live coordination for every goal.
        deps.logger.warn({ err: error, type: event.type }, "live coordination could not handle an event");
      }
    },
  );
  return {
    async stop() {
      await sub.unsubscribe();
      for (const live of goals.values()) live.router.stop();
      goals.clear();
    },
  };
}
