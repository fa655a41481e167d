import type { Bus } from "../../bus/index.js";
import {
  ArbitrationReply,
  type ArbitrationRequestInput,
  ArbitrationRequestPayload,
  makeEnvelope,
  subjects,
  type TokenUsage,
  toGuildError,
  verdictProblems,
} from "../../protocol/index.js";

/** How the coordinator asks for a verdict: per-attempt timeout, attempts, and envelope fields. */
export interface ArbitrationOptions {
  /** Per attempt; an LLM judge is slow, so the default is 5 minutes. */
  timeoutMs?: number;
  /** Attempts in all, each after the previous one's reply was refused or timed out; default 2. */
  attempts?: number;
  goalId?: string;
  /** Source token of the request envelope; default `coordinator`. */
  source?: string;
  /** Called once when arbitration gives up, with the reason for the `conflict.settled` event. */
  onGiveUp?: (reason: string) => void;
}

interface OutcomeBase {
  rationale: string;
  judge: string;
  /** Tokens of every attempt, refused ones included. */
  usage: TokenUsage;
  attempts: number;
  /** One line for the `conflict.settled` event. */
  reason: string;
}

/** A verdict checked twice (arbiter and coordinator): keep `winner` over `loser`, or write combined files. */
export type ArbitrationOutcome =
  | (OutcomeBase & { decision: "pick"; winner: string; loser: string })
  | (OutcomeBase & { decision: "combine"; files: { path: string; content: string }[] });

/** Arbitration's result with the reason when there is no verdict (no arbiter, or every attempt failed). */
export type ArbitrationResult =
  | { ok: true; outcome: ArbitrationOutcome }
  | { ok: false; reason: string; errors: string[]; usage: TokenUsage };

const DEFAULT_TIMEOUT_MS = 300_000;
const NO_USAGE: TokenUsage = { inputTokens: 0, outputTokens: 0 };

function add(a: TokenUsage, b: unknown): TokenUsage {
  const u = b as Partial<TokenUsage> | undefined;
  const n = (v: unknown) => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : 0);
  return {
    inputTokens: a.inputTokens + n(u?.inputTokens),
    outputTokens: a.outputTokens + n(u?.outputTokens),
  };
}

function stringsOf(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((v): v is string => typeof v === "string").map((v) => v.slice(0, 2000))
    : [];
}

/**
 * Asks an arbiter service to judge one conflict and checks its verdict again here: the winner must be one
 * of the two sides, a combine must write exactly the conflicting files. Refused or malformed verdicts are
 * retried with their errors; no responders ends at once.
 */
export async function arbitrate(
  bus: Bus,
  request: ArbitrationRequestInput,
  options: Omit<ArbitrationOptions, "onGiveUp"> = {},
): Promise<ArbitrationResult> {
  const checked = ArbitrationRequestPayload.safeParse(request);
  if (!checked.success) {
    const errors = checked.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    return {
      ok: false,
      reason: `arbitration request invalid: ${errors.join("; ")}`,
      errors,
      usage: NO_USAGE,
    };
  }
  const base = checked.data;
  const [a, b] = base.sides;
  if (a.taskId === b.taskId) {
    const errors = [`both sides are task ${a.taskId}`];
    return { ok: false, reason: `arbitration request invalid: ${errors[0]}`, errors, usage: NO_USAGE };
  }
  const attempts = Math.max(1, options.attempts ?? 2);
  let usage = NO_USAGE;
  let errors: string[] = [];
  let previous: { errors: string[]; reply?: string } = { errors: [] };
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const payload: ArbitrationRequestPayload = {
      ...base,
      attempt,
      previousErrors: previous.errors.slice(0, 50),
      ...(previous.reply === undefined ? {} : { previousReply: previous.reply.slice(0, 20_000) }),
    };
    const envelope = makeEnvelope({
      type: "arbitration.requested",
      source: options.source ?? "coordinator",
      goalId: options.goalId,
      payload,
    });
    let reply: ArbitrationReply;
    try {
      reply = await bus.request(subjects.arbiterRequest, envelope, ArbitrationReply, {
        timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      });
    } catch (e) {
      const error = toGuildError(e);
      if (error.code === "bus.no_responders") {
        return {
          ok: false,
          reason: `no arbiter serves ${subjects.arbiterRequest}`,
          errors: [error.message],
          usage,
        };
      }
      const details = error.is("brain.failed") ? error.details : undefined;
      usage = add(usage, details?.usage);
      const refused = stringsOf(details?.errors);
      errors = refused.length > 0 ? refused : [error.message];
      const reply = details?.reply;
      previous = { errors: refused, ...(reply === undefined ? {} : { reply }) };
      continue;
    }
    usage = add(usage, reply.payload.usage);
    const { verdict, judge } = reply.payload;
    const problems = verdictProblems(verdict, payload);
    if (problems.length > 0) {
      errors = problems;
      previous = { errors: problems, reply: JSON.stringify(verdict) };
      continue;
    }
    const common = { rationale: verdict.rationale, judge, usage, attempts: attempt };
    if (verdict.decision === "pick") {
      const [winner, loser] = verdict.winner === a.taskId ? [a, b] : [b, a];
      return {
        ok: true,
        outcome: {
          ...common,
          decision: "pick",
          winner: winner.taskId,
          loser: loser.taskId,
          reason: `arbiter ${judge} kept ${winner.role} (${winner.taskId}): ${verdict.rationale}`,
        },
      };
    }
    return {
      ok: true,
      outcome: {
        ...common,
        decision: "combine",
        files: verdict.files,
        reason: `arbiter ${judge} combined ${a.taskId} and ${b.taskId} in ${base.files.join(", ")}: ${verdict.rationale}`,
      },
    };
  }
  return {
    ok: false,
    reason: `arbiter gave no sound verdict in ${attempts} attempt(s): ${errors.join("; ")}`,
    errors,
    usage,
  };
}

/**
 * The `arbiter` step of the settlement chain: a checked verdict, or undefined (so the chain moves on)
 * when no arbiter serves the subject or every attempt failed; `onGiveUp` receives why.
 * @example const outcome = await requestArbitration(bus, payload, { goalId, onGiveUp: (r) => (why = r) })
 */
export async function requestArbitration(
  bus: Bus,
  request: ArbitrationRequestInput,
  options: ArbitrationOptions = {},
): Promise<ArbitrationOutcome | undefined> {
  const { onGiveUp, ...rest } = options;
  const result = await arbitrate(bus, request, rest);
  if (result.ok) return result.outcome;
  onGiveUp?.(result.reason);
  return undefined;
}
