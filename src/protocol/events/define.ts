import type { z } from "zod";

/** A record of event type → payload schema; types are dotted and past tense (`task.claimed`). */
export type EventPayloads = Record<string, z.ZodType>;

/** Declares a group of events; identity at run time, keeps literal keys for inference. */
export function defineEvents<const T extends EventPayloads>(events: T): T {
  for (const type of Object.keys(events)) {
    if (!/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/.test(type)) throw new Error(`bad event type name: ${type}`);
  }
  return events;
}
