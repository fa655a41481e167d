import { z } from "zod";
import { type Envelope, envelopeOf } from "../envelope.js";
import { agentEvents } from "./agent.js";
import { busEvents } from "./bus.js";
import { contractEvents } from "./contract.js";
import type { EventPayloads } from "./define.js";
import { gitEvents } from "./git.js";
import { goalEvents } from "./goal.js";
import { handoffEvents } from "./handoff.js";
import { hostEvents } from "./host.js";
import { peerEvents } from "./peer.js";
import { progressEvents } from "./progress.js";
import { scheduleEvents } from "./schedule.js";
import { taskWatchEvents } from "./task-watch.js";
import { verifySandboxEvents } from "./verify-sandbox.js";

/** Every event type guild publishes, and its payload schema. Rooms add their groups here. */
export const eventPayloads = {
  ...busEvents,
  ...goalEvents,
  ...agentEvents,
  ...gitEvents,
  ...handoffEvents,
  ...scheduleEvents,
  ...progressEvents,
  ...peerEvents,
  ...taskWatchEvents,
  ...hostEvents,
  ...verifySandboxEvents,
  ...contractEvents,
} satisfies EventPayloads;
export type EventType = keyof typeof eventPayloads;
export type EventPayload<T extends EventType> = z.infer<(typeof eventPayloads)[T]>;

type EventEnvelopes = {
  [T in EventType]: z.ZodObject<
    Omit<(typeof Envelope)["shape"], "type" | "payload"> & {
      type: z.ZodLiteral<T>;
      payload: (typeof eventPayloads)[T];
    }
  >;
};

const envelopes = Object.fromEntries(
  Object.entries(eventPayloads).map(([type, payload]) => [type, envelopeOf(type, payload)]),
) as unknown as EventEnvelopes;

const all = Object.values(envelopes) as unknown as [
  EventEnvelopes[EventType],
  ...EventEnvelopes[EventType][],
];

/** Any guild event: an envelope discriminated on `type`. */
export const GuildEvent = z.discriminatedUnion("type", all);
export type GuildEvent = z.infer<typeof GuildEvent>;
export type EventOf<T extends EventType> = Extract<GuildEvent, { type: T }>;

export function isEventType(type: string): type is EventType {
  return Object.hasOwn(eventPayloads, type);
}

export { defineEvents, type EventPayloads } from "./define.js";
