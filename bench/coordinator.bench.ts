import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NatsBus, NatsServerProcess } from "../src/bus/index.js";
import { submitGoal } from "../src/cli/commands/goal.js";
import { collectOutput } from "../src/cli/output.js";
import { startGuild } from "../src/cli/runtime/start-guild.js";
import { createLogger, type GuildEvent, makeEnvelope, subjects } from "../src/protocol/index.js";
import { tempRepo } from "../test/helpers/git-repo.js";
import { BENCH_ROLES, benchPlan, idealMakespan, lowerBounds } from "./coordinator-dag.js";
import { memorySampler, phaseBreakdown } from "./coordinator-probe.js";
import type { Benchmark, BenchRow } from "./harness.js";

const TASKS = 40;
const REPLICAS = 2;
const DELAY_MS = 200;

function guildYaml(): string {
  const rules = BENCH_ROLES.map((r) => `  - pattern: "${r}/**"\n    owners: ["${r}"]`).join("\n");
  const roles = BENCH_ROLES.map(
    (r) => `  ${r}:\n    brain: { kind: scripted, delayMs: ${DELAY_MS} }\n    replicas: ${REPLICAS}`,
  ).join("\n");
  return `version: 1\nrules:\n${rules}\n  - pattern: "guild.yaml"\n    protect: true\nroles:\n${roles}\ntestCommand: ["true"]\n`;
}

/** The bus floor: the same number of event appends (each delivered to a follower) with no coordinator. */
async function busFloor(bus: NatsBus, count: number): Promise<{ cpuMs: number; wallMs: number }> {
  const goal = "benchfloor";
  let seen = 0;
  let release: () => void = () => undefined;
  const all = new Promise<void>((r) => {
    release = r;
  });
  const sub = await bus.events.follow({ subject: subjects.eventsOfGoal(goal) }, () => {
    if (++seen >= count) release();
  });
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    await bus.events.append(
      makeEnvelope({
        type: "agent.step",
        source: "bench",
        goalId: goal,
        payload: { taskId: "t1", kind: "thought", text: `floor ${i}` },
      }) as GuildEvent,
    );
  }
  await all;
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  await sub.unsubscribe();
  return { cpuMs: (used.user + used.system) / 1000, wallMs };
}

