import { z } from "zod";
import { QUESTION_MAX_CHARS, Token } from "../../protocol/index.js";
import { defineTool, refuse, type Tool } from "./define-tool.js";

/** How a task's brain reaches the agents of other roles on its goal; the coordinator carries the messages. */
export interface PeerChannel {
  /** Publishes a question to `role`'s agent on this goal; resolves to the question's id. */
  ask(role: string, question: string): Promise<string>;
  /** Publishes an answer to a question this agent was asked. */
  answer(questionId: string, answer: string): Promise<void>;
  /** Whether this agent was asked `questionId` and has not answered it yet. */
  canAnswer(questionId: string): boolean;
}

/** Questions one task may ask; more are refused by the tool (and cut off by the coordinator). */
export const DEFAULT_MAX_QUESTIONS = 3;

/** The ask_peer and answer_peer tools over one task's channel. */
export function peerTools(channel: PeerChannel, maxQuestions = DEFAULT_MAX_QUESTIONS): Tool[] {
  let asked = 0;
  const askPeer = defineTool({
    name: "ask_peer",
    description:
      "Ask the agent of another role working on the same goal a short question (e.g. whether it keeps an export " +
      `you use). Does not wait: the answer, or word that none came, arrives as a note at a later step. At most ${maxQuestions} per task.`,
    input: z.object({ role: Token, question: z.string().min(1).max(QUESTION_MAX_CHARS) }),
    async run(_context, input) {
      if (asked >= maxQuestions)
        throw refuse(`this task already asked ${maxQuestions} question(s); go on with what you know`);
      asked += 1;
      const id = await channel.ask(input.role, input.question);
      return { ok: true, output: `question ${id} sent to ${input.role}; the answer will come as a note` };
    },
  });
  const answerPeer = defineTool({
    name: "answer_peer",
    description: "Answer a question another agent asked you (its id is in the note that brought it).",
    input: z.object({ questionId: Token, answer: z.string().min(1).max(QUESTION_MAX_CHARS) }),
    async run(_context, input) {
      if (!channel.canAnswer(input.questionId))
        throw refuse(`no open question ${input.questionId} to answer`);
      await channel.answer(input.questionId, input.answer);
      return { ok: true, output: `answered ${input.questionId}` };
    },
  });
  return [askPeer, answerPeer];
}
