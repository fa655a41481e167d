import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Bus } from "../../../src/bus/index.js";
import {
  envelopeOf,
  type GuildEvent,
  makeEnvelope,
  type TaskAssignment,
} from "../../../src/protocol/index.js";

/** What a conformance run needs from a transport: a fresh bus, and a way to throw it away. */
export interface BusFixture {
  bus: Bus;
  dispose(): Promise<void>;
}

export const Ping = envelopeOf("test.ping", z.object({ n: z.number().int() }));
export type Ping = z.infer<typeof Ping>;
export const Pong = envelopeOf("test.pong", z.object({ n: z.number().int() }));

export function ping(n: number): Ping {
  return makeEnvelope({ type: "test.ping", source: "tester", payload: { n } }) as Ping;
}

export function pong(n: number) {
  return makeEnvelope({ type: "test.pong", source: "server", payload: { n } });
}

/** A subject prefix no other test uses. */
export function unique(prefix = "t"): string {
  return `${prefix}${randomUUID().replaceAll("-", "").slice(0, 12)}`;
}

export function task(taskId: string, role = "security"): TaskAssignment {
  return makeEnvelope({
    type: "task.assigned",
    source: "coordinator",
    goalId: "g1",
    payload: {
      task: { taskId, role, title: "fix", instructions: "do it", expectedPaths: ["src/a.ts"], dependsOn: [] },
      goalId: "g1",
      goalText: "make it safe",
      attempt: 1,
      repoId: "repo-0123456789abcdef",
      baseBundles: [],
      baseCommit: "a".repeat(40),
    },
  }) as TaskAssignment;
}

export function online(goalId: string, agentId: string): GuildEvent {
  return makeEnvelope({
    type: "agent.online",
    source: "tester",
    goalId,
    payload: { agentId, role: "security", brain: "offline" },
  }) as GuildEvent;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
