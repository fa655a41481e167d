import { randomBytes } from "node:crypto";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { Objm } from "@nats-io/obj";
import { connect } from "@nats-io/transport-node";
import { NatsBus, NatsServerProcess } from "../src/bus/index.js";
import { submitGoal } from "../src/cli/commands/goal.js";
import { collectOutput } from "../src/cli/output.js";
import { startGuild } from "../src/cli/runtime/start-guild.js";
import { goalOfProposalKey } from "../src/coordinator/goal/index.js";
import { createLogger, stores, type TaskSpec } from "../src/protocol/index.js";
import { tempRepo } from "../test/helpers/git-repo.js";
import { publishedBundleKeys } from "../test/helpers/proposal-bundles.js";
import { tempDir } from "../test/helpers/temp-dir.js";
import type { Benchmark, BenchRow } from "./harness.js";

// N goals one after the other on a repository whose history weighs HISTORY_MB, each on a new base commit
// (as every merge to main makes one), run by agents in a home of their own: what the blob store holds
// after each, base bundles and proposal bundles apart. The store is read with the NATS client itself,
// not the bus, so the same file measures a revision without the bus's `list` (run it there to get the
// figure before the collection of bases) or without a goal end's `deleteProposalBundles` (proposals).
const GOALS = Number(process.env.BENCH_BASES_GOALS ?? 5);
const HISTORY_MB = Number(process.env.BENCH_BASES_HISTORY_MB ?? 4);
// How long to wait after a goal's end for its base and proposal bundles to go, where something deletes them.
const SETTLE_MS = 5000;

const GUILD_YAML = `version: 1
rules:
  - { pattern: "web/**", owners: ["@frontend"] }
roles:
  frontend: { brain: { kind: scripted, delayMs: 10 } }
testCommand: ["true"]
`;

// Two chained tasks: the second starts from the first's head, so each goal publishes a full bundle of
// its base and one of what lies after it.
const plan = (n: number): TaskSpec[] => [
  {
    taskId: `a${n}`,
    role: "frontend",
    title: "a",
    instructions: "",
    expectedPaths: [`web/a${n}.txt`],
    dependsOn: [],
  },
  {
    taskId: `b${n}`,
    role: "frontend",
    title: "b",
    instructions: "",
    expectedPaths: [`web/b${n}.txt`],
    dependsOn: [`a${n}`],
  },
];

const bench: Benchmark = {
  name: "base-bundles",
  description: `blob store size after ${GOALS} goals, each on a new base commit of a repository with ${HISTORY_MB} MB of history, agents in their own home (bases as bundles), real nats-server and git`,
  async run(progress) {
    const sharedBefore = process.env.GUILD_SHARED_OBJECTS;
    process.env.GUILD_SHARED_OBJECTS = "0";
    await using server = await NatsServerProcess.start();
    await using home = tempDir("guild-bench-bases-home-");
    using repo = tempRepo({ "guild.yaml": GUILD_YAML, "web/.keep": "" });
    // Incompressible history, in commits of 1 MB: every full bundle carries all of it.
    for (let i = 0; i < HISTORY_MB; i++) {
      repo.write({
        [`data/blob-${i}.bin`]: randomBytes(1024 * 1024)
          .toString("base64")
          .slice(0, 1024 * 1024),
      });
      repo.git("add", "-A");
      repo.git("commit", "-qm", `history ${i}`);
    }
    const bus = await NatsBus.connect({ url: server.url, name: "bench-base-bundles", manage: true });
    const nc = await connect({ servers: server.url, name: "bench-base-bundles-reader" });
    const logger = createLogger({ level: "silent" });
    const guild = await startGuild({ bus, logger, roles: ["frontend"], home: home.path });
    const rows: BenchRow[] = [];
    const notes: string[] = [];
    let last = {
      baseBytes: 0,
      baseCount: 0,
      proposalBytes: 0,
      proposalCount: 0,
      allBytes: 0,
      streamBytes: 0,
    };
    // How many proposal bundles the goals' agents put, as their `proposal.published` events name them.
    let proposalsPut = 0;
    try {
      const objects = await new Objm(jetstream(nc)).open(stores.bundles);
      const jsm = await jetstreamManager(nc);
      const measure = async () => {
        const live = (await objects.list()).filter((o) => !o.deleted);
        const base = live.filter((o) => o.name.startsWith("base."));
        const proposals = live.filter((o) => goalOfProposalKey(o.name) !== undefined);
        const stream = await jsm.streams.info(`OBJ_${stores.bundles}`);
        return {
          baseBytes: base.reduce((s, o) => s + o.size, 0),
          baseCount: base.length,
          proposalBytes: proposals.reduce((s, o) => s + o.size, 0),
          proposalCount: proposals.length,
          allBytes: live.reduce((s, o) => s + o.size, 0),
          streamBytes: stream.state.bytes,
        };
      };
      last = await measure();
      for (let n = 1; n <= GOALS; n++) {
        // A new base: what a merge to main leaves.
        repo.write({ [`web/main-${n}.txt`]: `${n}\n` });
        repo.git("add", "-A");
        repo.git("commit", "-qm", `main ${n}`);
        const base = repo.head();
        progress(`goal ${n}/${GOALS} on ${base.slice(0, 8)}`);
        const result = await submitGoal(
          bus,
          `goal ${n}`,
          { repo: repo.path, plan: plan(n), wait: true, timeoutMs: 120_000 },
          collectOutput(),
        );
        if (result.status !== "done") throw new Error(`goal ${n} ended ${result.status}`);
        proposalsPut += publishedBundleKeys(result.events).length;
        const deadline = Date.now() + SETTLE_MS;
        for (;;) {
          last = await measure();
          const mine = (await objects.list()).filter(
            (o) =>
              !o.deleted && (o.name.split(".")[2] === base || goalOfProposalKey(o.name) === result.goalId),
          );
          if (mine.length === 0 || Date.now() > deadline) break;
          await new Promise((r) => setTimeout(r, 100));
        }
        notes.push(
          `after goal ${n}: ${last.baseCount} base bundles, ${(last.baseBytes / 1e6).toFixed(2)} MB; ${last.proposalCount} proposal bundles, ${last.proposalBytes} bytes; all objects ${(last.allBytes / 1e6).toFixed(2)} MB; stream ${(last.streamBytes / 1e6).toFixed(2)} MB`,
        );
      }
    } finally {
      await guild.stop();
      await nc.close();
      await bus.close();
      if (sharedBefore === undefined) delete process.env.GUILD_SHARED_OBJECTS;
      else process.env.GUILD_SHARED_OBJECTS = sharedBefore;
    }
    rows.push(
      { metric: `base bundles left after ${GOALS} goals`, value: last.baseCount, unit: "objects" },
      { metric: `base bundle bytes after ${GOALS} goals`, value: last.baseBytes / 1e6, unit: "MB" },
      { metric: `proposal bundles put by ${GOALS} goals`, value: proposalsPut, unit: "objects" },
      { metric: `proposal bundles left after ${GOALS} goals`, value: last.proposalCount, unit: "objects" },
      { metric: `proposal bundle bytes after ${GOALS} goals`, value: last.proposalBytes, unit: "bytes" },
      { metric: `all objects after ${GOALS} goals (proposals too)`, value: last.allBytes / 1e6, unit: "MB" },
      { metric: `object store stream after ${GOALS} goals`, value: last.streamBytes / 1e6, unit: "MB" },
    );
    return { name: bench.name, description: bench.description, rows, notes };
  },
};

export default bench;
