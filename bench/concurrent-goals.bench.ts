import { NatsBus, NatsServerProcess } from "../src/bus/index.js";
import { submitGoal } from "../src/cli/commands/goal.js";
import { collectOutput } from "../src/cli/output.js";
import { startGuild } from "../src/cli/runtime/start-guild.js";
import { createLogger } from "../src/protocol/index.js";
import { tempRepo } from "../test/helpers/git-repo.js";
import { startAgentsHost } from "./coordinator-agents-host.js";
import { BENCH_ROLES, benchPlan } from "./coordinator-dag.js";
import { guildYaml } from "./coordinator-scenario.js";
import { gitCpuMs } from "./cpu.js";
import { runGitAsGuildUp } from "./git-as-guild-up.js";
import type { Benchmark, BenchRow } from "./harness.js";

const TASKS = 20;
const GOALS = 10;
// 5 roles × 2 replicas: 10 agents, in one child process as in coordinator.bench.ts.
const REPLICAS = 2;
const DELAY_MS = Number(process.env.BENCH_GOALS_DELAY_MS ?? 200);
// Rounds of (one goal alone, ten at once), interleaved so that a change in the machine's load falls on both.
const ROUNDS = Number(process.env.BENCH_GOALS_ROUNDS ?? 2);
const TARGET = 1.2;

interface Run {
  goals: number;
  wallMs: number;
  /** The coordinator's CPU: this process (it holds only the coordinator) plus the git it ran. */
  nodeMs: number;
  gitMs: number;
  events: number;
}

/** Submits `goals` goals of TASKS tasks at once (one repository each) and measures the coordinator's CPU. */
async function runGoals(bus: NatsBus, natsUrl: string, goals: number, delayMs: number): Promise<Run> {
  const yaml = guildYaml({ delayMs }, REPLICAS);
  const repos = Array.from({ length: goals }, () =>
    tempRepo({
      "guild.yaml": yaml,
      ...Object.fromEntries(BENCH_ROLES.map((r) => [`${r}/.keep`, ""])),
    }),
  );
  // Five chains of two (work hops between roles) and independent tasks, as a plan of 20 might be.
  const plan = benchPlan(TASKS, 5, 2);
  const agents = await startAgentsHost({ natsUrl, roles: BENCH_ROLES, replicas: REPLICAS });
  const guild = await startGuild({ bus, logger: createLogger({ level: "silent" }), roles: [] });
  let stopped = false;
  try {
    const cpu = process.cpuUsage();
    const git = await gitCpuMs();
    const started = performance.now();
    const results = await Promise.all(
      repos.map((repo, i) =>
        submitGoal(
          bus,
          `benchmark goal ${i + 1}`,
          { repo: repo.path, wait: true, plan, timeoutMs: 600_000 },
          collectOutput(),
        ),
      ),
    );
    const wallMs = performance.now() - started;
    const used = process.cpuUsage(cpu);
    const gitMs = (await gitCpuMs()) - git;
    await agents.stop();
    stopped = true;
    const failed = results.filter((r) => r.status !== "done");
    if (failed.length > 0) {
      throw new Error(`${failed.length} of ${goals} goals ended ${failed.map((r) => r.status).join(", ")}`);
    }
    for (const [i, repo] of repos.entries()) {
      const merges = Number(
        repo.git("rev-list", "--merges", "--count", `main..guild/${results[i]?.goalId}.integration`),
      );
      if (merges !== TASKS) throw new Error(`goal ${results[i]?.goalId} merged ${merges} of ${TASKS} tasks`);
    }
    const events = results.reduce((n, r) => n + r.events.length, 0);
    return { goals, wallMs, nodeMs: (used.user + used.system) / 1000, gitMs, events };
  } finally {
    if (!stopped) await agents.stop().catch(() => undefined);
    await guild.stop();
    for (const repo of repos) repo[Symbol.dispose]();
  }
}

const perTask = (r: Run) => (r.nodeMs + r.gitMs) / (r.goals * TASKS);

const bench: Benchmark = {
  name: "concurrent-goals",
  description: `coordinator CPU per task: ${GOALS} goals of ${TASKS} tasks at once against one goal alone, ${BENCH_ROLES.length} roles × ${REPLICAS} agents (own process), scripted brain ${DELAY_MS} ms, real nats-server and git`,
  async run(progress) {
    runGitAsGuildUp();
    await using server = await NatsServerProcess.start();
    const bus = await NatsBus.connect({ url: server.url, name: "bench-coordinator" });
    const rows: BenchRow[] = [];
    const notes: string[] = [];
    try {
      progress("warm-up goal (not measured)");
      await runGoals(bus, server.url, 1, 50);
      const alone: Run[] = [];
      const together: Run[] = [];
      for (let round = 1; round <= ROUNDS; round++) {
        progress(`round ${round}: one goal of ${TASKS} tasks alone`);
        alone.push(await runGoals(bus, server.url, 1, DELAY_MS));
        progress(`round ${round}: ${GOALS} goals of ${TASKS} tasks at once`);
        together.push(await runGoals(bus, server.url, GOALS, DELAY_MS));
      }
      for (const [i, a] of alone.entries()) {
        const t = together[i] as Run;
        const tag = `[round ${i + 1}]`;
        rows.push(
          { metric: `${tag} one goal: coordinator CPU per task`, value: perTask(a), unit: "ms" },
          { metric: `${tag}   of which git`, value: a.gitMs / TASKS, unit: "ms" },
          { metric: `${tag} one goal: wall time`, value: a.wallMs, unit: "ms" },
          {
            metric: `${tag} ${GOALS} goals: coordinator CPU per task`,
            value: perTask(t),
            unit: "ms",
            ratio: perTask(t) / perTask(a),
            target: `<= ${TARGET}x`,
            ok: perTask(t) / perTask(a) <= TARGET,
          },
          { metric: `${tag}   of which git`, value: t.gitMs / (GOALS * TASKS), unit: "ms" },
          { metric: `${tag} ${GOALS} goals: wall time`, value: t.wallMs, unit: "ms" },
        );
      }
      const sum = (runs: Run[], f: (r: Run) => number) => runs.reduce((n, r) => n + f(r), 0);
      const cpu = (runs: Run[]) => sum(runs, (r) => r.nodeMs + r.gitMs) / sum(runs, (r) => r.goals * TASKS);
      const ratio = cpu(together) / cpu(alone);
      rows.push({
        metric: `all rounds: ${GOALS} goals at once vs one alone, CPU per task`,
        value: cpu(together),
        unit: "ms",
        ratio,
        target: `<= ${TARGET}x`,
        ok: ratio <= TARGET,
      });
      notes.push(
        "coordinator CPU: this process (it holds only the coordinator: process.cpuUsage) plus the git processes it ran and the git helper that starts them (Linux /proc, 10 ms ticks); the agents run in a child process",
        `events per task: one goal ${(sum(alone, (r) => r.events) / (alone.length * TASKS)).toFixed(1)}, ${GOALS} goals ${(sum(together, (r) => r.events) / (together.length * GOALS * TASKS)).toFixed(1)}`,
      );
    } finally {
      await bus.close();
    }
    return { name: bench.name, description: bench.description, rows, notes };
  },
};

export default bench;
