// The closing summary of `npm run demo`: what changed and by whom, the conflicts settled and why, the
// change requests and who applied them, what agents were told while they worked, and the test result.
import type { GuildEvent } from "../src/protocol/index.js";

type Of<T extends GuildEvent["type"]> = Extract<GuildEvent, { type: T }>;

function ofType<T extends GuildEvent["type"]>(events: readonly GuildEvent[], type: T): Of<T>[] {
  return events.filter((e): e is Of<T> => e.type === type);
}

/** The lines of the summary, and whether the demo did what it is for: goal done, tests passed. */
export function demoSummary(
  goalId: string,
  status: string,
  events: readonly GuildEvent[],
): { lines: string[]; passed: boolean } {
  const lines: string[] = [];
  const out = (line = "") => lines.push(line);
  const merged = new Set(ofType(events, "merge.completed").map((e) => e.payload.taskId));
  const received = ofType(events, "proposal.received");
  out(`== goal ${goalId}: ${status}`);
  for (const e of ofType(events, "goal.failed")) out(`   reason: ${e.payload.reason}`);
  out();
  out("== what changed, by whom");
  for (const [i, e] of received.entries()) {
    const { taskId, agentId, changedPaths, proposalId } = e.payload;
    const later = received.slice(i + 1).some((r) => r.payload.taskId === taskId);
    const accepted = events.some(
      (a) => a.type === "proposal.accepted" && a.payload.proposalId === proposalId,
    );
    const fate = later ? "revised" : accepted && merged.has(taskId) ? "merged" : "not merged";
    // What review moved to other roles' change requests is theirs to apply; the proposer keeps the rest.
    const moved = ofType(events, "change.requested")
      .filter((r) => r.payload.fromTask === taskId)
      .flatMap((r) => r.payload.paths);
    const kept = changedPaths.filter((p) => !moved.includes(p));
    const handed = moved.length > 0 ? ` (and ${moved.join(", ")}, sent as a change request)` : "";
    out(
      `   ${agentId.padEnd(11)} ${taskId.padEnd(29)} ${fate.padEnd(10)} ${kept.join(", ") || "(no changes needed)"}${handed}`,
    );
  }
  const denied = ofType(events, "tool.denied").filter((e) => !e.payload.reason.includes("change request"));
  if (denied.length > 0)
    out(`   ${denied.length} write(s) refused by the sandbox: files another role owns and fixes itself`);
  out();
  out("== conflicts: two specialists changed the same lines; the settlement chain decides, with its reason");
  const settled = ofType(events, "conflict.settled");
  if (settled.length === 0) out("   none: no two proposals changed the same lines");
  for (const { payload: s } of settled) {
    out(`   ${s.files.join(", ")}: ${s.winner} kept over ${s.loser}, by ${s.policy}: ${s.reason}`);
    const revised = ofType(events, "proposal.revision_requested").find((r) => r.payload.taskId === s.loser);
    if (revised)
      out(
        `     ${s.loser} redid its work on top of ${s.winner}'s (attempt ${revised.payload.attempt}): ${merged.has(s.loser) ? "merged" : "not merged"}`,
      );
  }
  out();
  out("== change requests: a write to another role's path goes to its owner, who applies it or declines");
  const requests = ofType(events, "change.requested");
  if (requests.length === 0) out("   none");
  for (const { payload: r } of requests) {
    const proposal = received.findLast((p) => p.payload.taskId === r.taskId);
    const outcome = !proposal
      ? "not answered"
      : merged.has(r.taskId)
        ? `applied by ${proposal.payload.agentId} (${proposal.payload.changedPaths.join(", ")}), merged`
        : `answered by ${proposal.payload.agentId}, not merged`;
    out(`   ${r.fromRole} (${r.fromTask}) → ${r.toRole}: ${r.paths.join(", ")}: ${outcome}`);
  }
  out();
  out("== told while working: overlaps found from the agents' live progress");
  const overlaps = ofType(events, "overlap.detected");
  if (overlaps.length === 0) out("   none");
  for (const { payload: o } of overlaps) {
    const what = o.kind === "export" ? `export ${o.symbol} of ${o.path}` : o.path;
    out(`   ${o.overlapId} ${what}: ${o.a.role} ${o.a.did}; ${o.b.role} ${o.b.did}`);
    const told = ofType(events, "peer.told").filter((t) => t.payload.overlapId === o.overlapId);
    out(
      `     told: ${told.map((t) => t.payload.agentId).join(", ") || "nobody (both had already proposed)"}`,
    );
  }
  out();
  out("== tests on the integration branch");
  const verify = ofType(events, "verify.finished").at(-1);
  const passed = verify?.payload.passed === true;
  if (verify) {
    out(`   ${passed ? "passed" : "FAILED"} (exit ${verify.payload.exitCode})`);
    const counts = verify.payload.output.split("\n").filter((l) => /^# (tests|pass|fail)/.test(l));
    for (const line of counts) out(`   ${line}`);
  } else out("   not run");
  return { lines, passed: status === "done" && passed };
}
