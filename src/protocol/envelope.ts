import { randomUUID } from "node:crypto";
import { z } from "zod";

/** Version of the wire envelope; bumped on any incompatible change. */
export const PROTOCOL_VERSION = 1 as const;

/** A token safe to use as one NATS subject segment: no dots, spaces or wildcards. */
export const Token = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_-]+$/, "must be letters, digits, '-' or '_' (one subject token)");
export type Token = z.infer<typeof Token>;

/** Every message that crosses the bus is wrapped in this envelope. */
export const Envelope = z.object({
  v: z.literal(PROTOCOL_VERSION),
  id: z.string().min(1).max(200),
  type: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/, "must be dotted lower-case words"),
  time: z.iso.datetime(),
  source: Token,
  goalId: Token.optional(),
  payload: z.unknown(),
});
export type Envelope = z.infer<typeof Envelope>;

/** An envelope whose `type` and `payload` are fixed by a schema. */
export function envelopeOf<const T extends string, P extends z.ZodType>(type: T, payload: P) {
  return Envelope.extend({ type: z.literal(type), payload });
}

export interface EnvelopeInit<P> {
  type: string;
  source: string;
  payload: P;
  goalId?: string | undefined;
  id?: string;
  time?: Date;
}

/** Builds an envelope with a fresh id and the current time. */
export function makeEnvelope<P>(init: EnvelopeInit<P>): Envelope & { payload: P } {
  return {
    v: PROTOCOL_VERSION,
    id: init.id ?? randomUUID(),
    type: init.type,
    time: (init.time ?? new Date()).toISOString(),
    source: init.source,
    ...(init.goalId === undefined ? {} : { goalId: init.goalId }),
    payload: init.payload,
  };
}
