import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ScriptedDelay, scriptedDelayMs } from "../src/agents/brains/scripted.js";
import type { NatsBus } from "../src/bus/index.js";
import { submitGoal } from "../src/cli/commands/goal.js";
import { collectOutput } from "../src/cli/output.js";
import { startGuild } from "../src/cli/runtime/start-guild.js";
import { createLogger, type GuildEvent, type TaskSpec } from "../src/protocol/index.js";
import { tempRepo } from "../test/helpers/git-repo.js";
import { startAgentsHost } from "./coordinator-agents-host.js";
import { BENCH_ROLES, idealMakespan, lowerBounds } from "./coordinator-dag.js";
import { memorySampler, phaseBreakdown } from "./coordinator-probe.js";
import { gitCpuMs } from "./cpu.js";

/** One goal run: the plan, the brain's delay (fixed, or a seeded draw per task), and how many agents of each role. */
export interface Scenario {
  plan: TaskSpec[];
  delayMs: number;
  /** With it, each task's delay is a seeded uniform draw in [delayMs, delayMaxMs]. */
  delayMaxMs?: number;
  seed?: number;
  replicas: number;
  natsUrl: string;
  bus: NatsBus;
  /** The agents' own home: they keep a mirror there and everything travels as bundles (no shared disk). */
  agentHome?: string;
}

export function guildYaml(delay: ScriptedDelay, replicas: number): string {
  const rules = BENCH_ROLES.map((r) => `  - pattern: "${r}/**"\n    owners: ["${r}"]`).join("\n");
  const brain = JSON.stringify({ kind: "scripted", ...delay });
  const roles = BENCH_ROLES.map((r) => `  ${r}:\n    brain: ${brain}\n    replicas: ${replicas}`).join("\n");
  return `version: 1\nrules:\n${rules}\n  - pattern: "guild.yaml"\n    protect: true\nroles:\n${roles}\ntestCommand: ["true"]\n`;
}

/** Why a goal that should have finished did not: the last events, and the tasks never settled. */
function failureReport(plan: TaskSpec[], status: string, events: GuildEvent[], wallMs: number): Error {
  const settled = new Set(
    events
      .filter((e) => ["proposal.accepted", "proposal.rejected"].includes(e.type))
      .map((e) => (e.payload as { taskId: string }).taskId),
  );
  const open = plan.filter((t) => !settled.has(t.taskId)).map((t) => t.taskId);
  const lines = events.slice(-8).map((e) => `${e.type} ${JSON.stringify(e.payload).slice(0, 200)}`);
  lines.push(`not settled: ${open.join(", ")}; ${events.length} events`);
  for (const e of events)
    if (e.type === "error.raised" || e.type === "task.failed")
      lines.push(`${e.type} ${JSON.stringify(e.payload).slice(0, 240)}`);
  const file = join(tmpdir(), "guild-coordinator-bench-events.jsonl");
  writeFileSync(file, events.map((e) => JSON.stringify(e)).join("\n"));
  return new Error(
    `the goal ended ${status} after ${wallMs.toFixed(0)} ms (events in ${file}):\n${lines.join("\n")}`,
  );
}

/**
 * Runs one goal with the coordinator in this process and the agents in a child process, and measures
 * wall time against the ideal, the coordinator's own CPU (its node thread and the git processes it
 * spawns), the agents' CPU, the coordinator's memory, and where each task's time went.
 */
export async function runScenario(s: Scenario) {
  const delay: ScriptedDelay = { delayMs: s.delayMs, delayMaxMs: s.delayMaxMs, seed: s.seed };
  using repo = tempRepo({
    "guild.yaml": guildYaml(delay, s.replicas),
    ...Object.fromEntries(BENCH_ROLES.map((r) => [`${r}/.keep`, ""])),
  });
  const agents = await startAgentsHost({
    natsUrl: s.natsUrl,
    roles: BENCH_ROLES,
    replicas: s.replicas,
    ...(s.agentHome ? { home: s.agentHome } : {}),
  });
  const guild = await startGuild({ bus: s.bus, logger: createLogger({ level: "silent" }), roles: [] });
  let agentCpu: { cpuMs: number; childCpuMs: number } | undefined;
  try {
    const memory = memorySampler(25);
    const cpu = process.cpuUsage();
    const gitCpu = await gitCpuMs();
    const started = performance.now();
    const result = await submitGoal(
      s.bus,
      "benchmark goal",
      {
        repo: repo.path,
        wait: true,
        plan: s.plan,
        timeoutMs: Math.max(120_000, (s.delayMaxMs ?? s.delayMs) * 20),
      },
      collectOutput(),
    );
    const wallMs = performance.now() - started;
    const used = process.cpuUsage(cpu);
    const coordinatorGitMs = (await gitCpuMs()) - gitCpu;
    const mem = memory.stop();
    agentCpu = await agents.stop();
    if (result.status !== "done") throw failureReport(s.plan, result.status, result.events, wallMs);
    const ideal = idealMakespan(s.plan, s.replicas, (t) => scriptedDelayMs(delay, t.taskId));
    // BENCH_EVENTS_DIR keeps each run's events as JSON lines, for a closer look at where time went.
    const dumpDir = process.env.BENCH_EVENTS_DIR;
    if (dumpDir) {
      const lines = result.events.map((e) => JSON.stringify(e)).join("\n");
      writeFileSync(join(dumpDir, `coordinator-${s.delayMs}ms-${s.plan.length}-${Date.now()}.jsonl`), lines);
    }
    const merges = repo.git("rev-list", "--merges", "--count", `main..guild/${result.goalId}.integration`);
    return {
      wallMs,
      ideal,
      bounds: lowerBounds(s.plan, s.replicas, s.delayMs),
      coordinatorCpuMs: (used.user + used.system) / 1000,
      coordinatorGitMs,
      agentCpu,
      memory: mem,
      phases: phaseBreakdown(result.events),
      events: result.events,
      merges: Number(merges),
    };
  } finally {
    if (!agentCpu) await agents.stop().catch(() => undefined);
    await guild.stop();
  }
}
