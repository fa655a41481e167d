import type { z } from "zod";
import { Envelope, GuildError, type GuildEvent, makeEnvelope, NO_GOAL } from "../protocol/index.js";
import type { RejectionListener } from "./types.js";

/** What a rejected inbound message looked like, as carried by `bus.message.rejected`. */
export type Rejection = Parameters<RejectionListener>[0];

export type Inbound<T> = { ok: true; value: T } | { ok: false; rejection: Rejection };

const decoder = new TextDecoder();
const MAX_ISSUES = 50;
const MAX_SAMPLE = 2000;

/** Parses raw bytes as JSON and validates them with `schema`; never throws. */
export function parseInbound<T>(subject: string, raw: Uint8Array | string, schema: z.ZodType<T>): Inbound<T> {
  const text = typeof raw === "string" ? raw : decoder.decode(raw);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, rejection: reject(subject, `not JSON: ${(e as Error).message}`, [], text) };
  }
  const result = schema.safeParse(json);
  if (result.success) return { ok: true, value: result.data };
  const issues = result.error.issues.slice(0, MAX_ISSUES).map((issue) => ({
    path: issue.path.map(String).join("."),
    message: issue.message,
  }));
  return { ok: false, rejection: reject(subject, "schema validation failed", issues, text) };
}

function reject(subject: string, reason: string, issues: Rejection["issues"], text: string): Rejection {
  return { subject, reason, issues, sample: text.slice(0, MAX_SAMPLE) };
}

/** Validates an outbound envelope and serialises it; an invalid one is the sender's bug, so it throws. */
export function encodeOutbound(subject: string, message: unknown, schema: z.ZodType = Envelope): string {
  const result = schema.safeParse(message);
  if (!result.success) {
    throw new GuildError("bus.invalid_message", `outbound message on ${subject} is invalid`, {
      details: {
        subject,
        issues: result.error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message })),
      },
    });
  }
  return JSON.stringify(message);
}

/** The event that records a rejection, from the bus itself and belonging to no goal. */
export function rejectionEvent(rejection: Rejection): GuildEvent {
  return makeEnvelope({
    type: "bus.message.rejected",
    source: "bus",
    goalId: NO_GOAL,
    payload: rejection,
  }) as GuildEvent;
}
