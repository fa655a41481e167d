import { DeliverPolicy, jetstream } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { NatsBus, NatsServerProcess } from "../src/bus/index.js";
import { Envelope, type GuildEvent, makeEnvelope, stores, subjects } from "../src/protocol/index.js";
import { type Benchmark, type BenchRow, percentile } from "./harness.js";

const EVENTS = 20_000;
const WINDOW = 200;
const LATENCY_SAMPLES = 2_000;
const CORE_MESSAGES = 50_000;
const ROUNDS = 3;

function event(goal: string, i: number): GuildEvent {
  return makeEnvelope({
    type: "agent.step",
    source: "bench",
    goalId: goal,
    payload: { taskId: "t1", kind: "thought", text: `step ${i} of the benchmark, a short thought` },
  }) as GuildEvent;
}

/** A sink that resolves `until(n)` once n messages have arrived, and stamps each arrival. */
function sink() {
  let count = 0;
  let waiting: { n: number; resolve: () => void } | undefined;
  return {
    hit() {
      count++;
      if (waiting && count >= waiting.n) waiting.resolve();
    },
    until(n: number): Promise<void> {
      if (count >= n) return Promise.resolve();
      return new Promise((resolve) => {
        waiting = { n, resolve };
      });
    },
  };
}

/**
 * Sends in windows of concurrent publishes, awaiting each window: both sides are measured pipelined, and
 * both let the client flush once per window (nats.js flushes on a microtask, so awaiting every publish
 * would measure one socket write per message instead).
 */
async function pump(n: number, send: (i: number) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < n; i += WINDOW) {
    const batch: Promise<unknown>[] = [];
    for (let j = i; j < Math.min(n, i + WINDOW); j++) batch.push(send(j));
    await Promise.all(batch);
  }
}

async function measure(label: string, progress: (m: string) => void, run: () => Promise<number>) {
  progress(label);
  const started = performance.now();
  const done = await run();
  return done / ((performance.now() - started) / 1000);
}

