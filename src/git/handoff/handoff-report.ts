import { type GoalCost, type GuildConfig, type GuildEvent, goalCost } from "../../protocol/index.js";

/** One task as a reviewer of the pull request wants it: who did it, what they said, how it was decided. */
export interface HandoffTask {
  taskId: string;
  role: string;
  title: string;
  /** The agent whose proposal was accepted (or the last to propose). */
  agentId?: string;
  summary?: string;
  decision?: string;
}

/** What a finished goal hands off: the goal, its tasks, the settlements, the test result and the cost. */
export interface HandoffReport {
  goalId: string;
  text: string;
  baseRef: string;
  branch: string;
  tasks: HandoffTask[];
  settlements: { winner: string; loser: string; policy: string; reason: string; files: string[] }[];
  test: { passed: boolean; exitCode: number | null; command: string[] } | null;
  cost: GoalCost;
}

/** Reads a goal's report from its events (the durable stream), priced with the goal's config. */
export function handoffReport(
  goalId: string,
  events: readonly GuildEvent[],
  config: Pick<GuildConfig, "roles" | "prices">,
): HandoffReport {
  const tasks = new Map<string, HandoffTask>();
  const report: HandoffReport = {
    goalId,
    text: "",
    baseRef: "HEAD",
    branch: "",
    tasks: [],
    settlements: [],
    test: null,
    cost: goalCost(events, config),
  };
  let command: string[] = [];
  for (const e of events) {
    const task = "taskId" in e.payload ? tasks.get(String(e.payload.taskId)) : undefined;
    switch (e.type) {
      case "goal.submitted":
        report.text = e.payload.text;
        report.baseRef = e.payload.baseRef;
        break;
      case "plan.created":
        for (const t of e.payload.tasks)
          tasks.set(t.taskId, { taskId: t.taskId, role: t.role, title: t.title });
        break;
      case "agent.step":
        if (task && e.payload.kind === "summary") task.summary = e.payload.text;
        break;
      case "proposal.received":
        if (task) task.agentId = e.payload.agentId;
        break;
      case "proposal.accepted":
      case "proposal.rejected":
        if (task)
          task.decision = `${e.type === "proposal.accepted" ? "accepted" : "rejected"}: ${e.payload.reason}`;
        break;
      case "conflict.settled":
        report.settlements.push(e.payload);
        break;
      case "verify.started":
        command = e.payload.command;
        break;
      case "verify.finished":
        report.test = { passed: e.payload.passed, exitCode: e.payload.exitCode, command };
        break;
      case "goal.done":
        report.branch = e.payload.branch;
        break;
    }
  }
  report.tasks = [...tasks.values()];
  return report;
}
