import type { GuildEvent } from "../src/protocol/index.js";
import { percentile } from "./harness.js";

/** Samples process memory every `everyMs` and keeps the peaks. */
export function memorySampler(everyMs = 50) {
  const start = process.memoryUsage();
  let peakRss = start.rss;
  let peakHeap = start.heapUsed;
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return { start, peakRss, peakHeap };
    },
  };
}

/** Milliseconds between two ISO times. */
const gap = (a: string, b: string) => Date.parse(b) - Date.parse(a);
const span = (a: string | undefined, b: string | undefined) => (a && b ? gap(a, b) : Number.NaN);

/**
 * Where a goal's time went, per task, from its own events: queue (dispatched → claimed), workspace
 * (claimed → worktree ready), work+propose (ready → proposal published), review (published → accepted),
 * and the tail after the last acceptance (settle, merge, verify).
 */
export function phaseBreakdown(events: GuildEvent[]) {
  const at = new Map<string, string>();
  const stamp = (key: string, time: string) => {
    if (!at.has(key)) at.set(key, time);
  };
  for (const e of events) {
    const p = e.payload as { taskId?: string };
    if (p.taskId) stamp(`${e.type}:${p.taskId}`, e.time);
    stamp(e.type, e.time);
    if (e.type === "proposal.accepted") at.set("last.accepted", e.time);
    if (e.type === "coordinator.state.changed") at.set(`state:${(e.payload as { to: string }).to}`, e.time);
  }
  const tasks = new Set(
    events.filter((e) => e.type === "task.dispatched").map((e) => (e.payload as { taskId: string }).taskId),
  );
  const series = (from: string, to: string) =>
    [...tasks]
      .map((id) => {
        const a = at.get(`${from}:${id}`);
        const b = at.get(`${to}:${id}`);
        return a && b ? gap(a, b) : Number.NaN;
      })
      .filter(Number.isFinite);
  const describe = (values: number[]) => ({ p50: percentile(values, 50), p95: percentile(values, 95) });
  const submitted = at.get("goal.submitted");
  const firstDispatch = at.get("task.dispatched");
  const lastAccepted = at.get("last.accepted");
  const done = at.get("goal.done") ?? at.get("goal.failed");
  return {
    handoff: handoffBreakdown(events, at),
    queue: describe(series("task.dispatched", "task.claimed")),
    workspace: describe(series("task.claimed", "workspace.ready")),
    work: describe(series("workspace.ready", "proposal.published")),
    review: describe(series("proposal.published", "proposal.accepted")),
    intake: describe(series("proposal.received", "proposal.accepted")),
    planning: submitted && firstDispatch ? gap(submitted, firstDispatch) : Number.NaN,
    tail: lastAccepted && done ? gap(lastAccepted, done) : Number.NaN,
    settle: span(at.get("state:settling"), at.get("state:merging")),
    merge: span(at.get("state:merging"), at.get("state:verifying")),
    verify: span(at.get("state:verifying"), done),
  };
}

/**
 * An agent's time between two tasks: from its proposal being published to its next task being claimed, split
 * into the proposal's trip to the coordinator (published → received), the coordinator's reaction (received →
 * the next task dispatched) and the work queue (dispatched → claimed). Reaction can be negative when the next
 * task was already queued.
 */
function handoffBreakdown(events: GuildEvent[], at: Map<string, string>) {
  const byAgent = new Map<string, string[]>();
  for (const e of events)
    if (e.type === "task.claimed") {
      const { agentId, taskId } = e.payload as { agentId: string; taskId: string };
      byAgent.set(agentId, [...(byAgent.get(agentId) ?? []), taskId]);
    }
  const total: number[] = [];
  const trip: number[] = [];
  const react: number[] = [];
  for (const tasks of byAgent.values())
    for (let i = 1; i < tasks.length; i++) {
      const [prev, next] = [tasks[i - 1], tasks[i]];
      total.push(span(at.get(`proposal.published:${prev}`), at.get(`task.claimed:${next}`)));
      trip.push(span(at.get(`proposal.published:${prev}`), at.get(`proposal.received:${prev}`)));
      react.push(span(at.get(`proposal.received:${prev}`), at.get(`task.dispatched:${next}`)));
    }
  const p50 = (values: number[]) => percentile(values.filter(Number.isFinite), 50);
  return { total: p50(total), trip: p50(trip), react: p50(react) };
}
