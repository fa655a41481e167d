import type { Clock, PeerDirective } from "../../protocol/index.js";

/** An agent working one task of a goal. */
export interface Worker {
  taskId: string;
  agentId: string;
  role: string;
}

export interface PeerRouterOptions {
  clock: Clock;
  /** How long a question waits for its answer before the asker is told to go on. */
  answerMs: number;
  /** Questions plus answers one task may send; past it the rest are dropped and `cutOff` says so once. */
  maxMessages: number;
  deliver(to: Worker, directive: PeerDirective, from: string): void;
  cutOff(worker: Worker, limit: number, reason: string): void;
}

interface Pending {
  asker: Worker;
  target: Worker;
  timer: unknown;
}

/**
 * Carries one goal's questions between agents: to the agent working a task of the asked role, the
 * answer back to the asker; an unserved role or a silence past `answerMs` is told to the asker.
 */
export class PeerRouter {
  readonly #options: PeerRouterOptions;
  readonly #pending = new Map<string, Pending>();
  readonly #sent = new Map<string, number>();
  readonly #cut = new Set<string>();

  constructor(options: PeerRouterOptions) {
    this.#options = options;
  }

  /** Counts a message of a task; false (and one cut-off) once the task is over its limit. */
  #allow(worker: Worker): boolean {
    const n = (this.#sent.get(worker.taskId) ?? 0) + 1;
    this.#sent.set(worker.taskId, n);
    if (n <= this.#options.maxMessages) return true;
    if (!this.#cut.has(worker.taskId)) {
      this.#cut.add(worker.taskId);
      this.#options.cutOff(
        worker,
        this.#options.maxMessages,
        `task ${worker.taskId} sent more than ${this.#options.maxMessages} questions and answers; the rest are dropped`,
      );
      this.#options.deliver(
        worker,
        {
          kind: "peer",
          topic: "cut_off",
          taskId: worker.taskId,
          text: `You sent more than ${this.#options.maxMessages} questions and answers; further ones are dropped. Go on with what you know.`,
        },
        "coordinator",
      );
    }
    return false;
  }

  /** A question from `asker` to whoever works a task of `role` (`workers`: the goal's agents at work now). */
  ask(
    asker: Worker,
    question: { questionId: string; role: string; question: string },
    workers: Worker[],
  ): void {
    if (!this.#allow(asker) || this.#pending.has(question.questionId)) return;
    const target = workers.find((w) => w.role === question.role && w.taskId !== asker.taskId);
    if (!target) {
      this.#options.deliver(
        asker,
        {
          kind: "peer",
          topic: "unserved",
          taskId: asker.taskId,
          questionId: question.questionId,
          text: `No agent of role ${question.role} is working on this goal now, so question ${question.questionId} has no one to answer it. Go on without an answer.`,
        },
        "coordinator",
      );
      return;
    }
    const timer = this.#options.clock.setTimeout(() => {
      if (!this.#pending.delete(question.questionId)) return;
      this.#options.deliver(
        asker,
        {
          kind: "peer",
          topic: "unanswered",
          taskId: asker.taskId,
          questionId: question.questionId,
          text: `${target.role} did not answer question ${question.questionId} within ${this.#options.answerMs} ms. Go on without an answer.`,
        },
        "coordinator",
      );
    }, this.#options.answerMs);
    this.#pending.set(question.questionId, { asker, target, timer });
    this.#options.deliver(
      target,
      {
        kind: "peer",
        topic: "question",
        taskId: target.taskId,
        questionId: question.questionId,
        text: `Question ${question.questionId} from ${asker.role} (task ${asker.taskId}); answer it with answer_peer.`,
        quote: question.question,
      },
      asker.role,
    );
  }

  /** An answer; dropped unless it comes from the agent the question went to. */
  answer(from: Worker, answer: { questionId: string; answer: string }): boolean {
    const pending = this.#pending.get(answer.questionId);
    if (!pending || pending.target.agentId !== from.agentId || pending.target.taskId !== from.taskId)
      return false;
    if (!this.#allow(from)) return false;
    this.#pending.delete(answer.questionId);
    this.#options.clock.clearTimeout(pending.timer);
    this.#options.deliver(
      pending.asker,
      {
        kind: "peer",
        topic: "answer",
        taskId: pending.asker.taskId,
        questionId: answer.questionId,
        text: `Answer to question ${answer.questionId} from ${from.role}:`,
        quote: answer.answer,
      },
      from.role,
    );
    return true;
  }

  /** Drops every open question (the goal ended). */
  stop(): void {
    for (const p of this.#pending.values()) this.#options.clock.clearTimeout(p.timer);
    this.#pending.clear();
  }
}
