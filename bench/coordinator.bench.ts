import { availableParallelism } from "node:os";
import { NatsBus, NatsServerProcess } from "../src/bus/index.js";
import { BENCH_ROLES, benchPlan } from "./coordinator-dag.js";
import { runScenario } from "./coordinator-scenario.js";
import { variedRange, variedRuns } from "./coordinator-varied.js";
import { runGitAsGuildUp } from "./git-as-guild-up.js";
import type { Benchmark, BenchRow } from "./harness.js";

const TASKS = 40;
const REPLICAS = 2;
const CHAIN_LENGTH = 4;
// The example delay, then delays closer to a real agent's task (one LLM turn takes seconds; a task
// with tool calls, tens of seconds to minutes). Env BENCH_COORDINATOR_DELAYS and
// BENCH_COORDINATOR_NODEPS_DELAYS (comma-separated ms, may be empty) pick others.
const delays = (text: string) =>
  text
    .split(",")
    .map(Number)
    .filter((n) => Number.isFinite(n) && n > 0);
const DELAYS_MS = delays(process.env.BENCH_COORDINATOR_DELAYS ?? "200,2000,20000");
const NODEPS_DELAYS_MS = delays(process.env.BENCH_COORDINATOR_NODEPS_DELAYS ?? "2000,20000");
// A brain whose delay varies per task (uniform, seeded per run): the 5–60 s scaled down tenfold to
// keep the bench bounded. BENCH_COORDINATOR_VARIED="" leaves these runs out.
const VARIED = variedRange(process.env.BENCH_COORDINATOR_VARIED ?? "500-6000");
const VARIED_RUNS = Number(process.env.BENCH_COORDINATOR_VARIED_RUNS ?? 4);
const CORES = availableParallelism();

