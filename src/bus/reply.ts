import type { z } from "zod";
import {
  ERROR_CODES,
  GuildError,
  type GuildErrorJSON,
  parseErrorDetails,
  toGuildError,
} from "../protocol/index.js";
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

function refusedDetails(error: GuildErrorJSON): { path: string; message: string }[] | undefined {
  if (error.details === undefined || !(ERROR_CODES as readonly string[]).includes(error.code))
    return undefined;
  const parsed = parseErrorDetails(error.code, error.details);
  return parsed.ok ? undefined : parsed.issues;
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
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // Not JSON: parseInbound says so below.
  }
  if (isErrorReply(json)) {
    const error = GuildError.fromJSON(json.error);
    // Details that do not fit their code are the peer's bug: reported like any invalid message, then thrown.
    const refused = refusedDetails(json.error);
    if (refused)
      await rejections.report({
        subject,
        reason: error.message,
        issues: refused,
        sample: text.slice(0, 2000),
      });
    throw error;
  }
  const parsed = parseInbound(subject, text, schema);
  if (parsed.ok) return parsed.value;
  await rejections.report(parsed.rejection);
  throw new GuildError("bus.invalid_message", `reply on ${subject} was invalid: ${parsed.rejection.reason}`, {
    details: { subject, issues: parsed.rejection.issues },
  });
}
