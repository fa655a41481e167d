import type { z } from "zod";
import type { SandboxPolicy } from "../../sandbox/index.js";
import type { ForeignWrite, WriteCheck } from "./write-check.js";

/** A tool a brain may call; the input is validated with `input` before `call` sees it. */
export interface ToolDefinition<I = unknown> {
  name: string;
  description: string;
  input: z.ZodType<I>;
  /** JSON Schema of `input`, for LLM providers. */
  jsonSchema: Record<string, unknown>;
}

export interface ToolResult {
  ok: boolean;
  /** What the model sees: the output, or the reason a call was refused. */
  output: string;
  /** Set when the call ends the task (finish). */
  finished?: { summary: string };
}

/** The only way a brain touches the repository; every call is checked by the sandbox in code. */
export interface ToolSet {
  readonly definitions: readonly ToolDefinition[];
  /** How processes run for this task (commands, CLI brains, skill runs): the sandbox and what env they get. */
  readonly confinement?: Confinement;
  call(name: string, input: unknown): Promise<ToolResult>;
  /**
   * Checks a write an external agent makes by its own means, as `write_file` would (refusals are
   * reported like a tool's); `content` (null: unknown) lets a write to another role's path become a
   * change request.
   */
  checkWrite?(path: string, content: string | undefined | null): WriteCheck;
  /** The writes to other roles' paths recorded so far, for the owners' change requests. */
  foreignWrites?(): readonly ForeignWrite[];
  /** The paths the write tools were allowed to change, so far; an agent commits these and nothing else. */
  written?(): string[];
}

/** The role's sandbox policy and the environment names and PATH directories its processes get. */
export interface Confinement {
  sandbox: SandboxPolicy;
  passEnv: readonly string[];
  extraPath: readonly string[];
}
