// Goals that need no model: each task's cli brain writes the one file its text names, slowly enough that
// a test can interrupt it (durability, chaos).
import type { Bus } from "../../src/bus/index.js";
import { GoalSubmitReply, makeEnvelope, type TaskSpec } from "../../src/protocol/index.js";
import { tempRepo } from "./git-repo.js";

/**
 * A cli brain that writes the file named by `WRITE=<path>` in its task text and takes `seconds`;
 * `writeFirst` writes before waiting, so that the worktree holds uncommitted work meanwhile.
 */
function slowWriter(seconds: number, writeFirst: boolean): string {
  const find = `f=$(printf '%s' "$1" | grep -o 'WRITE=[^ ]*' | head -n1 | cut -d= -f2)`;
  const write = `mkdir -p "$(dirname "$f")"; echo "$f" > "$f"`;
  const script = writeFirst ? `${find}; ${write}; sleep ${seconds}` : `${find}; sleep ${seconds}; ${write}`;
  return JSON.stringify(["sh", "-c", script, "sh", "{task}"]);
}

/**
 * A repository (titled `name`) whose frontend (web/) and backend (api/) roles both run the slow writer,
 * with `test` (a shell script) as its test command and `extra` lines appended to its guild.yaml.
 */
export function writerRepo(options: {
  name: string;
  brainSeconds: number;
  writeFirst?: boolean;
  test: string;
  extra?: string[];
}) {
  const brain = slowWriter(options.brainSeconds, options.writeFirst ?? false);
  return tempRepo({
    "README.md": `# ${options.name}\n`,
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
      `testCommand: ${JSON.stringify(["sh", "-c", options.test])}`,
      ...(options.extra ?? []),
      "",
    ].join("\n"),
  });
}

/** A task whose writer brain writes `path`. */
export function writeTask(taskId: string, role: string, path: string): TaskSpec {
  return {
    taskId,
    role,
    title: `write ${path}`,
    instructions: `Write the file. WRITE=${path} `,
    expectedPaths: [path],
    dependsOn: [],
  };
}

/** Submits a goal with a chosen id and a prepared plan (none: the configured planner makes it). */
export async function submitWriterGoal(
  bus: Bus,
  repo: string,
  goalId: string,
  plan: TaskSpec[] | null,
): Promise<void> {
  const request = makeEnvelope({
    type: "goal.submit",
    source: "cli",
    payload: { text: "write the files", repo, baseRef: "HEAD", goalId, ...(plan ? { plan } : {}) },
  });
  await bus.request("guild.goal.submit", request, GoalSubmitReply, { timeoutMs: 30_000 });
}
