export { type BwrapLayout, bwrapArgs } from "./bwrap-args.js";
export { type ChildEnvOptions, childEnv } from "./child-env.js";
export { type TreeUsage, treeUsage } from "./process-tree.js";
export { runSandboxed, type SandboxPolicy, type SandboxResult, type SandboxRun } from "./run-sandboxed.js";
export {
  DEFAULT_SANDBOX_LIMITS,
  describeLimit,
  type LimitOverrides,
  mergeLimits,
  type SandboxLimit,
  type SandboxLimits,
} from "./sandbox-limits.js";
export {
  describeSandbox,
  type SandboxAvailability,
  type SandboxMode,
  sandboxAvailability,
} from "./sandbox-mode.js";
export { rolePolicy, sandboxPolicy } from "./sandbox-policy.js";
export {
  type SandboxExit,
  type SandboxedProcess,
  type SandboxSpawn,
  spawnSandboxed,
} from "./spawn-sandboxed.js";
