// `npm run demo`: five specialist agents work one goal on a copy of examples/demo-app, end to end, offline:
// two of them change the same lines of a co-owned file (settled with a reason), and a fix that needs a
// file another role owns reaches that owner as a change request, which it applies.
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { submitGoal } from "../src/cli/commands/goal.js";
import { runUp } from "../src/cli/commands/up.js";
import { processOutput } from "../src/cli/output.js";
import type { GuildEvent } from "../src/protocol/index.js";
import { demoSummary } from "./demo-summary.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const GOAL =
  "Harden the demo app: fix its security problems, make the page accessible, pin behaviour with tests, document the API";

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, {
    cwd,
    encoding: "utf8",
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "demo",
      GIT_AUTHOR_EMAIL: "demo@guild.local",
      GIT_COMMITTER_NAME: "demo",
      GIT_COMMITTER_EMAIL: "demo@guild.local",
    },
  }).trim();
}

const started = Date.now();
const repo = mkdtempSync(join(tmpdir(), "guild-demo-"));
cpSync(join(root, "examples", "demo-app"), repo, {
  recursive: true,
  filter: (src) => !src.includes("node_modules"),
});
git(repo, "init", "-q", "-b", "main");
git(repo, "add", "-A");
git(repo, "commit", "-q", "-m", "demo app");
processOutput.err(`demo repository: ${repo}`);

const guild = await runUp({ home: repo, events: false });
let exitCode = 1;
try {
  const result = await submitGoal(
    guild.connection.bus,
    GOAL,
    { repo, wait: true, timeoutMs: 10 * 60_000 },
    processOutput,
  );
  exitCode = summarize(result.goalId, result.status, result.events);
} finally {
  await guild.stop();
}
processOutput.err(`demo finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(exitCode);

function summarize(goalId: string, status: string, events: GuildEvent[]): number {
  const out = (line = "") => processOutput.out(line);
  const done = events.find((e) => e.type === "goal.done");
  const branch = done?.type === "goal.done" ? done.payload.branch : `guild/${goalId}.integration`;
  const summary = demoSummary(goalId, status, events);
  out();
  for (const line of summary.lines) out(line);
  if (status === "done") {
    out();
    out("== inspect it");
    out(`   cd ${repo}`);
    out(`   git log --graph --oneline main..${branch}`);
    out(`   git diff main...${branch} --stat`);
    out();
    out(git(repo, "diff", "--stat", `main...${branch}`));
  }
  return summary.passed ? 0 : 1;
}
