// Settlement: decides conflicting proposals by policy (ownership, role priority, revision) or by an arbiter.
export {
  type ArbitrationOptions,
  type ArbitrationOutcome,
  type ArbitrationResult,
  arbitrate,
  requestArbitration,
} from "./arbiter-request.js";
export { type ArbiterDeps, arbitrateConflict } from "./settle-arbiter.js";
export { type ConflictPair, MAX_REVISIONS, pickWinner, settleConflicts } from "./settle-conflicts.js";
