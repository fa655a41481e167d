import { z } from "zod";
import type { ErrorCode } from "./errors.js";
import { TokenUsage } from "./messages.js";

/** One schema problem of a message: where (its keys joined with dots) and what. */
export const MessageIssue = z.object({ path: z.string(), message: z.string() });

/** Why a bundle or commit range was refused; stable strings for the coordinator and the dashboard. */
export const BundleRejectionRule = z.enum([
  "malformed_bundle",
  "refs_outside_namespace",
  "not_based_on_base",
  "unsafe_path",
  "symlink_escape",
  "file_too_large",
  "total_too_large",
  "protected_paths",
  "proposal_exists",
]);
export type BundleRejectionRule = z.infer<typeof BundleRejectionRule>;

/** Which budget of a task ran out. */
export const BudgetKind = z.enum(["steps", "tokens", "wall_ms", "goal_tokens"]);

/** Where a config or rules file went wrong: file, 1-based line and column, the line's text, what was expected. */
const SourcePosition = {
  file: z.string(),
  line: z.number().int(),
  column: z.number().int(),
  text: z.string(),
  expected: z.string(),
};

const none = z.object({});

/**
 * The registry: each error code with the schema of its `details`. A code whose schema has required keys
 * must be built with them (checked at compile time by {@link GuildError}'s constructor), and a `details`
 * read from the wire is checked against its code's schema (see {@link GuildError.fromJSON}).
 */
export const ERROR_DETAILS = {
  "bus.timeout": z.object({ subject: z.string(), timeoutMs: z.number() }),
  "bus.no_responders": z.object({ subject: z.string() }),
  "bus.closed": none,
  "bus.invalid_message": z
    .object({ subject: z.string(), token: z.string(), issues: z.array(MessageIssue) })
    .partial(),
  "bus.unavailable": z.object({ url: z.string(), subject: z.string() }).partial(),
  "bus.unauthorized": z.object({ url: z.string(), path: z.string() }).partial(),
  "kv.conflict": z.object({ key: z.string(), owner: z.string().optional() }),
  "kv.not_found": z.object({ key: z.string() }),
  "blob.not_found": z.object({ key: z.string() }),
  // A position in a file (guild.yaml, a rules file), or a setting and the value it was given.
  "config.invalid": z
    .object({
      ...SourcePosition,
      path: z.array(z.union([z.string(), z.number()])),
      setting: z.string(),
      value: z.union([z.string(), z.number()]),
      repoDir: z.string(),
    })
    .partial(),
  "ownership.parse": z.object(SourcePosition),
  "ownership.denied": z.object({ path: z.string(), role: z.string() }).partial(),
  // `kind: "unavailable"` when no sandbox exists here; otherwise the path or tool refused.
  "sandbox.denied": z
    .object({
      kind: z.literal("unavailable"),
      path: z.string(),
      tool: z.string(),
      role: z.string(),
      refusals: z.array(z.object({ field: z.string(), asked: z.string(), reason: z.string() })).readonly(),
    })
    .partial(),
  // A git command that failed (args, cwd, code, stderr), or a state of the repository guild refuses to act on.
  "git.failed": z
    .object({
      args: z.array(z.string()),
      cwd: z.string(),
      code: z.number().int(),
      stderr: z.string(),
      dir: z.string(),
      repoDir: z.string(),
      repoId: z.string(),
      baseCommit: z.string(),
      key: z.string(),
      rev: z.string(),
      ref: z.string(),
      branch: z.string(),
      base: z.string(),
      file: z.string(),
      pattern: z.string(),
      token: z.object({ kind: z.string(), value: z.string() }),
      trailer: z.string(),
      remote: z.string(),
      remotes: z.array(z.string()),
      taskId: z.string(),
      wrote: z.array(z.string()),
      pullRequest: z.object({
        owner: z.string(),
        repo: z.string(),
        head: z.string(),
        status: z.number().nullable(),
      }),
    })
    .partial(),
  "git.bundle_rejected": z
    .object({
      rule: BundleRejectionRule,
      path: z.string(),
      paths: z.array(z.string()),
      target: z.string(),
      ref: z.string(),
      refs: z.array(z.string()),
      current: z.string(),
      base: z.string(),
      head: z.string(),
      prerequisite: z.string(),
      commit: z.string(),
      size: z.number(),
      limit: z.number(),
    })
    .partial()
    .required({ rule: true }),
  // Paths left conflicted, or a branch that moved or is checked out with local changes.
  "git.conflict": z
    .object({
      paths: z.array(z.string()),
      branch: z.string(),
      expected: z.string(),
      current: z.string(),
      to: z.string(),
      dir: z.string(),
    })
    .partial(),
  "brain.failed": z
    .object({
      planner: z.string(),
      judge: z.string(),
      errors: z.array(z.string()),
      reply: z.string(),
      usage: TokenUsage,
      env: z.string(),
      bound: z.enum(["bytes", "line", "deadline"]),
      status: z.union([z.number(), z.string()]),
    })
    .partial(),
  "budget.exceeded": z.object({ budget: BudgetKind, limit: z.number(), used: z.number() }),
  "plan.invalid": z
    .object({
      errors: z.array(z.string()),
      attempts: z.number().int(),
      planner: z.string(),
      reply: z.string(),
      usage: TokenUsage,
      goalId: z.string(),
    })
    .partial(),
  "goal.not_found": z.object({ goalId: z.string(), decisionId: z.string() }).partial(),
  internal: none,
} satisfies { [C in ErrorCode]: z.ZodType<Record<string, unknown>> };

/** The `details` an error of code `C` carries. */
export type ErrorDetails<C extends ErrorCode> = z.input<(typeof ERROR_DETAILS)[C]>;

/** Checks `details` against its code's schema: the parsed details, or the schema's issues. */
export function parseErrorDetails(
  code: ErrorCode,
  details: unknown,
): { ok: true; details: Record<string, unknown> } | { ok: false; issues: z.infer<typeof MessageIssue>[] } {
  const result = ERROR_DETAILS[code].safeParse(details);
  if (result.success) return { ok: true, details: result.data };
  return {
    ok: false,
    issues: result.error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message })),
  };
}
