import { z } from "zod";
import { Provides } from "./contract.js";
import { envelopeOf, Token } from "./envelope.js";
import { peerDirectives } from "./peer-directives.js";

/** A role name: frontend, backend, security, tests, docs, or a custom one. */
export const RoleName = Token;
export type RoleName = z.infer<typeof RoleName>;

/** A repository-relative path with forward slashes; never absolute, never `..`. */
export const RepoPath = z
  .string()
  .min(1)
  .max(4096)
  .refine(
    (p) => !p.startsWith("/") && !p.split("/").includes(".."),
    "must be relative and stay in the repository",
  );
export type RepoPath = z.infer<typeof RepoPath>;

export const GoalSubmitReply = envelopeOf(
  "goal.accepted",
  z.object({ goalId: Token, baseCommit: z.string(), integrationBranch: z.string() }),
);
export type GoalSubmitReply = z.infer<typeof GoalSubmitReply>;

export const GoalStatus = z.enum([
  "planning",
  "running",
  "merging",
  "verifying",
  "done",
  "failed",
  "cancelled",
]);
export type GoalStatus = z.infer<typeof GoalStatus>;

/** One task of a plan, as it travels on `guild.task.<role>`. */
export const TaskSpec = z.object({
  taskId: Token,
  role: RoleName,
  title: z.string().min(1).max(500),
  instructions: z.string().max(20_000),
  expectedPaths: z.array(z.string().max(4096)).max(1000),
  dependsOn: z.array(Token).max(100).default([]),
  skill: z.string().max(100).optional(),
  /** Exports the task declared it provides: dependents may start against them before it merges. */
  provides: Provides.optional(),
  /** Set when another role changed this role's paths: the owner applies, adapts or declines the patch. */
  changeRequest: z
    .object({
      fromTask: Token,
      fromRole: Token,
      patch: z.string().max(500_000),
      reason: z.string().max(2000),
    })
    .optional(),
});
export type TaskSpec = z.infer<typeof TaskSpec>;

export const GoalSubmit = z.object({
  text: z.string().min(1).max(20_000),
  repo: z.string().min(1),
  baseRef: z.string().min(1).default("HEAD"),
  goalId: Token.optional(),
  /** A prepared plan (e.g. from `guild plan --json`), used instead of the planner; still checked. */
  plan: z.array(TaskSpec).min(1).max(500).optional(),
});
export type GoalSubmit = z.infer<typeof GoalSubmit>;
export const GoalSubmitRequest = envelopeOf("goal.submit", GoalSubmit);
export type GoalSubmitRequest = z.infer<typeof GoalSubmitRequest>;

const Oid = z.string().regex(/^[0-9a-f]{40}$/);

/**
 * A git bundle of a task's base in the blob store: it carries `refs/guild/bases/<commit>`; with `since`,
 * only the objects after that commit (which the mirror must hold already, from an earlier bundle).
 */
export const BaseBundle = z.object({ key: z.string().min(1).max(500), commit: Oid, since: Oid.optional() });
export type BaseBundle = z.infer<typeof BaseBundle>;

export const TaskAssignment = envelopeOf(
  "task.assigned",
  z.object({
    task: TaskSpec,
    goalId: Token,
    goalText: z.string(),
    attempt: z.number().int().min(1),
    /** The repository's id (the same for every clone, never a path): agents keep their mirror of it by this id. */
    repoId: Token,
    /**
     * The coordinator's checkout, offered only with `objectStore` to agents that share its disk: one whose
     * repository there has that object store works in a worktree of it. Every other agent ignores it.
     */
    repo: z.string().min(1).optional(),
    baseCommit: z.string().regex(/^[0-9a-f]{40}$/),
    /** Bundles in the blob store that bring `baseCommit` to a mirror, in order (see {@link BaseBundle}). */
    baseBundles: z.array(BaseBundle).max(8).default([]),
    feedback: z.string().max(200_000).optional(),
    /** How critical the task is: the longest chain of tasks waiting on it, itself included. */
    priority: z.number().int().min(0).max(10_000).optional(),
    /** The id of the coordinator's repository object store: an agent whose repository has it ships no bundle. */
    objectStore: z.string().max(100).optional(),
  }),
);
export type TaskAssignment = z.infer<typeof TaskAssignment>;

