export { newToken } from "./access-guard.js";
export { type Dashboard, type DashboardOptions, startDashboard } from "./dashboard-server.js";
export type { AgentView, ConflictView, ProposalView } from "./event-digest.js";
export type { GoalView, TaskView } from "./goal-view.js";
export type { PathOwner, RepoAccess } from "./repo-access.js";
