import { availableParallelism } from "node:os";
import { NatsBus, NatsServerProcess } from "../src/bus/index.js";
import { tempDir } from "../test/helpers/temp-dir.js";
import { BENCH_ROLES, benchPlan } from "./coordinator-dag.js";
import { runScenario } from "./coordinator-scenario.js";
import { runGitAsGuildUp } from "./git-as-guild-up.js";
import type { Benchmark, BenchRow } from "./harness.js";

// Chains only: every step after the first starts from its dependency's merged head, so the agents in their
// own homes fetch an incremental base bundle for it, and every proposal goes back as a bundle.
const TASKS = Number(process.env.BENCH_HOMES_TASKS ?? 20);
const CHAIN_LENGTH = 4;
const REPLICAS = 2;
const DELAY_MS = Number(process.env.BENCH_HOMES_DELAY_MS ?? 500);
const PAIRS = Number(process.env.BENCH_HOMES_PAIRS ?? 2);

type Mode = "shared" | "homes";

const bench: Benchmark = {
  name: "agent-homes",
  description: `per-step overhead of agents in their own homes (mirror per repository, bases and proposals as bundles) against agents in worktrees of the coordinator's repository: ${TASKS} tasks in chains of ${CHAIN_LENGTH}, ${BENCH_ROLES.length} roles × ${REPLICAS}, scripted brain ${DELAY_MS} ms, real nats-server and git, agents in their own process`,
  async run(progress) {
    runGitAsGuildUp();
    await using server = await NatsServerProcess.start();
    const bus = await NatsBus.connect({ url: server.url, name: "bench-agent-homes" });
    const plan = benchPlan(TASKS, TASKS / CHAIN_LENGTH, CHAIN_LENGTH);
    const perStep: Record<Mode, number[]> = { shared: [], homes: [] };
    const notes: string[] = [];
    const sharedBefore = process.env.GUILD_SHARED_OBJECTS;
    const run = async (mode: Mode) => {
      await using home = tempDir("guild-bench-agent-home-");
      // The coordinator offers its repository's objects only in shared mode; the agents get a home of their
      // own in the other, so they work in a mirror whatever the offer.
      if (mode === "homes") process.env.GUILD_SHARED_OBJECTS = "0";
      else delete process.env.GUILD_SHARED_OBJECTS;
      const r = await runScenario({
        plan,
        delayMs: DELAY_MS,
        replicas: REPLICAS,
        natsUrl: server.url,
        bus,
        ...(mode === "homes" ? { agentHome: home.path } : {}),
      });
      const steps = r.ideal / DELAY_MS;
      const bundles = r.events.filter((e) => e.type === "workspace.ready").length;
      perStep[mode].push((r.wallMs - r.ideal) / steps);
      notes.push(
        `${mode}: wall ${r.wallMs.toFixed(0)} ms, ideal ${r.ideal} ms (${steps} steps), ${bundles} workspaces, worktree p50 ${r.phases.workspace.p50} ms, review p50 ${r.phases.review.p50} ms, proposal trip p50 ${r.phases.handoff.trip} ms`,
      );
    };
    try {
      progress("warm-up goal in each mode (not measured)");
      await runScenario({
        plan: benchPlan(10, 2, 2),
        delayMs: 50,
        replicas: REPLICAS,
        natsUrl: server.url,
        bus,
      });
      // Pairs alternate which mode goes first, so the machine's load drifts onto both alike.
      for (let pair = 0; pair < PAIRS; pair++) {
        const order: Mode[] = pair % 2 === 0 ? ["shared", "homes"] : ["homes", "shared"];
        for (const mode of order) {
          progress(`pair ${pair + 1}/${PAIRS}: ${mode}`);
          await run(mode);
        }
      }
    } finally {
      if (sharedBefore === undefined) delete process.env.GUILD_SHARED_OBJECTS;
      else process.env.GUILD_SHARED_OBJECTS = sharedBefore;
      await bus.close();
    }
    const median = (xs: number[]) => {
      const s = [...xs].sort((a, b) => a - b);
      const mid = Math.floor(s.length / 2);
      return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
    };
    const shared = median(perStep.shared);
    const homes = median(perStep.homes);
    const ratio = homes / shared;
    const rows: BenchRow[] = [
      { metric: "shared repository: overhead per chain step (median)", value: shared, unit: "ms" },
      {
        metric: "own homes, bundles both ways: overhead per chain step (median)",
        value: homes,
        unit: "ms",
        ratio,
        target: "<= 1.5x",
        ok: ratio <= 1.5,
      },
    ];
    notes.push(
      `per-step overhead = (wall − ideal) / steps of the ideal schedule; runs per mode: ${perStep.shared.length}; shared runs ${perStep.shared.map((v) => v.toFixed(0)).join(", ")} ms, homes runs ${perStep.homes.map((v) => v.toFixed(0)).join(", ")} ms; ${availableParallelism()} cores`,
    );
    return { name: bench.name, description: bench.description, rows, notes };
  },
};

export default bench;
