import type { EventEmitter } from "../../bus/index.js";
import type { PeerChannel } from "../tools/index.js";
import type { PeerInbox } from "./peer-inbox.js";

/**
 * How a task's tools talk to other tasks' agents (through the coordinator): a question goes out as
 * `peer.asked` under an id unique to the attempt, an answer as `peer.answered` to a question it was asked.
 */
export function peerChannelOf(
  events: EventEmitter,
  peers: PeerInbox,
  task: { goalId: string; taskId: string; attempt: number },
): PeerChannel {
  const { goalId, taskId, attempt } = task;
  let questions = 0;
  return {
    async ask(role, question) {
      questions += 1;
      const questionId = `${taskId}-${attempt}-q${questions}`;
      await events.emit("peer.asked", { taskId, questionId, role, question }, goalId);
      return questionId;
    },
    async answer(questionId, answer) {
      peers.answered(questionId);
      await events.emit("peer.answered", { taskId, questionId, answer }, goalId);
    },
    canAnswer: (questionId) => peers.canAnswer(questionId),
  };
}
