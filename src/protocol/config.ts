import { z } from "zod";
import { Token } from "./envelope.js";

/** Names of the variables an external agent gets from guild's environment (its key, its endpoint), and no others. */
const ExternalEnv = z
  .array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/))
  .max(100)
  .optional();

/** How a role's brain is built; secrets come from the environment, never from this file. */
export const BrainConfig = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("offline"), skill: z.string().optional() }),
  z.object({
    kind: z.literal("openai"),
    model: z.string(),
    baseURL: z.string().url().optional(),
    temperature: z.number().min(0).max(2).optional(),
  }),
  z.object({ kind: z.literal("anthropic"), model: z.string(), baseURL: z.string().url().optional() }),
  z.object({
    kind: z.literal("cli"),
    /** argv template; `{task}` is replaced by the task text, `{dir}` by the worktree. */
    command: z.array(z.string()).min(1),
    timeoutMs: z.number().int().positive().optional(),
    env: ExternalEnv,
  }),
  z.object({
    kind: z.literal("claude-code"),
    model: z.string().optional(),
    maxTurns: z.number().int().positive().optional(),
    timeoutMs: z.number().int().positive().optional(),
    env: ExternalEnv,
  }),
  z.object({
    kind: z.literal("codex"),
    model: z.string().optional(),
    /** A Responses API endpoint other than OpenAI's (codex ignores OPENAI_BASE_URL, so guild configures it). */
    baseURL: z.string().url().optional(),
    timeoutMs: z.number().int().positive().optional(),
    env: ExternalEnv,
  }),
  /** `delayMaxMs`: each task waits a seeded uniform draw in [delayMs, delayMaxMs] (the benchmark's varied brain). */
  z.object({
    kind: z.literal("scripted"),
    delayMs: z.number().int().min(0).default(0),
    delayMaxMs: z.number().int().min(0).optional(),
    seed: z.number().int().optional(),
  }),
]);
export type BrainConfig = z.infer<typeof BrainConfig>;

export const Budget = z.object({
  maxSteps: z.number().int().positive().default(40),
  maxTokens: z.number().int().positive().default(200_000),
  maxWallMs: z
    .number()
    .int()
    .positive()
    .default(15 * 60_000),
});
export type Budget = z.infer<typeof Budget>;

/** How a role's commands and CLI brain are confined: `none` (unconfined, only by choice) or bubblewrap's settings. */
export const SandboxConfig = z.union([
  z.literal("none"),
  z
    .object({
      /** Network for the role's commands and CLI brain (a CLI agent reaching its model's API). */
      network: z.boolean().default(false),
      /** Directories besides the worktree they may write (absolute, or relative to the worktree). */
      writable: z.array(z.string().min(1)).default([]),
      limits: z
        .object({
          cpuSeconds: z.number().int().positive(),
          memoryBytes: z.number().int().positive(),
          processes: z.number().int().positive(),
          outputBytes: z.number().int().positive(),
          fileBytes: z.number().int().positive(),
          wallMs: z.number().int().positive(),
        })
        .partial()
        .optional(),
    })
    .strict(),
]);
export type SandboxConfig = z.infer<typeof SandboxConfig>;

export const RoleConfig = z.object({
  charter: z.string().default(""),
  brain: BrainConfig.default({ kind: "offline" }),
  /** How many agents of this role run; when set, the coordinator keeps at most this many of its tasks in flight. */
  replicas: z.number().int().min(1).max(32).optional(),
  /** Commands (argv, no shell) this role may run; the first word must match exactly. */
  allowCommands: z.array(z.array(z.string()).min(1)).default([]),
  budget: Budget.partial().optional(),
  /** Overrides the top-level `sandbox` for this role. */
  sandbox: SandboxConfig.optional(),
  /** Environment variable names passed on to this role's commands and CLI brain (all else is withheld). */
  env: ExternalEnv,
});
export type RoleConfig = z.infer<typeof RoleConfig>;

export const OwnershipRuleConfig = z.object({
  pattern: z.string().min(1),
  owners: z.array(z.string()).default([]),
  protect: z.boolean().default(false),
});
export type OwnershipRuleConfig = z.infer<typeof OwnershipRuleConfig>;

