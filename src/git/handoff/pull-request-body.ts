import { formatGoalCost } from "../../protocol/index.js";
import type { HandoffReport } from "./handoff-report.js";

const cell = (text: string | undefined) =>
  (text ?? "")
    .replace(/\|/g, "\\|")
    .replace(/\s*\n\s*/g, " ")
    .trim();

/** The pull request's title: the goal's first line, bounded. */
export function pullRequestTitle(report: HandoffReport): string {
  const first = report.text.split("\n")[0]?.trim() ?? "";
  return `guild: ${first.length > 90 ? `${first.slice(0, 89)}…` : first || report.goalId}`;
}

/** The pull request's body in Markdown: the goal, each task with its owner and summary, settlements, tests, cost. */
export function pullRequestBody(report: HandoffReport): string {
  const lines = [
    `## Goal`,
    "",
    report.text,
    "",
    `guild goal \`${report.goalId}\`, branch \`${report.branch}\``,
    "",
  ];
  lines.push(
    "## Tasks",
    "",
    "| task | role | agent | summary | decision |",
    "| --- | --- | --- | --- | --- |",
  );
  for (const t of report.tasks)
    lines.push(
      `| ${cell(t.taskId)}: ${cell(t.title)} | ${cell(t.role)} | ${cell(t.agentId ?? "—")} | ${cell(t.summary ?? "—")} | ${cell(t.decision ?? "—")} |`,
    );
  lines.push("", "## Settlements", "");
  if (report.settlements.length === 0) lines.push("No conflicts needed settling.");
  for (const s of report.settlements)
    lines.push(`- ${s.winner} over ${s.loser} (${s.policy}) on ${s.files.join(", ")}: ${s.reason}`);
  lines.push("", "## Tests", "");
  lines.push(
    report.test
      ? `${report.test.passed ? "passed" : "failed"}: \`${report.test.command.join(" ")}\` exited ${report.test.exitCode ?? "without a code"}`
      : "No test command ran (guild.yaml has no `testCommand`).",
  );
  lines.push("", "## Cost", "", ...formatGoalCost(report.cost).map((l) => `- ${l}`), "");
  return lines.join("\n");
}
