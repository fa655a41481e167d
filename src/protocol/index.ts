export {
  ARBITRATION_LIMITS,
  ArbitrationFile,
  ArbitrationHunk,
  ArbitrationReply,
  ArbitrationRequest,
  type ArbitrationRequestInput,
  ArbitrationRequestPayload,
  ArbitrationSide,
  ArbitrationVerdict,
  clipForArbiter,
  verdictProblems,
} from "./arbiter.js";
export { claimKey, parseClaim, TaskClaim } from "./claims.js";
export { type Clock, SimulatedClock, systemClock } from "./clock.js";
export {
  BrainConfig,
  Budget,
  GuildConfig,
  OwnershipRuleConfig,
  RoleConfig,
  SandboxConfig,
  ScheduleConfig,
  SettlementPolicy,
} from "./config.js";
export {
  contractText,
  MAX_PROVIDES,
  normalizeSignature,
  ProvidedExport,
  Provides,
  parseContractLine,
  signatureKeeps,
} from "./contract.js";
export {
  Envelope,
  type EnvelopeInit,
  envelopeOf,
  makeEnvelope,
  PROTOCOL_VERSION,
  Token,
} from "./envelope.js";
export {
  BudgetKind,
  BundleRejectionRule,
  ERROR_DETAILS,
  type ErrorDetails,
  MessageIssue,
  parseErrorDetails,
} from "./error-details.js";
export {
  ERROR_CODES,
  type ErrorCode,
  GuildError,
  type GuildErrorJSON,
  type GuildErrorOptions,
  guildError,
  isGuildError,
  type OptionalDetailsCode,
  toGuildError,
} from "./errors.js";
export { ContractBroken, ContractParty } from "./events/contract.js";
export { HostRefusal } from "./events/host.js";
export {
  defineEvents,
  type EventOf,
  type EventPayload,
  type EventPayloads,
  type EventType,
  eventPayloads,
  GuildEvent,
  isEventType,
} from "./events/index.js";
export {
  OverlapDetected,
  OverlapSide,
  PeerTopic,
  QUESTION_MAX_CHARS,
} from "./events/peer.js";
export {
  ChangedFile,
  ImportUse,
  LineSpan,
  PROGRESS_LIMIT,
  SurfaceChange,
  WorkProgress,
} from "./events/progress.js";
export { type SyncedDirective, syncedDirective, WorkSynced } from "./events/sync.js";
export { SAFE_GIT_ARGS, SAFE_GIT_ENV } from "./git-safety.js";
export { formatGoalCost, type GoalCost, goalCost, modelOf, type RoleCost } from "./goal-cost.js";
export { HostConfig, HostRole, hostConfigFromGuild, hostRoleOf } from "./host-config.js";
export {
  describeBrain,
  type EffectiveRole,
  type LimitDefaults,
  type Narrowed,
  narrow,
  type Refusal,
  type RepoRoleAsk,
} from "./host-narrow.js";
export { createLogger, type Logger, type LoggerOptions, REDACT_PATHS, redactText } from "./log.js";
export {
  AgentInbox,
  BaseBundle,
  CheckResult,
  ControlReply,
  GoalControl,
  GoalStatus,
  GoalSubmit,
  GoalSubmitReply,
  GoalSubmitRequest,
  Proposal,
  ProposalMessage,
  proposalBundleKey,
  proposalHasCommits,
  proposalRefId,
  RepoPath,
  RoleName,
  TaskAssignment,
  TaskSpec,
  TokenUsage,
} from "./messages.js";
export { declaredNoChange } from "./no-change.js";
export { type PeerDirective, peerDirectives } from "./peer-directives.js";
export {
  PlanDraft,
  PlanDraftTask,
  PlanOwnershipEntry,
  PlanReply,
  PlanRequest,
  PlanRequestPayload,
} from "./plan.js";
export { AgentPresence } from "./presence.js";
export { PriorityGate } from "./priority-gate.js";
export { NO_GOAL, stores, subjects, token } from "./subjects.js";