const bench: Benchmark = {
  name: "coordinator",
  description: `orchestration overhead: ${TASKS} tasks, ${BENCH_ROLES.length} roles × ${REPLICAS} replicas, scripted brain ${DELAYS_MS.join(", ")} ms (and ${NODEPS_DELAYS_MS.join(", ")} ms without dependencies), real nats-server and git, agents in their own process`,
  async run(progress) {
    runGitAsGuildUp();
    await using server = await NatsServerProcess.start();
    const bus = await NatsBus.connect({ url: server.url, name: "bench-coordinator" });
    const rows: BenchRow[] = [];
    const notes: string[] = [];
    try {
      // Warm-up: the first goal of a process loads modules and JIT-compiles; it is not measured.
      progress("warm-up goal (not measured)");
      await runScenario({
        plan: benchPlan(10, 1, 2),
        delayMs: 50,
        replicas: REPLICAS,
        natsUrl: server.url,
        bus,
      });
      const chained = benchPlan(TASKS, 5, CHAIN_LENGTH);
      // The chained plan has no slack (critical path = busiest role), so any delay on a chain step costs a
      // whole task; the same 40 tasks without dependencies show the per-task cost on its own.
      const runs = [
        ...DELAYS_MS.map((delayMs) => ({ delayMs, plan: chained, tag: `[${delayMs} ms]` })),
        ...NODEPS_DELAYS_MS.map((delayMs) => ({
          delayMs,
          plan: benchPlan(TASKS, 0, 0),
          tag: `[${delayMs} ms, no deps]`,
        })),
      ];
      for (const { delayMs, plan, tag } of runs) {
        progress(`${tag} ${TASKS} tasks`);
        const r = await runScenario({ plan, delayMs, replicas: REPLICAS, natsUrl: server.url, bus });
        const overhead = (r.wallMs / r.ideal - 1) * 100;
        // The ideal is a whole number of steps (a chain's, or a worker's tasks), each one delay long.
        const perStep = (r.wallMs - r.ideal) / (r.ideal / delayMs);
        const perTask = (ms: number) => ms / TASKS;
        const cpuFloor =
          (r.coordinatorCpuMs + r.coordinatorGitMs + r.agentCpu.cpuMs + r.agentCpu.childCpuMs) / CORES;
        rows.push(
          { metric: `${tag} wall time`, value: r.wallMs, unit: "ms" },
          { metric: `${tag} ideal makespan`, value: r.ideal, unit: "ms" },
          {
            metric: `${tag} overhead`,
            value: overhead,
            unit: "%",
            ratio: r.wallMs / r.ideal,
            target: "< 5%",
            ok: overhead < 5,
          },
          {
            // All CPU the run took (coordinator, agents, their git) spread over every core: no schedule
            // finishes sooner, whatever the ideal says.
            metric: `${tag} CPU floor (all CPU / ${CORES} cores)`,
            value: cpuFloor,
            unit: "ms",
          },
          {
            metric: `${tag} wall vs max(ideal, CPU floor)`,
            value: (r.wallMs / Math.max(r.ideal, cpuFloor) - 1) * 100,
            unit: "%",
          },
          {
            metric: `${tag} overhead per ${plan === chained ? "chain step" : "task of a worker"}`,
            value: perStep,
            unit: "ms",
          },
          {
            // Every step of the ideal takes one delay, so the overhead is about perStep / delay: the delay
            // this run's cost per step would need for the 5% target (the cost per step hardly grows with it).
            metric: `${tag} brain delay at which this cost per step is 5%`,
            value: perStep / 0.05,
            unit: "ms",
          },
          {
            metric: `${tag} coordinator CPU per task (node)`,
            value: perTask(r.coordinatorCpuMs),
            unit: "ms",
          },
          {
            metric: `${tag} coordinator CPU per task (its git)`,
            value: perTask(r.coordinatorGitMs),
            unit: "ms",
          },
          {
            metric: `${tag} agents CPU per task (node + git)`,
            value: perTask(r.agentCpu.cpuMs + r.agentCpu.childCpuMs),
            unit: "ms",
          },
          { metric: `${tag}   of which their git`, value: perTask(r.agentCpu.childCpuMs), unit: "ms" },
          { metric: `${tag} coordinator peak RSS`, value: r.memory.peakRss / 1024 / 1024, unit: "MiB" },
          {
            metric: `${tag} coordinator peak heap growth per task`,
            value: (r.memory.peakHeap - r.memory.start.heapUsed) / TASKS / 1024,
            unit: "KiB",
          },
          { metric: `${tag} queue p50 (dispatched→claimed)`, value: r.phases.queue.p50, unit: "ms" },
          { metric: `${tag} worktree p50 (claimed→ready)`, value: r.phases.workspace.p50, unit: "ms" },
          {
            metric: `${tag} work+propose p50 (ready→published)`,
            value: r.phases.work.p50,
            unit: "ms",
          },
          { metric: `${tag} review p50 (published→accepted)`, value: r.phases.review.p50, unit: "ms" },
          {
            metric: `${tag} agent between tasks p50 (published→next claimed)`,
            value: r.phases.handoff.total,
            unit: "ms",
          },
          {
            metric: `${tag}   of which proposal trip p50 (published→received)`,
            value: r.phases.handoff.trip,
            unit: "ms",
          },
          {
            metric: `${tag}   of which reaction p50 (received→next dispatched)`,
            value: r.phases.handoff.react,
            unit: "ms",
          },
          { metric: `${tag} tail (last accepted→done)`, value: r.phases.tail, unit: "ms" },
        );
        const count = (type: string) => r.events.filter((e) => e.type === type).length;
        notes.push(
          `${tag} ${count("task.dispatched")} dispatches, ${count("proposal.accepted")} accepted, ${count("proposal.rejected")} rejected, ${r.merges} merge commits on the integration branch, ${r.events.length} events; tail: settle ${r.phases.settle} ms, merge ${r.phases.merge} ms, verify ${r.phases.verify} ms`,
        );
        if (plan === chained && delayMs === DELAYS_MS[0])
          notes.unshift(
            `ideal = list-scheduling simulation: ${REPLICAS} workers per role take ready tasks in plan order, each taking exactly the brain's delay, zero other cost; lower bounds: critical path ${r.bounds.criticalPath} ms, busiest role ${r.bounds.roleLoad} ms (at ${delayMs} ms)`,
            `plan: ${TASKS} tasks, 5 chains of ${CHAIN_LENGTH} (each step a different role) + ${TASKS - 5 * CHAIN_LENGTH} independent`,
          );
      }
      if (VARIED && VARIED_RUNS > 0) {
        const varied = await variedRuns({
          tasks: TASKS,
          replicas: REPLICAS,
          chainLength: CHAIN_LENGTH,
          ...VARIED,
          runs: VARIED_RUNS,
          natsUrl: server.url,
          bus,
          progress,
        });
        rows.push(...varied.rows);
        notes.push(...varied.notes);
      }
      notes.push(
        "coordinator CPU: this process, which holds only the coordinator; its git: CPU of the git processes it ran and of the git helper process that starts them (Linux /proc, 10 ms ticks); agents: the child process holding all 10 agents, with its git processes",
      );
    } finally {
      await bus.close();
    }
    return { name: "coordinator", description: bench.description, rows, notes };
  },
};

export default bench;
