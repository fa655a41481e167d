import type { EventOf, GuildEvent } from "../protocol/index.js";

const COLORS = {
  dim: "\x1b[2m",
  red: "\x1b[31m",
  green: "\x1b[32m",
  yellow: "\x1b[33m",
  cyan: "\x1b[36m",
  reset: "\x1b[0m",
};

/** A one-line, human-readable summary of an event's payload. */
export function describeEvent(event: GuildEvent): string {
  switch (event.type) {
    case "goal.submitted":
      return `"${event.payload.text}" on ${event.payload.repo} @ ${event.payload.baseCommit.slice(0, 8)}`;
    case "plan.created":
      return `${event.payload.tasks.length} task(s): ${event.payload.tasks.map((t) => `${t.taskId} → ${t.role}`).join(", ")}`;
    case "coordinator.state.changed":
      return `${event.payload.from} → ${event.payload.to}`;
    case "agent.state.changed":
      return `${event.payload.from} → ${event.payload.to}`;
    case "task.dispatched":
      return `${event.payload.taskId} → guild.task.${event.payload.role} (attempt ${event.payload.attempt})`;
    case "task.held":
      return `${event.payload.taskId}: a ${event.payload.role} agent kept ≤ ${event.payload.holdMs} ms (${event.payload.reason})`;
    case "task.claimed":
      return `${event.payload.taskId} (attempt ${event.payload.attempt})`;
    case "workspace.ready":
      return `${event.payload.branch}${event.payload.sparse ? " (sparse)" : ""}`;
    case "agent.step":
      return `[${event.payload.kind}] ${event.payload.text.split("\n")[0]?.slice(0, 160) ?? ""}`;
    case "tool.denied":
      return `${event.payload.tool} ${event.payload.path ?? ""}: ${event.payload.reason}`;
    case "host.refused":
      return `${event.payload.taskId} (${event.payload.role}): ${event.payload.refusals.map((r) => `${r.asked}: ${r.reason}`).join("; ")}`;
    case "proposal.published":
      return `${event.payload.proposalId}: ${event.payload.commits} commit(s), ${event.payload.changedPaths.length} path(s)`;
    case "proposal.received":
      return `${event.payload.proposalId} from ${event.payload.agentId}: ${event.payload.changedPaths.join(", ") || "no changes"}`;
    case "proposal.accepted":
    case "proposal.rejected":
      return `${event.payload.proposalId}: ${event.payload.reason}`;
    case "conflict.detected":
      return `${event.payload.taskIds.join(" vs ")} on ${event.payload.files.join(", ")}`;
    case "conflict.settled":
      return `${event.payload.winner} wins over ${event.payload.loser} by ${event.payload.policy}: ${event.payload.reason}`;
    case "merge.completed":
      return `${event.payload.taskId} → ${event.payload.branch} @ ${event.payload.commit.slice(0, 8)}`;
    case "verify.started":
      return event.payload.command.join(" ");
    case "verify.finished":
      return `${event.payload.passed ? "passed" : "FAILED"} (exit ${event.payload.exitCode})`;
    case "work.progress":
      return describeProgress(event.payload);
    case "overlap.detected":
      return `${event.payload.a.taskId} (${event.payload.a.role}) ${event.payload.a.did} ↔ ${event.payload.b.taskId} (${event.payload.b.role}) ${event.payload.b.did}`;
    case "peer.told":
      return `${event.payload.from} → ${event.payload.agentId} [${event.payload.topic}] ${event.payload.text.split("\n")[0]?.slice(0, 200) ?? ""}`;
    case "peer.asked":
      return `${event.payload.taskId} asks ${event.payload.role} (${event.payload.questionId}): ${event.payload.question.slice(0, 160)}`;
    case "peer.answered":
      return `${event.payload.taskId} answers ${event.payload.questionId}: ${event.payload.answer.slice(0, 160)}`;
    case "peer.cut_off":
      return event.payload.reason;
    case "goal.done":
      return event.payload.summary;
    case "goal.failed":
    case "goal.cancelled":
      return event.payload.reason;
    default:
      return JSON.stringify(event.payload).slice(0, 200);
  }
}

function describeProgress(p: EventOf<"work.progress">["payload"]): string {
  const surface = p.surface.map(
    (c) => `${c.change === "added" ? "+" : c.change === "removed" ? "-" : "~"}${c.symbol}`,
  );
  const parts = [`${p.taskId}: ${p.files.length} file(s)`];
  if (surface.length > 0) parts.push(`exports ${surface.join(" ")}`);
  if (p.uses.length > 0) parts.push(`uses ${p.uses.map((u) => u.symbol).join(", ")}`);
  return parts.join("; ");
}

/** `HH:MM:SS source type  summary`, coloured on terminals. */
export function formatEvent(event: GuildEvent, color = false): string {
  const time = event.time.slice(11, 19);
  const tone =
    event.type.endsWith("failed") ||
    event.type.endsWith("rejected") ||
    event.type.endsWith("refused") ||
    event.type === "tool.denied" ||
    event.type === "bus.message.rejected"
      ? "red"
      : event.type === "goal.done" || event.type === "proposal.accepted" || event.type === "merge.completed"
        ? "green"
        : event.type.startsWith("conflict") ||
            event.type === "overlap.detected" ||
            event.type === "peer.cut_off"
          ? "yellow"
          : undefined;
  const paint = (text: string, c: keyof typeof COLORS | undefined) =>
    color && c ? `${COLORS[c]}${text}${COLORS.reset}` : text;
  return `${paint(time, "dim")} ${paint(event.source.padEnd(14), "cyan")} ${paint(event.type.padEnd(26), tone)} ${describeEvent(event)}`;
}

/** Counts tasks through their life, for a progress line. */
export class GoalProgress {
  readonly tasks = new Map<string, string>();

  update(event: GuildEvent): boolean {
    const before = this.line();
    if (event.type === "plan.created")
      for (const t of event.payload.tasks) this.tasks.set(t.taskId, "planned");
    if (event.type === "task.dispatched") this.tasks.set(event.payload.taskId, "dispatched");
    if (event.type === "task.claimed") this.tasks.set(event.payload.taskId, "working");
    if (event.type === "proposal.published") this.tasks.set(event.payload.taskId, "proposed");
    if (event.type === "proposal.accepted") this.tasks.set(event.payload.taskId, "accepted");
    if (event.type === "proposal.rejected" && !event.payload.reason.startsWith("stale"))
      this.tasks.set(event.payload.taskId, "rejected");
    if (event.type === "proposal.revision_requested") this.tasks.set(event.payload.taskId, "revising");
    if (event.type === "merge.completed") this.tasks.set(event.payload.taskId, "merged");
    return this.line() !== before;
  }

  line(): string {
    const counts = new Map<string, number>();
    for (const s of this.tasks.values()) counts.set(s, (counts.get(s) ?? 0) + 1);
    const parts = [
      "planned",
      "dispatched",
      "working",
      "proposed",
      "revising",
      "accepted",
      "rejected",
      "merged",
    ]
      .filter((s) => counts.has(s))
      .map((s) => `${counts.get(s)} ${s}`);
    return `progress: ${this.tasks.size} task(s) — ${parts.join(", ")}`;
  }
}