export const CheckResult = z.object({
  command: z.string(),
  exitCode: z.number().int().nullable(),
  output: z.string().max(100_000),
});
export type CheckResult = z.infer<typeof CheckResult>;

export const TokenUsage = z.object({
  inputTokens: z.number().int().min(0).default(0),
  outputTokens: z.number().int().min(0).default(0),
});
export type TokenUsage = z.infer<typeof TokenUsage>;

/**
 * A task's outcome; commits travel as a git bundle in the blob store under `bundleKey`, or, with
 * `sharedObjects`, are already in the coordinator's repository (its agent works in a worktree of it).
 */
export const Proposal = z.object({
  proposalId: z.string().min(1).max(200),
  goalId: Token,
  taskId: Token,
  attempt: z.number().int().min(1),
  role: RoleName,
  agentId: Token,
  baseCommit: z.string().regex(/^[0-9a-f]{40}$/),
  headCommit: z.string().regex(/^[0-9a-f]{40}$/),
  bundleKey: z.string().max(500).nullable(),
  sharedObjects: z.literal(true).optional(),
  changedPaths: z.array(z.string().max(4096)).max(10_000),
  rationale: z.string().max(50_000),
  checks: z.array(CheckResult).max(50).default([]),
  usage: TokenUsage.default({ inputTokens: 0, outputTokens: 0 }),
  partial: z.boolean().default(false),
});
export type Proposal = z.infer<typeof Proposal>;
export const ProposalMessage = envelopeOf("proposal.submitted", Proposal);
export type ProposalMessage = z.infer<typeof ProposalMessage>;

/** Whether a proposal brings commits (in a bundle, or already in the coordinator's object store). */
export function proposalHasCommits(proposal: Pick<Proposal, "bundleKey" | "sharedObjects">): boolean {
  return proposal.bundleKey !== null || proposal.sharedObjects === true;
}

/**
 * The blob-store key of a proposal's bundle: it names the agent that sent it, and review reads a proposal's
 * bundle only under the key of that proposal's own agent.
 */
export function proposalBundleKey(p: Pick<Proposal, "goalId" | "taskId" | "attempt" | "agentId">): string {
  return `${p.goalId}.${p.taskId}.${p.attempt}.${p.agentId}`;
}

/** The id a proposal's bundle ref carries (`refs/guild/proposals/<id>`): unique across goals. */
export function proposalRefId(proposal: Pick<Proposal, "goalId" | "proposalId">): string {
  return `${proposal.goalId}-${proposal.proposalId}`;
}

/** Direct messages to one agent on `guild.agent.<agent>.inbox`. */
export const AgentInbox = envelopeOf(
  "agent.directive",
  z.discriminatedUnion("kind", [
    z.object({
      kind: z.literal("revise"),
      taskId: Token,
      attempt: z.number().int().min(1),
      reason: z.string(),
    }),
    z.object({ kind: z.literal("tell"), text: z.string().max(20_000) }),
    z.object({ kind: z.literal("cancel"), taskId: Token.optional(), reason: z.string() }),
    ...peerDirectives,
  ]),
);
export type AgentInbox = z.infer<typeof AgentInbox>;

/** Requests on `guild.goal.<goal>.control`. */
export const GoalControl = envelopeOf(
  "goal.control",
  z.discriminatedUnion("action", [
    z.object({ action: z.literal("cancel"), reason: z.string().default("cancelled by user") }),
    z.object({
      action: z.literal("approve"),
      decisionId: z.string(),
      /** For a conflict waiting for a person: the task whose change is kept. */
      winner: Token.optional(),
    }),
    z.object({ action: z.literal("reject"), decisionId: z.string(), reason: z.string() }),
    z.object({ action: z.literal("tell"), agentId: Token, text: z.string() }),
    z.object({ action: z.literal("status") }),
  ]),
);
export type GoalControl = z.infer<typeof GoalControl>;

export const ControlReply = envelopeOf(
  "goal.control.reply",
  z.object({ ok: z.boolean(), message: z.string(), status: GoalStatus.optional() }),
);
export type ControlReply = z.infer<typeof ControlReply>;
