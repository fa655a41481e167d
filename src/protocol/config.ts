import { z } from "zod";
import { Token } from "./envelope.js";

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
  }),
  z.object({ kind: z.literal("scripted"), delayMs: z.number().int().min(0).default(0) }),
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
  env: z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/)).default([]),
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
    /** Owner given to expected paths no rule covers; unset means such paths are reported. */
    defaultOwner: z.string().optional(),
    /** CODEOWNERS handles (`@org/team`, `alice@example.com`) → guild roles. */
    handles: z.record(z.string(), Token).default({}),
    /** Paths no agent may change without a person; added to the built-in list. */
    protected: z.array(z.string()).default([]),
    /** Whether writes to another role's paths become change requests (default) or rejections. */
    foreignWrites: z.enum(["change_request", "reject"]).default("change_request"),
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
    /** How commands run for every role without its own `sandbox`: bubblewrap (default) or `none`. */
    sandbox: SandboxConfig.optional(),
  })
  .strict();
export type GuildConfig = z.infer<typeof GuildConfig>;
