import type { SandboxPolicy } from "../../sandbox/index.js";

/** How serious a finding is; `info` notes something a person may want to look at. */
export type Severity = "info" | "low" | "medium" | "high";

/** One problem a skill found, at a 1-based line of a workdir-relative file. */
export interface Finding {
  file: string;
  line: number;
  rule: string;
  message: string;
  severity: Severity;
  /** Whether one of the report's changes fixes it. */
  fixed: boolean;
}

/** A whole-file write the skill proposes; the brain performs it through the sandboxed tools. */
export interface FileChange {
  path: string;
  content: string;
  reason: string;
  /**
   * The file whose fix needs this one (a new module it imports): when the skill's role may not write
   * this path, the owner gets it as a change request instead of the fix being left half done.
   */
  neededBy?: string;
}

/** Something the skill chose not to look at or not to change, and why. */
export interface Skipped {
  file?: string;
  reason: string;
}

/** What a skill found, what it would change, and what it left alone; it never writes files itself. */
export interface SkillReport {
  skill: string;
  findings: Finding[];
  changes: FileChange[];
  skipped: Skipped[];
  /** Why no change is needed, when the skill found its work already done (e.g. the docs are current). */
  upToDate?: string;
}

export interface SkillOptions {
  /** Globs or path prefixes (workdir-relative) that limit which files the skill reads. */
  paths?: readonly string[];
  /** How a skill runs the worktree's code (the tests skill calls its functions); default bubblewrap, no network. */
  sandbox?: SandboxPolicy;
}

/** A deterministic, model-free piece of work over a worktree. */
export type Skill = (workdir: string, options?: SkillOptions) => Promise<SkillReport>;
