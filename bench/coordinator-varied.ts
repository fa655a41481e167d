import type { NatsBus } from "../src/bus/index.js";
import { benchPlan } from "./coordinator-dag.js";
import { runScenario } from "./coordinator-scenario.js";
import type { BenchRow } from "./harness.js";

/** Runs of the chained plan with a brain whose delay varies per task, and the spread between them. */
export interface VariedOptions {
  tasks: number;
  replicas: number;
  chainLength: number;
  minMs: number;
  maxMs: number;
  runs: number;
  natsUrl: string;
  bus: NatsBus;
  progress: (message: string) => void;
}

/** Parses `min-max` (ms) as BENCH_COORDINATOR_VARIED gives it; undefined for "" or anything else. */
export function variedRange(text: string): { minMs: number; maxMs: number } | undefined {
  const m = /^(\d+)-(\d+)$/.exec(text.trim());
  if (!m) return undefined;
  const [minMs, maxMs] = [Number(m[1]), Number(m[2])];
  return maxMs > minMs ? { minMs, maxMs } : undefined;
}

/**
 * One run per seed, each with a uniform delay per task drawn from that seed, so every run is a different
 * draw and its ideal schedule is computed from the same draws. Reports each run's overhead and their
 * spread: a change to scheduling earns its place only by moving the figure by more than the spread.
 */
export async function variedRuns(o: VariedOptions): Promise<{ rows: BenchRow[]; notes: string[] }> {
  const plan = benchPlan(o.tasks, 5, o.chainLength);
  const tag = `[${o.minMs}–${o.maxMs} ms]`;
  const overheads: number[] = [];
  const rows: BenchRow[] = [];
  for (let seed = 1; seed <= o.runs; seed++) {
    o.progress(`${tag} run ${seed}/${o.runs}`);
    const r = await runScenario({
      plan,
      delayMs: o.minMs,
      delayMaxMs: o.maxMs,
      seed,
      replicas: o.replicas,
      natsUrl: o.natsUrl,
      bus: o.bus,
    });
    const overhead = (r.wallMs / r.ideal - 1) * 100;
    overheads.push(overhead);
    rows.push({
      metric: `${tag} seed ${seed} overhead (ideal ${Math.round(r.ideal)} ms)`,
      value: overhead,
      unit: "%",
    });
  }
  const sorted = [...overheads].sort((a, b) => a - b);
  const median = sorted[Math.floor((sorted.length - 1) / 2)] as number;
  rows.push(
    { metric: `${tag} overhead median of ${o.runs}`, value: median, unit: "%" },
    {
      metric: `${tag} overhead spread (max − min)`,
      value: (sorted.at(-1) ?? 0) - (sorted[0] ?? 0),
      unit: "points",
    },
  );
  const notes = [
    `${tag} each task of a run waits a uniform draw in [${o.minMs}, ${o.maxMs}] ms seeded by (run, task); the ideal schedule uses the same draws`,
  ];
  return { rows, notes };
}
