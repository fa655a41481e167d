import { setTimeout as sleep } from "node:timers/promises";
import type { GuildEvent } from "../src/protocol/index.js";
import { type LiveSetup, liveTask, signal, sources, withLiveGoal } from "../test/e2e/live-scenario.js";

import type { ScriptedTurn } from "../test/helpers/scripted-llm/index.js";
import { type Benchmark, type BenchRow, percentile } from "./harness.js";

// The scenario: security removes a deprecated export while backend starts to use it. Each run pairs
// a goal with live detection (backend is told and adapts) and one without (verify fails, bisection names
// backend, which revises), in alternating order.
const RUNS = 3;

// Imported dynamically so that the base (no userKey yet) passes, and bisection can name the breaking task.
const CHECK = `const m = await import("./src/routes/user.js");
if (m.user("a") !== "h:a") process.exit(1);
if (m.userKey && !String(m.userKey("a")).startsWith("h:")) process.exit(1);
`;

const write = (path: string, content: string): ScriptedTurn => ({
  toolCalls: [{ name: "write_file", input: { path, content } }],
});
const finish = (summary: string): ScriptedTurn => ({ toolCalls: [{ name: "finish", input: { summary } }] });

interface Run {
  ms: number;
  turns: number;
  verifies: number;
  dispatches: number;
  overlaps: number;
  done: boolean;
}

async function runScenario(live: boolean, n: number): Promise<Run> {
  const told = signal();
  const backend: ScriptedTurn[] = live
    ? [
        write("src/routes/user.js", sources.userWithOld),
        // Reads on until the overlap note comes (bounded, so a missed note shows as a slow run, not a hang).
        {
          toolCalls: [{ name: "read_file", input: { path: "src/lib/auth.js" } }],
          waitFor: () => Promise.race([told.fired, sleep(20_000)]),
        },
        write("src/routes/user.js", sources.userAdapted),
        finish("userKey, adapted to security's change"),
      ]
    : [
        write("src/routes/user.js", sources.userWithOld),
        finish("userKey"),
        // Sent back after the failed verify: the revision.
        write("src/routes/user.js", sources.userAdapted),
        finish("userKey, without the removed export"),
      ];
  const setup: LiveSetup = {
    name: `bench-live-${n}`,
    goalId: `g-bench-${live ? "live" : "off"}-${n}`,
    security: [write("src/lib/auth.js", sources.authWithoutLegacy), finish("dropped the deprecated export")],
    backend,
    files: {
      "package.json": '{ "type": "module" }\n',
      "src/lib/auth.js": sources.auth,
      "src/routes/user.js": sources.user,
      "check.mjs": CHECK,
    },
    yaml: `testCommand: ["node", "check.mjs"]\nlive: { enabled: ${live}, progressMs: 500 }\n`,
    on: (event) => {
      if (event.type === "peer.told" && event.payload.taskId === "back" && event.payload.topic === "overlap")
        told.fire();
    },
  };
  return withLiveGoal(setup, async (goal) => {
    const started = performance.now();
    const result = await goal.run(
      "drop the deprecated hash; add userKey",
      [liveTask("sec", "security", ["src/lib/auth.js"]), liveTask("back", "backend", ["src/routes/user.js"])],
      120_000,
    );
    const ms = performance.now() - started;
    const count = (type: GuildEvent["type"]) => result.of(type).length;
    return {
      ms,
      turns: goal.security.requests.length + goal.backend.requests.length,
      verifies: count("verify.finished"),
      dispatches: count("task.dispatched"),
      overlaps: count("overlap.detected"),
      done: result.events.at(-1)?.type === "goal.done",
    };
  });
}

const median = (values: number[]) => percentile(values, 50);

const bench: Benchmark = {
  name: "live",
  description: "a removed export another task starts to use: live detection vs review-time (scripted brains)",
  async run(progress) {
    const runs: Record<"live" | "off", Run[]> = { live: [], off: [] };
    for (let i = 0; i < RUNS; i++) {
      for (const mode of i % 2 === 0 ? (["live", "off"] as const) : (["off", "live"] as const)) {
        const run = await runScenario(mode === "live", i);
        runs[mode].push(run);
        progress(
          `run ${i + 1} ${mode}: ${run.ms.toFixed(0)} ms, ${run.turns} model turns, ${run.verifies} verifies, ${run.done ? "done" : "NOT done"}`,
        );
      }
    }
    const all = [...runs.live, ...runs.off];
    const liveMs = median(runs.live.map((r) => r.ms));
    const offMs = median(runs.off.map((r) => r.ms));
    const rows: BenchRow[] = [
      { metric: "wall time, without live detection (median)", value: offMs, unit: "ms" },
      { metric: "wall time, with live detection (median)", value: liveMs, unit: "ms", ratio: liveMs / offMs },
      ...(["off", "live"] as const).flatMap((mode): BenchRow[] => [
        { metric: `model turns, ${mode}`, value: median(runs[mode].map((r) => r.turns)), unit: "turns" },
        { metric: `verify runs, ${mode}`, value: median(runs[mode].map((r) => r.verifies)), unit: "runs" },
        {
          metric: `task dispatches, ${mode}`,
          value: median(runs[mode].map((r) => r.dispatches)),
          unit: "tasks",
        },
        {
          metric: `overlap.detected, ${mode}`,
          value: median(runs[mode].map((r) => r.overlaps)),
          unit: "events",
        },
      ]),
      {
        metric: "goals done",
        value: all.filter((r) => r.done).length,
        unit: `of ${all.length}`,
        target: `${all.length}`,
        ok: all.every((r) => r.done),
      },
    ];
    return {
      name: "live",
      description: bench.description,
      rows,
      notes: [
        `${RUNS} paired runs, alternating order; every figure from this process`,
        `wall times live: ${runs.live.map((r) => r.ms.toFixed(0)).join(", ")} ms; off: ${runs.off.map((r) => r.ms.toFixed(0)).join(", ")} ms`,
      ],
    };
  },
};

export default bench;
