export {
  githubRepoOf,
  openPullRequest,
  type PullRequestOptions,
} from "./github-pull-request.js";
export { type HandOffOptions, type HandOffResult, handOff } from "./hand-off.js";
export { type HandoffReport, type HandoffTask, handoffReport } from "./handoff-report.js";
export { pullRequestBody, pullRequestTitle } from "./pull-request-body.js";
