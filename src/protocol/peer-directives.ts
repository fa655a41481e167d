import { z } from "zod";
import { Token } from "./envelope.js";
import { PeerTopic } from "./events/peer.js";

/**
 * Inbox directives of live coordination: the coordinator passes an overlap or a peer's question,
 * answer or silence to an agent, which shows it to its brain at the next step.
 */
export const peerDirectives = [
  z.object({
    kind: z.literal("peer"),
    topic: PeerTopic,
    taskId: Token,
    /** The coordinator's words: who, what and the options. */
    text: z.string().max(20_000),
    /** A peer's own words (a question or an answer): model output, shown to the brain as untrusted data. */
    quote: z.string().max(4000).optional(),
    questionId: Token.optional(),
    /** For an overlap on an export: the symbol, its module, what happened to it, and its new name if renamed. */
    overlap: z
      .object({
        path: z.string().max(1000),
        symbol: z.string().max(200),
        change: z.enum(["removed", "changed", "renamed"]),
        renamedTo: z.string().max(200).optional(),
      })
      .optional(),
  }),
] as const;
export type PeerDirective = z.infer<(typeof peerDirectives)[number]>;
