export {
  type ArbiterServiceOptions,
  arbiterRetryPrompt,
  arbiterSystemPrompt,
  arbiterUserPrompt,
  extractJsonObject,
  type JudgeModel,
  type JudgeModelOptions,
  judgeModelOf,
  type ParsedVerdict,
  parseVerdict,
  startArbiterService,
  untrustedTag,
} from "./arbiter/index.js";
export {
  firstJsonValue,
  type ParsedPlan,
  type PlannerModel,
  type PlannerModelOptions,
  type PlannerServiceOptions,
  parsePlanReply,
  plannerModelOf,
  planRetryPrompt,
  planSystemPrompt,
  planUserPrompt,
  SUBMIT_PLAN_TOOL,
  startPlannerService,
} from "./planner/index.js";
export { BUILTIN_ROLES, type BuiltinRole, charterFor, UNTRUSTED_NOTICE } from "./roles.js";
export { claimKey, claimTask } from "./specialist/claim.js";
export { BUILT_IN_HOST, type HostSetting } from "./specialist/host-role.js";
export {
  type Assignment,
  type PreparedWorkspace,
  type SpecialistContext,
  type SpecialistEvent,
  specialistMachine,
  type WorkOutcome,
} from "./specialist/machine.js";
export { Specialist, type SpecialistOptions } from "./specialist/specialist.js";