const bench: Benchmark = {
  name: "coordinator",
  description: `orchestration overhead: ${TASKS} tasks, ${BENCH_ROLES.length} roles × ${REPLICAS} replicas, scripted brain ${DELAY_MS} ms, real nats-server and git`,
  async run(progress) {
    await using server = await NatsServerProcess.start();
    const bus = await NatsBus.connect({ url: server.url, name: "bench-coordinator" });
    using repo = tempRepo({
      "guild.yaml": guildYaml(),
      ...Object.fromEntries(BENCH_ROLES.map((r) => [`${r}/.keep`, ""])),
    });
    const plan = benchPlan(TASKS, 5, 4);
    const ideal = idealMakespan(plan, REPLICAS, DELAY_MS);
    const bounds = lowerBounds(plan, REPLICAS, DELAY_MS);
    const guild = await startGuild({
      bus,
      logger: createLogger({ level: "silent" }),
      roles: [...BENCH_ROLES],
      replicas: REPLICAS,
    });
    try {
      progress(
        `ideal ${ideal} ms (critical path ${bounds.criticalPath} ms, busiest role ${bounds.roleLoad} ms)`,
      );
      const memory = memorySampler(50);
      const cpu = process.cpuUsage();
      const started = performance.now();
      const result = await submitGoal(
        bus,
        "benchmark goal",
        { repo: repo.path, wait: true, plan, timeoutMs: 60_000 },
        collectOutput(),
      );
      const wall = performance.now() - started;
      const used = process.cpuUsage(cpu);
      const mem = memory.stop();
      if (result.status !== "done") {
        const wall = performance.now() - started;
        const last = result.events
          .slice(-8)
          .map((e) => `${e.type} ${JSON.stringify(e.payload).slice(0, 200)}`);
        const settled = new Set(
          result.events
            .filter((e) => ["proposal.accepted", "proposal.rejected"].includes(e.type))
            .map((e) => (e.payload as { taskId: string }).taskId),
        );
        const open = plan.filter((t) => !settled.has(t.taskId)).map((t) => t.taskId);
        last.push(`not settled: ${open.join(", ")}; ${result.events.length} events`);
        for (const e of result.events.filter((x) => x.type !== "agent.step"))
          if (
            open.includes((e.payload as { taskId?: string }).taskId ?? "") ||
            e.type === "error.raised" ||
            e.type.startsWith("coordinator")
          )
            last.push(`${e.type} ${JSON.stringify(e.payload).slice(0, 240)}`);
        writeFileSync(
          join(tmpdir(), "guild-coordinator-bench-events.jsonl"),
          result.events.map((e) => JSON.stringify(e)).join("\n"),
        );
        throw new Error(`the goal ended ${result.status} after ${wall.toFixed(0)} ms:\n${last.join("\n")}`);
      }
      const cpuMs = (used.user + used.system) / 1000;
      progress(
        `goal done in ${wall.toFixed(0)} ms with ${result.events.length} events; measuring the bus floor`,
      );
      const floor = await busFloor(bus, result.events.length);
      const phases = phaseBreakdown(result.events);
      const merged = repo
        .git("log", "--oneline", `main..guild/${result.goalId}.integration`)
        .split("\n").length;
      const overhead = (wall / ideal - 1) * 100;
      const count = (type: string) => result.events.filter((e) => e.type === type).length;
      const rows: BenchRow[] = [
        { metric: "wall time", value: wall, unit: "ms" },
        { metric: "ideal makespan (list schedule)", value: ideal, unit: "ms" },
        {
          metric: "overhead",
          value: overhead,
          unit: "%",
          ratio: wall / ideal,
          target: "< 5%",
          ok: overhead < 5,
        },
        { metric: "process CPU per task", value: cpuMs / TASKS, unit: "ms" },
        {
          metric: "bus floor CPU per task",
          value: floor.cpuMs / TASKS,
          unit: "ms",
          ratio: cpuMs / floor.cpuMs,
        },
        {
          metric: "peak RSS growth per task",
          value: (mem.peakRss - mem.start.rss) / TASKS / 1024,
          unit: "KiB",
        },
        {
          metric: "peak heap growth per task",
          value: (mem.peakHeap - mem.start.heapUsed) / TASKS / 1024,
          unit: "KiB",
        },
        { metric: "peak RSS", value: mem.peakRss / 1024 / 1024, unit: "MiB" },
        { metric: "queue p50 (dispatched→claimed)", value: phases.queue.p50, unit: "ms" },
        { metric: "worktree p50 (claimed→ready)", value: phases.workspace.p50, unit: "ms" },
        { metric: "work+propose p50 (ready→published)", value: phases.work.p50, unit: "ms" },
        { metric: "review p50 (published→accepted)", value: phases.review.p50, unit: "ms" },
        { metric: "review p95", value: phases.review.p95, unit: "ms" },
        { metric: "intake service p50 (received→accepted)", value: phases.intake.p50, unit: "ms" },
        { metric: "planning (submitted→first dispatch)", value: phases.planning, unit: "ms" },
        { metric: "tail (last accepted→done)", value: phases.tail, unit: "ms" },
        { metric: "  settling", value: phases.settle, unit: "ms" },
        { metric: "  merging", value: phases.merge, unit: "ms" },
        { metric: "  verifying", value: phases.verify, unit: "ms" },
      ];
      return {
        name: "coordinator",
        description: bench.description,
        rows,
        notes: [
          `ideal = list-scheduling simulation: ${REPLICAS} workers per role take ready tasks in plan order, ${DELAY_MS} ms each, zero other cost; lower bounds: critical path ${bounds.criticalPath} ms, busiest role ${bounds.roleLoad} ms`,
          `plan: ${TASKS} tasks, 5 chains of 4 (each step a different role) + ${TASKS - 20} independent; ${merged} commits on the integration branch; ${count("task.dispatched")} dispatches, ${count("proposal.accepted")} accepted, ${count("proposal.rejected")} rejected, ${count("merge.completed")} merged`,
          ...result.events
            .filter((e) => e.type === "proposal.rejected" || e.type === "task.failed")
            .map((e) => `${e.type}: ${JSON.stringify(e.payload).slice(0, 300)}`),
          "process CPU covers everything in this one process: coordinator, 10 specialists, NATS clients, git spawns (not the git children's own CPU)",
          `bus floor: ${result.events.length} event appends awaited one by one with a follower, no coordinator (${floor.wallMs.toFixed(0)} ms wall)`,
        ],
      };
    } finally {
      await guild.stop();
      await bus.close();
    }
  },
};

export default bench;
