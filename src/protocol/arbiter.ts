import { z } from "zod";
import { envelopeOf, Token } from "./envelope.js";
import { TokenUsage } from "./messages.js";

/** Size limits of an arbitration request, so one conflict cannot outgrow a NATS message (1 MB default). */
export const ARBITRATION_LIMITS = {
  diffChars: 60_000,
  hunkChars: 20_000,
  fileChars: 100_000,
  rationaleChars: 10_000,
  files: 50,
} as const;

const RepoFile = z.string().min(1).max(4096);

/** One side of a conflict as the arbiter sees it: who made it, why, and what it changed. */
export const ArbitrationSide = z.object({
  taskId: Token,
  role: z.string().min(1).max(100),
  title: z.string().max(500),
  rationale: z.string().max(ARBITRATION_LIMITS.rationaleChars).default(""),
  /** Unified diff of the side's whole proposal against the goal base, clipped to `diffChars`. */
  diff: z.string().max(ARBITRATION_LIMITS.diffChars + 200),
});
export type ArbitrationSide = z.infer<typeof ArbitrationSide>;

/** One conflicting hunk; `ours` is the first side's text, `theirs` the second's, `base` the goal base's. */
export const ArbitrationHunk = z.object({
  file: RepoFile,
  ours: z.string().max(ARBITRATION_LIMITS.hunkChars + 200),
  theirs: z.string().max(ARBITRATION_LIMITS.hunkChars + 200),
  base: z
    .string()
    .max(ARBITRATION_LIMITS.hunkChars + 200)
    .optional(),
});
export type ArbitrationHunk = z.infer<typeof ArbitrationHunk>;

/**
 * A conflicting file in full, so a combined version can be written; a version is absent when the file
 * does not exist there or is larger than `fileChars` (then the arbiter can only pick).
 */
export const ArbitrationFile = z.object({
  path: RepoFile,
  ours: z.string().max(ARBITRATION_LIMITS.fileChars).optional(),
  theirs: z.string().max(ARBITRATION_LIMITS.fileChars).optional(),
  base: z.string().max(ARBITRATION_LIMITS.fileChars).optional(),
});
export type ArbitrationFile = z.infer<typeof ArbitrationFile>;

/** Everything an arbiter needs to judge one conflict; retries carry the previous attempt's errors. */
export const ArbitrationRequestPayload = z.object({
  goalText: z.string().min(1).max(20_000),
  /** The conflicting paths; a combine may write only these. */
  files: z.array(RepoFile).min(1).max(ARBITRATION_LIMITS.files),
  sides: z.tuple([ArbitrationSide, ArbitrationSide]),
  hunks: z.array(ArbitrationHunk).max(200).default([]),
  contents: z.array(ArbitrationFile).max(ARBITRATION_LIMITS.files).default([]),
  attempt: z.number().int().min(1).default(1),
  previousErrors: z.array(z.string().max(2000)).max(50).default([]),
  /** The previous attempt's raw reply, so the judge can fix rather than restart. */
  previousReply: z.string().max(20_000).optional(),
});
export type ArbitrationRequestPayload = z.infer<typeof ArbitrationRequestPayload>;
/** The payload as a caller writes it: fields with defaults may be left out. */
export type ArbitrationRequestInput = z.input<typeof ArbitrationRequestPayload>;

/** `arbitration.requested` on `guild.arbiter.request`. */
export const ArbitrationRequest = envelopeOf("arbitration.requested", ArbitrationRequestPayload);
export type ArbitrationRequest = z.infer<typeof ArbitrationRequest>;

const Rationale = z.string().trim().min(1).max(5000);

/** The judge's decision: keep one side whole, or write combined contents of the conflicting files. */
export const ArbitrationVerdict = z.discriminatedUnion("decision", [
  z.object({ decision: z.literal("pick"), winner: Token, rationale: Rationale }).strict(),
  z
    .object({
      decision: z.literal("combine"),
      files: z
        .array(z.object({ path: RepoFile, content: z.string().max(1_000_000) }).strict())
        .min(1)
        .max(ARBITRATION_LIMITS.files),
      rationale: Rationale,
    })
    .strict(),
]);
export type ArbitrationVerdict = z.infer<typeof ArbitrationVerdict>;

/** `arbitration.decided`: the reply of an arbiter service. */
export const ArbitrationReply = envelopeOf(
  "arbitration.decided",
  z.object({ verdict: ArbitrationVerdict, judge: z.string().min(1).max(200), usage: TokenUsage }),
);
export type ArbitrationReply = z.infer<typeof ArbitrationReply>;

/**
 * What is wrong with a schema-valid verdict for this request: a winner that is neither side, a combine
 * writing a path outside the conflict, or leaving a conflicting file unresolved. Empty when it is sound.
 * Both the arbiter and the coordinator run it.
 */
export function verdictProblems(verdict: ArbitrationVerdict, request: ArbitrationRequestPayload): string[] {
  const ids = request.sides.map((s) => s.taskId);
  if (verdict.decision === "pick") {
    return ids.includes(verdict.winner)
      ? []
      : [`winner ${JSON.stringify(verdict.winner)} is neither side; pick one of ${ids.join(", ")}`];
  }
  const problems: string[] = [];
  const allowed = new Set(request.files);
  const seen = new Set<string>();
  for (const { path } of verdict.files) {
    if (!allowed.has(path))
      problems.push(`combine may only write the conflicting files; refused ${JSON.stringify(path)}`);
    else if (seen.has(path)) problems.push(`combine writes ${path} twice`);
    seen.add(path);
  }
  const missing = request.files.filter((f) => !seen.has(f));
  if (missing.length > 0)
    problems.push(
      `combine must give the full content of every conflicting file; missing ${missing.join(", ")}`,
    );
  return problems;
}

/** Clips text to `max` characters, saying how much was left out, for diffs and hunks in a request. */
export function clipForArbiter(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}\n… (${text.length - max} more characters left out)`;
}
