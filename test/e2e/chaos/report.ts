import type { AckCheck } from "./ack-observer.js";
import type { GoalOutcome } from "./harness.js";

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
/** A recovery time; -1 means the harness never saw it. */
const after = (ms: number) => (ms < 0 ? "never" : `+${s(ms)}`);

/** The chaos run as Markdown: what was struck when, what it cost each goal against the baseline, the acks. */
export function renderReport(run: {
  baseline: GoalOutcome;
  goals: GoalOutcome[];
  acks: AckCheck;
  clusterUrl: string;
  ackWaitMs: number;
}): string {
  const base = run.baseline.durationMs;
  const lines = [
    "# guild chaos run",
    "",
    `Three nats-server nodes (${run.clusterUrl}), R3 streams, buckets and object store; AckWait ${s(run.ackWaitMs)}.`,
    `Baseline goal (no fault): ${run.baseline.end || "no end"} in ${s(base)}, ${run.baseline.redeliveries} redeliveries.`,
    "",
    "| goal | fault | target | struck at | state | recovery | end | took | extra | redeliveries | merges |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const g of run.goals) {
    const r = g.record;
    const recovery = r
      ? Object.entries(r.recovered)
          .map(([k, v]) => `${k} ${after(v)}`)
          .join("; ")
      : "";
    const merges = Object.entries(g.merges)
      .map(([task, n]) => `${task}×${n}`)
      .join(" ");
    lines.push(
      `| ${g.goalId} | ${g.fault} | ${r?.target ?? ""} | ${r ? s(r.at) : ""} | ${r?.detail ?? ""} | ${recovery} | ${g.end || "no end"} | ${s(g.durationMs)} | ${g.durationMs ? `${g.durationMs >= base ? "+" : ""}${s(g.durationMs - base)}` : ""} | ${g.redeliveries} | ${merges} |`,
    );
  }
  const a = run.acks;
  lines.push(
    "",
    `Events: ${a.acked} acknowledged to their publishers, ${a.lost.length} of them missing from GUILD_EVENTS afterwards; ${a.unacked} publish attempts without an ack seen (retried by their publisher); ${a.published} distinct events published, ${a.unstored.length} of them missing from GUILD_EVENTS afterwards, ${a.duplicates.length} stored twice; ${a.stored} stored.`,
  );
  for (const id of a.unstored.slice(0, 20)) lines.push(`- never stored: ${id}`);
  for (const id of a.duplicates.slice(0, 20)) lines.push(`- stored twice: ${id}`);
  for (const lost of a.lost.slice(0, 20))
    lines.push(`- lost: ${lost.subject} (${lost.id}) acked at seq ${lost.seq}`);
  return `${lines.join("\n")}\n`;
}
