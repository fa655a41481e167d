import { setTimeout as sleep } from "node:timers/promises";
import { NatsBus } from "../src/bus/index.js";
import { submitGoal } from "../src/cli/commands/goal.js";
import { collectOutput } from "../src/cli/output.js";
import { startGuild } from "../src/cli/runtime/start-guild.js";
import { createLogger, type GuildEvent, type TaskSpec } from "../src/protocol/index.js";
import { tempRepo } from "../test/helpers/git-repo.js";
import { startNats } from "../test/helpers/nats.js";
import { type ScriptedTurn, startScriptedOpenAI } from "../test/helpers/scripted-llm/index.js";
import { type Benchmark, type BenchRow, percentile } from "./harness.js";

// The scenario: security removes a deprecated export while backend starts to use it. Each run pairs
// a goal with live detection (backend is told and adapts) and one without (verify fails, bisection names
// backend, which revises), in alternating order.
const RUNS = 3;

const AUTH = `export function hash(text) {
  return \`h:\${text}\`;
}

/** @deprecated use hash */
export function legacyHash(text) {
  return hash(text);
}
`;
const AUTH_WITHOUT = AUTH.slice(0, AUTH.indexOf("\n/** @deprecated") + 1);
const USER = `import { hash } from "../lib/auth.js";

export function user(name) {
  return hash(name);
}
`;
const USER_WITH_OLD = `import { hash, legacyHash } from "../lib/auth.js";

export function user(name) {
  return hash(name);
}

export function userKey(name) {
  return legacyHash(name);
}
`;
const USER_ADAPTED = USER_WITH_OLD.replace("hash, legacyHash", "hash").replace(
  "return legacyHash(name)",
  "return hash(name)",
);
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
  await using server = await startNats();
  const bus = await NatsBus.connect({ url: server.url, name: `bench-live-${n}` });
  let toldBackend: () => void = () => {};
  const told = new Promise<void>((resolve) => {
    toldBackend = resolve;
  });
  await using security = await startScriptedOpenAI([
    write("src/lib/auth.js", AUTH_WITHOUT),
    finish("dropped the deprecated export"),
  ]);
  const backendTurns: ScriptedTurn[] = live
    ? [
        write("src/routes/user.js", USER_WITH_OLD),
        // Reads on until the overlap note comes (bounded, so a missed note shows as a slow run, not a hang).
        {
          toolCalls: [{ name: "read_file", input: { path: "src/lib/auth.js" } }],
          waitFor: () => Promise.race([told, sleep(20_000)]),
        },
        write("src/routes/user.js", USER_ADAPTED),
        finish("userKey, adapted to security's change"),
      ]
    : [
        write("src/routes/user.js", USER_WITH_OLD),
        finish("userKey"),
        // Sent back after the failed verify: the revision.
        write("src/routes/user.js", USER_ADAPTED),
        finish("userKey, without the removed export"),
      ];
  await using backend = await startScriptedOpenAI(backendTurns);
  using repo = tempRepo({
    "package.json": '{ "type": "module" }\n',
    "src/lib/auth.js": AUTH,
    "src/routes/user.js": USER,
    "check.mjs": CHECK,
    "guild.yaml": `version: 1
rules:
  - { pattern: "src/**", owners: ["@backend"] }
  - { pattern: "src/lib/auth.js", owners: ["@security"] }
roles:
  security: { brain: { kind: openai, model: m, baseURL: "${security.baseURL}" } }
  backend: { brain: { kind: openai, model: m, baseURL: "${backend.baseURL}" } }
testCommand: ["node", "check.mjs"]
live: { enabled: ${live}, progressMs: 500 }
`,
  });
  const goalId = `g-bench-${live ? "live" : "off"}-${n}`;
  const watch = await bus.events.follow({ subject: `guild.evt.${goalId}.>` }, (event) => {
    if (event.type === "peer.told" && event.payload.taskId === "back" && event.payload.topic === "overlap")
      toldBackend();
  });
  const guild = await startGuild({
    bus,
    logger: createLogger({ level: "silent" }),
    roles: ["security", "backend"],
  });
  try {
    const task = (taskId: string, role: string, paths: string[]): TaskSpec => ({
      taskId,
      role,
      title: taskId,
      instructions: "see the goal",
      expectedPaths: paths,
      dependsOn: [],
    });
    const started = performance.now();
    const result = await submitGoal(
      bus,
      "drop the deprecated hash; add userKey",
      {
        repo: repo.path,
        wait: true,
        goalId,
        timeoutMs: 120_000,
        plan: [task("sec", "security", ["src/lib/auth.js"]), task("back", "backend", ["src/routes/user.js"])],
      },
      collectOutput(),
    );
    const ms = performance.now() - started;
    const count = (type: GuildEvent["type"]) => result.events.filter((e) => e.type === type).length;
    return {
      ms,
      turns: security.requests.length + backend.requests.length,
      verifies: count("verify.finished"),
      dispatches: count("task.dispatched"),
      overlaps: count("overlap.detected"),
      done: result.events.at(-1)?.type === "goal.done",
    };
  } finally {
    await watch.unsubscribe();
    await guild.stop();
    await bus.close();
  }
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
