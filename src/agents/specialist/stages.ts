import type { Assignment, PreparedWorkspace, WorkOutcome } from "./machine.js";
import { propose } from "./propose-stage.js";
import type { StageDeps, StageState } from "./stage-types.js";
import { work } from "./work-stage.js";
import { discardWorkspace, prepareWorkspace, releaseWorkspace } from "./workspace-stage.js";

export type { StageDeps, StageState } from "./stage-types.js";

/**
 * One task's stages, bound to the specialist's deps and the task's shared state: the specialist machine
 * invokes prepareWorkspace, work and propose in turn (workspace-stage.ts, work-stage.ts, propose-stage.ts),
 * and the specialist runs cleanup once the task has settled, however it ended (discard first, if it was cancelled).
 */
export function createStages(deps: StageDeps, state: StageState) {
  return {
    prepareWorkspace: (input: { assignment: Assignment }) => prepareWorkspace(deps, state, input),
    work: (input: { assignment: Assignment; workspace: PreparedWorkspace }) => work(deps, state, input),
    propose: (input: { assignment: Assignment; workspace: PreparedWorkspace; outcome: WorkOutcome }) =>
      propose(deps, state, input),
    cleanup: () => releaseWorkspace(deps, state),
    discard: (reason: string) => discardWorkspace(deps, state, reason),
    state,
  };
}
