export {
  BASE_NAMESPACE,
  ensureMirror,
  exportBaseBundle,
  hasCommit,
  importBaseBundle,
  mirrorDir,
} from "./base-bundle.js";
export { type ExportBundleOptions, exportBundle } from "./bundle-export.js";
export {
  adoptProposal,
  type ImportBundleOptions,
  type ImportedProposal,
  importBundle,
} from "./bundle-import.js";
export type { RejectionRule } from "./bundle-rejection.js";
export { combineProposals, fileAt } from "./combine-proposals.js";
export {
  type ConflictReport,
  detectConflicts,
  type FileReport,
  type PairReport,
  type ProposalRange,
} from "./conflict-detect.js";
export type { ConflictHunk, HunkSide, LineRange } from "./conflict-hunks.js";
export { candidatePairs } from "./conflict-pairs.js";
export { type DependencyBase, dependencyBase } from "./dependency-base.js";
export { type FastForwardOptions, fastForwardBase } from "./fast-forward.js";
export {
  type GitCommand,
  GUILD_IDENTITY,
  gitCommand,
  gitCommandSync,
  gitEnv,
  gitHelperUsage,
  gitSync,
  gitText,
  withGitPriority,
} from "./git-exec.js";
export { execFileRunner, type GitRunner, gitRunner, setGitRunner } from "./git-runner.js";
export { GitSpawner, type SpawnerUsage, type SpawnRequest, type SpawnResult } from "./git-spawner.js";
export { type GoalProposal, listGoalsWithBranches, removeGoalRefs } from "./goal-refs.js";
export {
  type HandOffOptions,
  type HandOffResult,
  type HandoffReport,
  handOff,
  handoffReport,
  pullRequestBody,
} from "./handoff/index.js";
export { forceAddPath, isIgnoredPath } from "./ignored-paths.js";
export { IncrementalMerge, type PreparedMerge } from "./incremental-merge.js";
export {
  type IntegrationEntry,
  type IntegrationResult,
  type MergeIntegrationOptions,
  type MergeStep,
  mergeIntoIntegration,
  mergeStep,
  resetIntegration,
  sameTree,
  trialMerge,
} from "./integration-merge.js";
export { type MergeMessage, type MergeTreeResult, mergeTree } from "./merge-tree.js";
export { objectStoreId } from "./object-store.js";
export {
  type CheckProposalOptions,
  checkProposal,
  DEFAULT_LIMITS,
  type SizeLimits,
} from "./proposal-checks.js";
export { dropPaths, proposalDiff } from "./proposal-diff.js";
export { type PushOptions, type PushResult, pushBranch, remoteUrl } from "./push-branch.js";
export {
  integrationBranch,
  PROPOSAL_NAMESPACE,
  parseTaskBranch,
  proposalRef,
  SALVAGE_NAMESPACE,
  salvageRef,
  taskBranch,
} from "./ref-names.js";
export { gitPath, resolveCommit } from "./repo-facts.js";
export { repoId } from "./repo-id.js";
export { withRepoLock } from "./repo-lock.js";
export type { Salvaged } from "./salvage.js";
export type { GitEvent, GitEventListener, Workspace } from "./workspace.js";
export {
  type CommitOptions,
  type CommitResult,
  commitWorkspace,
  workspaceState,
} from "./workspace-commit.js";
export { type CreateWorkspaceOptions, createWorkspace } from "./workspace-create.js";
export { type RecoverOptions, type RecoveryReport, recoverWorkspaces } from "./workspace-recover.js";
export { type RemoveOptions, removeWorkspace } from "./workspace-remove.js";
export {
  AgentWorktree,
  agentDirName,
  type ReleaseOptions,
  type SwitchOptions,
} from "./workspace-reuse.js";
export { parseZeroContextDiff, type Span, type WorktreeChange, worktreeChanges } from "./worktree-changes.js";
export { guildHome, linkDependencies, worktreeRoot } from "./worktree-home.js";
export { listWorktrees, type WorktreeEntry } from "./worktree-list.js";
