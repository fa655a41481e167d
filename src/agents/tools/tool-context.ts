import type { SandboxPolicy } from "../../sandbox/index.js";

/** The part of the ownership module the tools need; the real `OwnershipMatcher` satisfies it. */
export interface OwnershipCheck {
  canWrite(role: string, path: string): boolean;
  isProtected(path: string): boolean;
  /** The roles that own a path, primary first; without it no write becomes a change request. */
  rolesOf?(path: string): string[];
}

/** Size and time limits of one tool set. */
export interface ToolLimits {
  maxFileBytes: number;
  maxOutputChars: number;
  commandTimeoutMs: number;
}

export const DEFAULT_TOOL_LIMITS: ToolLimits = {
  maxFileBytes: 1_000_000,
  maxOutputChars: 20_000,
  commandTimeoutMs: 120_000,
};

/** What every tool sees: the worktree, who is acting, and the rules they act under. */
export interface ToolContext {
  workdir: string;
  role: string;
  ownership: OwnershipCheck;
  allowCommands: readonly (readonly string[])[];
  limits: ToolLimits;
  extraPath: readonly string[];
  /** Write ignored paths and add them with `git add --force` instead of refusing (guild.yaml `forceAddIgnored`). */
  forceAddIgnored?: boolean;
  /** How commands are confined (the role's `sandbox:`). */
  sandbox: SandboxPolicy;
  /** Environment names the role's config passes on to commands. */
  passEnv: readonly string[];
  /** Worktree-relative paths the write tools were allowed to change: all an agent's commit may contain. */
  written: Set<string>;
}
