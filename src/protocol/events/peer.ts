import { z } from "zod";
import { Token } from "../envelope.js";
import { defineEvents } from "./define.js";
import { LineSpan } from "./progress.js";

/** One side of an overlap: which task, and what its change does to the shared code. */
export const OverlapSide = z.object({
  taskId: Token,
  role: Token,
  agentId: Token.optional(),
  did: z.string().max(500),
});
export type OverlapSide = z.infer<typeof OverlapSide>;

/** Two tasks of one goal touching the same code while they work (or one already merged). */
export const OverlapDetected = z.object({
  overlapId: z.string().max(300),
  /** `export`: one side removed or changed an export the other side's changes use; `lines`: both change the same lines. */
  kind: z.enum(["export", "lines"]),
  path: z.string().max(1000),
  symbol: z.string().max(200).optional(),
  /** For `export`: what happened to the symbol; `renamedTo` when a same-shaped export replaced it. */
  change: z.enum(["removed", "changed", "renamed"]).optional(),
  renamedTo: z.string().max(200).optional(),
  lines: LineSpan.optional(),
  /** The side whose change breaks or overlaps the other's first; `b` is told to adapt, keep or ask. */
  a: OverlapSide,
  b: OverlapSide,
});
export type OverlapDetected = z.infer<typeof OverlapDetected>;

/** What a message from the coordinator to an agent is about. */
export const PeerTopic = z.enum([
  "overlap",
  "question",
  "answer",
  "unanswered",
  "unserved",
  "cut_off",
  "contract",
]);
export type PeerTopic = z.infer<typeof PeerTopic>;

export const QUESTION_MAX_CHARS = 2000;

export const peerEvents = defineEvents({
  "overlap.detected": OverlapDetected,
  /** An agent asked the agent of another role on its goal (published by the asker, on its own subject). */
  "peer.asked": z.object({
    taskId: Token,
    questionId: Token,
    role: Token,
    question: z.string().min(1).max(QUESTION_MAX_CHARS),
  }),
  /** An agent answered a question it was asked (published by the answerer, on its own subject). */
  "peer.answered": z.object({
    taskId: Token,
    questionId: Token,
    answer: z.string().min(1).max(QUESTION_MAX_CHARS),
  }),
  /** The coordinator told an agent something at its next step: who, about what, and why. */
  "peer.told": z.object({
    agentId: Token,
    taskId: Token,
    topic: PeerTopic,
    /** Who the message is from: a role, or `coordinator`. */
    from: z.string().max(200),
    text: z.string().max(4000),
    questionId: Token.optional(),
    overlapId: z.string().max(300).optional(),
  }),
  /** An agent sent more questions or answers than allowed; the rest of them are dropped. */
  "peer.cut_off": z.object({
    agentId: Token,
    taskId: Token,
    limit: z.number().int(),
    reason: z.string(),
  }),
});