export const SettlementPolicy = z.enum(["ownership", "priority", "revise", "arbiter", "human"]);
export type SettlementPolicy = z.infer<typeof SettlementPolicy>;

/** A goal the coordinator starts on a cron schedule (5 fields, or 6 with seconds; UTC unless `timezone`). */
export const ScheduleConfig = z
  .object({
    cron: z.string().min(1).max(200),
    goal: z.string().min(1).max(20_000),
    base: z.string().min(1).default("HEAD"),
    /** Names the schedule (its runs' goal ids start with it); default a hash of cron, goal and base. */
    id: Token.max(40).optional(),
    timezone: z.string().max(100).optional(),
  })
  .strict();
export type ScheduleConfig = z.infer<typeof ScheduleConfig>;

/** `guild.yaml`: ownership rules, roles, settlement, and how to verify the result. */
export const GuildConfig = z
  .object({
    version: z.literal(1).default(1),
    rules: z.array(OwnershipRuleConfig).default([]),
    roles: z.record(Token, RoleConfig).default({}),
    rolePriority: z.array(Token).default(["security", "backend", "frontend", "tests", "docs"]),
    settlement: z.array(SettlementPolicy).default(["ownership", "priority", "revise", "human"]),
    /** argv, run without a shell in the integration worktree. */
    testCommand: z.array(z.string()).min(1).optional(),
    /** How long a dispatched task whose role no agent serves waits for one before it fails (default 3 min). */
    unservedWaitMs: z.number().int().min(0).optional(),
    /** Owner given to expected paths no rule covers; unset means such paths are reported. */
    defaultOwner: z.string().optional(),
    /** CODEOWNERS handles (`@org/team`, `alice@example.com`) → guild roles. */
    handles: z.record(z.string(), Token).default({}),
    /** Paths no agent may change without a person; added to the built-in list. */
    protected: z.array(z.string()).default([]),
    /** Whether writes to another role's paths become change requests (default) or rejections. */
    foreignWrites: z.enum(["change_request", "reject"]).default("change_request"),
    /** Whether agents may write paths the repository ignores (then force-added) instead of being refused. */
    forceAddIgnored: z.boolean().default(false),
    limits: z
      .object({
        maxFileBytes: z.number().int().positive().default(1_000_000),
        maxBundleBytes: z.number().int().positive().default(50_000_000),
      })
      .default({ maxFileBytes: 1_000_000, maxBundleBytes: 50_000_000 }),
    /** The LLM judge of the `arbiter` settlement policy (openai or anthropic); unset means no arbiter. */
    arbiter: BrainConfig.optional(),
    prices: z.record(z.string(), z.object({ input: z.number(), output: z.number() })).default({}),
    /** Tokens all agents of one goal may spend together; a task that would pass it ends as a partial proposal. */
    goalBudget: z.object({ maxTokens: z.number().int().positive().optional() }).default({}),
    /** Who plans goals: the rule-based planner for offline skills, or an LLM brain (openai, anthropic). */
    planner: z.union([z.literal("rules"), BrainConfig]).default("rules"),
    /** Goals the coordinator of this checkout starts on a schedule, against this repository. */
    schedules: z.array(ScheduleConfig).max(100).default([]),
    /** When a goal is done, push its integration branch to this remote (and open a PR with GITHUB_TOKEN). */
    handoff: z
      .object({
        push: z
          .string()
          .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "a remote's name, not a URL")
          .max(100),
      })
      .strict()
      .optional(),
    /** Live coordination: agents' progress (ms between events), overlap warnings, questions between agents. */
    live: z
      .object({
        enabled: z.boolean().default(true),
        progressMs: z.number().int().min(100).default(3000),
        answerMs: z.number().int().min(100).default(60_000),
        maxQuestions: z.number().int().min(0).max(20).default(3),
      })
      .default({ enabled: true, progressMs: 3000, answerMs: 60_000, maxQuestions: 3 }),
    /** How commands run for every role without its own `sandbox`: bubblewrap (default) or `none`. */
    sandbox: SandboxConfig.optional(),
  })
  .strict();
export type GuildConfig = z.infer<typeof GuildConfig>;
