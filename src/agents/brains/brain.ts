import type { Budget, PeerDirective, TaskSpec, TokenUsage } from "../../protocol/index.js";
import type { ToolSet } from "../tools/types.js";
import type { TokenMeter } from "./budget.js";

/** What a brain is asked to do. */
export interface BrainTask {
  goalId: string;
  goalText: string;
  task: TaskSpec;
  attempt: number;
  /** The role charter; it says repository content is untrusted data. */
  charter: string;
  /** Why this is a revision (reviewer or settlement feedback), if it is one. */
  feedback?: string;
  /** Context told to the agent while it works (`guild tell`). */
  notes?: string[];
  /** Which paths the role may write and which no agent may, for prompts of agents that bring their own tools. */
  scope?: { owns: string[]; protected: string[] };
  /** Exports this task uses that another task removed, changed or renamed, as told while it works. */
  overlaps?: NonNullable<PeerDirective["overlap"]>[];
}

/** One step of a brain's work, streamed out as it happens. */
export type BrainStep =
  | { kind: "thought"; text: string; usage?: TokenUsage }
  | { kind: "tool_call"; id: string; tool: string; input: unknown; usage?: TokenUsage }
  | { kind: "tool_result"; id: string; tool: string; ok: boolean; output: string }
  | { kind: "summary"; text: string; usage?: TokenUsage };

export interface BrainRunContext {
  task: BrainTask;
  tools: ToolSet;
  /** The task's worktree (absolute). */
  workdir: string;
  signal: AbortSignal;
  budget: Budget;
  /** The goal's shared token meter, if the goal has a token budget. */
  meter?: TokenMeter;
  /** Clock for the wall-time budget; defaults to `Date.now`. */
  now?: () => number;
  /**
   * With live coordination only: publishes the task's progress now and waits (bounded) until the
   * coordinator has read the other tasks' progress too, so overlaps that exist now are in
   * `task.overlaps` and the notes. Resolves false when the coordinator did not answer in time.
   */
  sync?: () => Promise<boolean>;
}

/** Decides an agent's next steps: an LLM provider, an external CLI agent, or the offline skills. */
export interface Brain {
  readonly name: string;
  run(context: BrainRunContext): AsyncIterable<BrainStep>;
}