const bench: Benchmark = {
  name: "bus",
  description: "event append → follower delivery through guild's validating Bus vs the raw NATS client",
  async run(progress) {
    await using server = await NatsServerProcess.start();
    const bus = await NatsBus.connect({ url: server.url, name: "bench-guild" });
    const nc = await connect({ servers: server.url, name: "bench-raw" });
    const js = jetstream(nc);
    const rows: BenchRow[] = [];
    const notes: string[] = [];
    try {
      // Throughput: N events appended to GUILD_EVENTS and delivered to a live follower; rounds alternate
      // sides so neither gets the warm JIT or the emptier stream, and the best round of each counts.
      const guildEvents = async (round: number) => {
        const goal = `benchguild${round}`;
        const got = sink();
        const sub = await bus.events.follow({ subject: subjects.eventsOfGoal(goal) }, () => got.hit());
        const rate = await measure(`guild events, round ${round}`, progress, async () => {
          await pump(EVENTS, (i) => bus.events.append(event(goal, i)));
          await got.until(EVENTS);
          return EVENTS;
        });
        await sub.unsubscribe();
        return rate;
      };
      const rawEvents = async (round: number) => {
        const goal = `benchraw${round}`;
        const got = sink();
        const consumer = await js.consumers.get(stores.events, {
          filter_subjects: subjects.eventsOfGoal(goal),
          deliver_policy: DeliverPolicy.All,
        });
        const messages = await consumer.consume({ max_messages: 256 });
        void (async () => {
          for await (const m of messages) {
            m.json();
            got.hit();
          }
        })();
        const rate = await measure(`raw events, round ${round}`, progress, async () => {
          await pump(EVENTS, (i) => {
            const e = event(goal, i);
            return js.publish(`guild.evt.${goal}.bench.agent.step`, JSON.stringify(e));
          });
          await got.until(EVENTS);
          return EVENTS;
        });
        messages.stop();
        return rate;
      };
      const guildCore = async (round: number) => {
        const subject = `bench.guild.${round}`;
        const got = sink();
        const sub = await bus.subscribe(subject, Envelope, () => got.hit());
        await bus.connection.flush();
        const rate = await measure(`guild core, round ${round}`, progress, async () => {
          const msg = makeEnvelope({ type: "bench.ping", source: "bench", payload: { n: 1 } });
          await pump(CORE_MESSAGES, () => bus.publish(subject, msg));
          await got.until(CORE_MESSAGES);
          return CORE_MESSAGES;
        });
        await sub.unsubscribe();
        return rate;
      };
      const rawCore = async (round: number) => {
        const subject = `bench.raw.${round}`;
        const got = sink();
        const sub = nc.subscribe(subject, {
          callback: (_e, m) => {
            m.json();
            got.hit();
          },
        });
        await nc.flush();
        const rate = await measure(`raw core, round ${round}`, progress, async () => {
          const msg = makeEnvelope({ type: "bench.ping", source: "bench", payload: { n: 1 } });
          await pump(CORE_MESSAGES, async () => nc.publish(subject, JSON.stringify(msg)));
          await got.until(CORE_MESSAGES);
          return CORE_MESSAGES;
        });
        sub.unsubscribe();
        return rate;
      };
      const rounds = {
        rawEvents: [] as number[],
        guildEvents: [] as number[],
        rawCore: [] as number[],
        guildCore: [] as number[],
      };
      for (let round = 1; round <= ROUNDS; round++) {
        rounds.rawEvents.push(await rawEvents(round));
        rounds.guildEvents.push(await guildEvents(round));
        rounds.rawCore.push(await rawCore(round));
        rounds.guildCore.push(await guildCore(round));
      }
      const rawRate = Math.max(...rounds.rawEvents);
      const guildRate = Math.max(...rounds.guildEvents);
      const rCoreRate = Math.max(...rounds.rawCore);
      const gCoreRate = Math.max(...rounds.guildCore);
      for (const [side, rates] of Object.entries(rounds)) {
        notes.push(`${side} per round: ${rates.map((r) => Math.round(r)).join(", ")} /s`);
      }
      rows.push({ metric: "events append→follow (raw NATS)", value: rawRate, unit: "events/s" });
      rows.push({
        metric: "events append→follow (guild Bus)",
        value: guildRate,
        unit: "events/s",
        ratio: guildRate / rawRate,
        target: "≥ 0.7x",
        ok: guildRate / rawRate >= 0.7,
      });
      rows.push({ metric: "core publish→subscribe (raw NATS)", value: rCoreRate, unit: "msgs/s" });
      rows.push({
        metric: "core publish→subscribe (guild Bus)",
        value: gCoreRate,
        unit: "msgs/s",
        ratio: gCoreRate / rCoreRate,
        target: "≥ 0.7x",
        ok: gCoreRate / rCoreRate >= 0.7,
      });

      // Latency: one event at a time, append → follower handler.
      progress("latency");
      const lGoal = "benchlatency";
      let arrived: (() => void) | undefined;
      const lSub = await bus.events.follow({ subject: subjects.eventsOfGoal(lGoal) }, () => arrived?.());
      const latencies: number[] = [];
      for (let i = 0; i < LATENCY_SAMPLES; i++) {
        const got = new Promise<void>((resolve) => {
          arrived = resolve;
        });
        const t0 = performance.now();
        await bus.events.append(event(lGoal, i));
        await got;
        latencies.push(performance.now() - t0);
      }
      await lSub.unsubscribe();
      const p99 = percentile(latencies, 99);
      rows.push({ metric: "append→follow latency p50", value: percentile(latencies, 50), unit: "ms" });
      rows.push({
        metric: "append→follow latency p99",
        value: p99,
        unit: "ms",
        target: "< 5 ms",
        ok: p99 < 5,
      });
    } finally {
      await bus.close();
      await nc.close();
    }
    return {
      name: "bus",
      description: this.description,
      rows,
      notes: [
        ...notes,
        `best of ${ROUNDS} alternating rounds; ${EVENTS} events in windows of ${WINDOW} concurrent appends; ${CORE_MESSAGES} core messages; ${LATENCY_SAMPLES} latency samples`,
        "guild side: outbound Envelope/GuildEvent validation, JSON, JetStream publish, ordered consumer, inbound validation",
        "raw side: same JSON payloads through @nats-io/jetstream and core nats, JSON.parse only, same server",
      ],
    };
  },
};

export default bench;
