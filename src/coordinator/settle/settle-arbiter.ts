import type { Bus } from "../../bus/index.js";
import { combineProposals, type FileReport, fileAt, proposalDiff } from "../../git/index.js";
import { ARBITRATION_LIMITS, clipForArbiter } from "../../protocol/index.js";
import type { SettleOutcome, TaskRecord } from "../goal/index.js";
import { requestArbitration } from "./arbiter-request.js";
import { type ConflictPair, MAX_REVISIONS } from "./settle-conflicts.js";

export interface ArbiterDeps {
  bus: Bus;
  repo: string;
  goalId: string;
  goalText: string;
  canRevise: boolean;
  timeoutMs?: number;
}

/**
 * Settlement step 4: an LLM judge (the arbiter service) sees both sides and the goal and picks one or
 * combines them. Returns the reason it gave no verdict (no arbiter running, or no sound verdict) instead.
 */
export async function arbitrateConflict(
  deps: ArbiterDeps,
  a: TaskRecord,
  b: TaskRecord,
  pair: ConflictPair,
  files: FileReport[],
  outcome: SettleOutcome,
): Promise<{ settled: true } | { settled: false; why: string }> {
  const headOf = (t: TaskRecord) => t.proposal?.headCommit as string;
  const side = async (t: TaskRecord) => ({
    taskId: t.spec.taskId,
    role: t.spec.role,
    title: t.spec.title,
    rationale: clipForArbiter(t.proposal?.rationale ?? "", ARBITRATION_LIMITS.rationaleChars),
    diff: await proposalDiff(deps.repo, t.base, headOf(t), { maxChars: ARBITRATION_LIMITS.diffChars }),
  });
  const clip = (text: string | undefined) =>
    text === undefined ? undefined : clipForArbiter(text, ARBITRATION_LIMITS.hunkChars);
  const hunks = files
    .filter((f) => f.status === "conflict")
    .flatMap((f) =>
      f.hunks.map((h) => ({
        file: f.path,
        ours: clip(h.ours.text) ?? "",
        theirs: clip(h.theirs.text) ?? "",
        ...(h.base ? { base: clip(h.base.text) } : {}),
      })),
    );
  const contents = [];
  for (const path of pair.files) {
    const [ours, theirs, base] = await Promise.all([
      fileAt(deps.repo, headOf(a), path),
      fileAt(deps.repo, headOf(b), path),
      fileAt(deps.repo, a.base, path),
    ]);
    contents.push({
      path,
      ...(ours === undefined ? {} : { ours: clipForArbiter(ours, ARBITRATION_LIMITS.fileChars) }),
      ...(theirs === undefined ? {} : { theirs: clipForArbiter(theirs, ARBITRATION_LIMITS.fileChars) }),
      ...(base === undefined ? {} : { base: clipForArbiter(base, ARBITRATION_LIMITS.fileChars) }),
    });
  }
  let why = "the arbiter gave no verdict";
  const verdict = await requestArbitration(
    deps.bus,
    { goalText: deps.goalText, files: pair.files, sides: [await side(a), await side(b)], hunks, contents },
    { goalId: deps.goalId, timeoutMs: deps.timeoutMs ?? 120_000, onGiveUp: (reason) => (why = reason) },
  );
  if (!verdict) return { settled: false, why };
  if (verdict.decision === "combine") {
    const head = await combineProposals(deps.repo, {
      a: headOf(a),
      b: headOf(b),
      files: verdict.files,
      message: `guild: arbiter combined ${a.spec.taskId} and ${b.spec.taskId}\n\n${verdict.rationale}`,
    });
    // The combination carries both sides; b is contained in it, so merging it later is a no-op.
    outcome.heads = [...(outcome.heads ?? []), { taskId: a.spec.taskId, head }];
    outcome.settlements.push({
      winner: a.spec.taskId,
      loser: b.spec.taskId,
      policy: "arbiter",
      reason: verdict.reason,
      files: pair.files,
    });
    return { settled: true };
  }
  const [winner, loser] = verdict.winner === a.spec.taskId ? [a, b] : [b, a];
  outcome.settlements.push({
    winner: winner.spec.taskId,
    loser: loser.spec.taskId,
    policy: "arbiter",
    reason: verdict.reason,
    files: pair.files,
  });
  if (deps.canRevise && loser.revisions < MAX_REVISIONS) {
    outcome.revise.push({
      taskId: loser.spec.taskId,
      base: headOf(winner),
      feedback: `Your change to ${pair.files.join(", ")} conflicted with ${winner.spec.role}'s; the arbiter kept theirs: ${verdict.rationale}. Redo your work on top of it.`,
    });
  } else {
    outcome.reject.push({
      taskId: loser.spec.taskId,
      reason: `lost a conflict by arbitration: ${verdict.reason}`,
    });
  }
  return { settled: true };
}
