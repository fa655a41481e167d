import { hostname } from "node:os";
import type { KeyValue } from "../../bus/index.js";
import { type AgentPresence, type Clock, type Logger, systemClock } from "../../protocol/index.js";

/** Heartbeats well inside the presence bucket's TTL, so one lost write does not make an agent vanish. */
const HEARTBEAT_MS = 5_000;

/** An agent's presence: written at start, on every change of task and every heartbeat; deleted at stop. */
export interface Presence {
  working(task: { goalId: string; taskId: string; attempt: number }): void;
  idle(): void;
  stop(): Promise<void>;
}

/** Starts publishing `agentId`'s presence; a failed write is logged, never thrown into the agent's work. */
export async function startPresence(
  kv: KeyValue,
  who: { agentId: string; role: string },
  options: { clock?: Clock; logger?: Logger; heartbeatMs?: number } = {},
): Promise<Presence> {
  const clock = options.clock ?? systemClock;
  const iso = () => new Date(clock.now()).toISOString();
  let record: AgentPresence = {
    agentId: who.agentId,
    role: who.role,
    host: hostname(),
    pid: process.pid,
    since: iso(),
    seenAt: iso(),
  };
  const write = async () => {
    record = { ...record, seenAt: iso() };
    await kv
      .put(who.agentId, new TextEncoder().encode(JSON.stringify(record)))
      .catch((error: unknown) => options.logger?.warn({ err: error }, "could not write presence"));
  };
  await write();
  const timer = setInterval(() => void write(), options.heartbeatMs ?? HEARTBEAT_MS);
  timer.unref();
  return {
    working(task) {
      record = { ...record, task: { ...task, since: iso() } };
      void write();
    },
    idle() {
      const { task: _done, ...rest } = record;
      record = rest;
      void write();
    },
    async stop() {
      clearInterval(timer);
      await kv.delete(who.agentId).catch(() => undefined);
    },
  };
}
