import type { EventPayload } from "../protocol/index.js";

/** A task's git worktree on branch `guild/<goal>/<task>`, cut from the goal's base commit. */
export interface Workspace {
  repoDir: string;
  dir: string;
  branch: string;
  goalId: string;
  taskId: string;
  baseCommit: string;
  /** Sparse-checkout patterns, when only part of the tree is checked out. */
  sparse?: string[];
}

/** An event the git room reports through an `onEvent` callback, shaped like the protocol's events. */
export type GitEvent =
  | { type: "workspace.salvaged"; payload: EventPayload<"workspace.salvaged"> }
  | { type: "workspace.reattached"; payload: EventPayload<"workspace.reattached"> }
  | { type: "workspace.pruned"; payload: EventPayload<"workspace.pruned"> };

/** A listener for git room events. */
export type GitEventListener = (event: GitEvent) => void;
