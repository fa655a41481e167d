// Who told whom what, and why: the live coordination of a goal (overlaps, broken contracts, what the
// coordinator told each agent, questions and answers between agents) as rows, from the page's event log.

const TALK = new Set([
  "overlap.detected",
  "contract.broken",
  "peer.told",
  "peer.asked",
  "peer.answered",
  "peer.cut_off",
]);

const side = (s) => `${s.taskId} (${s.role})`;
const firstLine = (text) =>
  String(text ?? "")
    .split("\n")[0]
    .slice(0, 300);

/**
 * The talk rows of `goalId` (every goal when it is empty), in log order. A message told to an agent names
 * its reason: the overlap or broken contract it is about, or the question it answers.
 */
export function talkOf(events, goalId) {
  const reasons = new Map();
  const questions = new Map();
  const rows = [];
  for (const e of events) {
    if (!TALK.has(e.type) || (goalId && e.goalId !== goalId)) continue;
    const p = e.payload ?? {};
    const row = { seq: e.seq, time: e.time, goalId: e.goalId, kind: e.type };
    if (e.type === "overlap.detected") {
      const why = `${side(p.a)} ${p.a.did}; ${side(p.b)} ${p.b.did}`;
      reasons.set(p.overlapId, why);
      rows.push({
        ...row,
        from: "coordinator",
        to: `${side(p.a)}, ${side(p.b)}`,
        what: `overlap on ${p.symbol ?? p.path}${p.change ? ` (${p.change})` : ""}`,
        why,
      });
    } else if (e.type === "contract.broken") {
      const why = `${side(p.provider)} declared it ${p.declared}${p.actual ? ` but exports ${p.actual}` : ` (${p.change})`}`;
      reasons.set(p.contractId, why);
      rows.push({
        ...row,
        from: "coordinator",
        to: [p.provider, ...p.dependents].map(side).join(", "),
        what: `contract broken: ${p.symbol} in ${p.path}`,
        why,
      });
    } else if (e.type === "peer.asked") {
      questions.set(p.questionId, { asker: `${e.source} (task ${p.taskId})`, question: p.question });
      rows.push({
        ...row,
        from: `${e.source} (task ${p.taskId})`,
        to: `role ${p.role}`,
        what: firstLine(p.question),
        why: `question ${p.questionId}`,
      });
    } else if (e.type === "peer.answered") {
      const q = questions.get(p.questionId);
      rows.push({
        ...row,
        from: `${e.source} (task ${p.taskId})`,
        to: q?.asker ?? "the asker",
        what: firstLine(p.answer),
        why: q ? `answers «${firstLine(q.question)}»` : `answers question ${p.questionId}`,
      });
    } else if (e.type === "peer.told") {
      const linked =
        reasons.get(p.overlapId ?? "") ?? (p.questionId ? questions.get(p.questionId) : undefined);
      rows.push({
        ...row,
        from: p.from,
        to: `${p.agentId} (task ${p.taskId})`,
        what: `[${p.topic}] ${firstLine(p.text)}`,
        why:
          typeof linked === "string"
            ? linked
            : linked
              ? `question «${firstLine(linked.question)}» from ${linked.asker}`
              : p.topic,
      });
    } else {
      rows.push({
        ...row,
        from: "coordinator",
        to: `${p.agentId} (task ${p.taskId})`,
        what: "cut off",
        why: p.reason,
      });
    }
  }
  return rows;
}
