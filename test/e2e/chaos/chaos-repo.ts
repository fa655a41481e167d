import type { Bus } from "../../../src/bus/index.js";
import { GoalSubmitReply, makeEnvelope, type TaskSpec } from "../../../src/protocol/index.js";
import { tempRepo } from "../../helpers/git-repo.js";

/** A cli brain that waits `seconds`, then writes the file named by `WRITE=<path>` in its task text. */
function slowWriter(seconds: number): string {
  const find = `f=$(printf '%s' "$1" | grep -o 'WRITE=[^ ]*' | head -n1 | cut -d= -f2)`;
  const script = `${find}; sleep ${seconds}; mkdir -p "$(dirname "$f")"; echo "$f" > "$f"`;
  return JSON.stringify(["sh", "-c", script, "sh", "{task}"]);
}

/** A repository whose frontend and backend roles each write one file with a slow cli brain. */
export function chaosRepo(brainSeconds: number) {
  const brain = slowWriter(brainSeconds);
  return tempRepo({
    "README.md": "# chaos\n",
    "web/index.txt": "web\n",
    "api/index.txt": "api\n",
    "guild.yaml": [
      "version: 1",
      "rules:",
      '  - pattern: "web/**"',
      '    owners: ["@frontend"]',
      '  - pattern: "api/**"',
      '    owners: ["@backend"]',
      "handles:",
      '  "@frontend": frontend',
      '  "@backend": backend',
      "roles:",
      "  frontend:",
      `    brain: { kind: cli, command: ${brain} }`,
      "  backend:",
      `    brain: { kind: cli, command: ${brain} }`,
      `testCommand: ${JSON.stringify(["sh", "-c", "test -f web/a.txt && test -f api/b.txt"])}`,
      "",
    ].join("\n"),
  });
}

function task(taskId: string, role: string, path: string): TaskSpec {
  return {
    taskId,
    role,
    title: `write ${path}`,
    instructions: `Write the file. WRITE=${path} `,
    expectedPaths: [path],
    dependsOn: [],
  };
}

/** Two tasks in parallel, one per role: each goal is one round of work for each agent. */
export const chaosPlan: TaskSpec[] = [
  task("t-web", "frontend", "web/a.txt"),
  task("t-api", "backend", "api/b.txt"),
];

/** Submits a goal with a chosen id and the chaos plan. */
export async function submitChaosGoal(bus: Bus, repo: string, goalId: string): Promise<void> {
  const request = makeEnvelope({
    type: "goal.submit",
    source: "cli",
    payload: { text: "write the files", repo, baseRef: "HEAD", goalId, plan: chaosPlan },
  });
  await bus.request("guild.goal.submit", request, GoalSubmitReply, { timeoutMs: 30_000 });
}
