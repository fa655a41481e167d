import type { z } from "zod";
import { GuildError, type GuildErrorJSON, toGuildError } from "../protocol/index.js";
import { encodeOutbound, parseInbound } from "./inbound.js";
import type { Rejections } from "./rejections.js";

interface ErrorReply {
  error: GuildErrorJSON;
}

function isErrorReply(value: unknown): value is ErrorReply {
  if (typeof value !== "object" || value === null || !("error" in value)) return false;
  const error = (value as { error: unknown }).error;
  return typeof error === "object" && error !== null && (error as { name?: unknown }).name === "GuildError";
}

/** Runs a serve handler and turns its outcome into the reply text: the envelope, or `{ error }` when it threw. */
export async function answer(subject: string, run: () => Promise<unknown>): Promise<string> {
  try {
    return encodeOutbound(subject, await run());
  } catch (e) {
    return JSON.stringify({ error: toGuildError(e).toJSON() } satisfies ErrorReply);
  }
}

/** Reads a reply: rethrows a served GuildError, validates anything else with `schema`. */
export async function readReply<T>(
  subject: string,
  raw: Uint8Array | string,
  schema: z.ZodType<T>,
  rejections: Rejections,
): Promise<T> {
  const text = typeof raw === "string" ? raw : new TextDecoder().decode(raw);
  try {
    const json: unknown = JSON.parse(text);
    if (isErrorReply(json)) throw GuildError.fromJSON(json.error);
  } catch (e) {
    if (e instanceof GuildError) throw e;
  }
  const parsed = parseInbound(subject, text, schema);
  if (parsed.ok) return parsed.value;
  await rejections.report(parsed.rejection);
  throw new GuildError("bus.invalid_message", `reply on ${subject} was invalid: ${parsed.rejection.reason}`, {
    details: { issues: parsed.rejection.issues },
  });
}
