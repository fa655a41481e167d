import { readFileSync } from "node:fs";
import { DeliverPolicy, type JetStreamClient, jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection, nkeys } from "@nats-io/transport-node";
import { inboxPrefixOf } from "../../../src/bus/auth/credentials.js";
import { connectionOptions } from "../../../src/bus/nats/connection-options.js";
import { stores } from "../../../src/protocol/index.js";

/** An event the stream acknowledged to its publisher (a JetStream publish ack), as a raw subscriber saw it. */
export interface AckedEvent {
  id: string;
  subject: string;
  seq: number;
}

/** One delivery of a work-queue message to a puller, read from its `$JS.ACK.…` reply subject. */
export interface Delivery {
  stream: string;
  consumer: string;
  /** 1 for the first delivery, more for a redelivery. */
  delivered: number;
  streamSeq: number;
  at: number;
}

/** The stream, consumer, delivery count and stream sequence of a `$JS.ACK` subject (v1 and v2 forms). */
export function parseAckSubject(reply: string): Omit<Delivery, "at"> | undefined {
  const t = reply.split(".");
  if (t[0] !== "$JS" || t[1] !== "ACK") return undefined;
  const at = t.length >= 11 ? 4 : t.length === 9 ? 2 : -1;
  if (at < 0) return undefined;
  return {
    stream: t[at] ?? "",
    consumer: t[at + 1] ?? "",
    delivered: Number(t[at + 2]),
    streamSeq: Number(t[at + 3]),
  };
}

/** What the stream holds afterwards against what was acknowledged. */
export interface AckCheck {
  acked: number;
  /** Acknowledged events the stream does not hold at their acknowledged sequence. */
  lost: AckedEvent[];
  /**
   * Publish attempts (seen on guild.evt.>) that no ack was seen for: a publish the cluster could not take
   * at that moment. The publisher's outbox retries each such event with its id as msgId.
   */
  unacked: number;
  /** Distinct events (by envelope id) seen published, however many attempts each took. */
  published: number;
  /** Ids of events seen published that GUILD_EVENTS does not hold afterwards: events lost to a leaderless moment. */
  unstored: string[];
  /** Ids GUILD_EVENTS holds more than once: a retry the duplicate window did not catch. */
  duplicates: string[];
  /** How many events the stream holds. */
  stored: number;
}

const PUB_ACK = /^\{"stream":"/;

/**
 * Plain NATS connections, one pinned to each node, that see every event published on `guild.evt.>` and every
 * publish ack the stream sends back to a guild identity's reply prefix. An event counts as acknowledged when
 * the ack for its publish (same reply subject) names GUILD_EVENTS and a sequence. Pinned to all three nodes,
 * the observer keeps seeing traffic while any one node is killed or stopped.
 */
export class AckObserver {
  readonly #connections: NatsConnection[];
  /** Reply subject → the event published with it. */
  readonly #published = new Map<string, { id: string; subject: string }>();
  /** Reply subject → the sequence GUILD_EVENTS acknowledged it at. */
  readonly #acks = new Map<string, number>();
  /** `$JS.ACK` subject → the delivery it stands for (one per delivery, however many nodes saw it). */
  readonly #deliveries = new Map<string, Delivery>();

  private constructor(connections: NatsConnection[]) {
    this.#connections = connections;
  }

  /**
   * Connects to each of `nodeUrls` with `creds` (an identity allowed to subscribe to everything: the
   * coordinator's) and listens for the replies of every identity whose seed file is in `identityFiles`.
   */
  static async start(nodeUrls: string[], creds: string, identityFiles: string[]): Promise<AckObserver> {
    const prefixes = identityFiles.map((file) => {
      const seed = new TextEncoder().encode(readFileSync(file, "utf8").trim());
      return inboxPrefixOf(nkeys.fromSeed(seed).getPublicKey());
    });
    const connections: NatsConnection[] = [];
    const observer = new AckObserver(connections);
    for (const url of nodeUrls) {
      const nc = await connect({
        ...connectionOptions({ url, creds }),
        name: "chaos-observer",
        maxReconnectAttempts: -1,
        reconnectTimeWait: 250,
      });
      connections.push(nc);
      nc.subscribe("guild.evt.>", {
        callback: (_e, m) => {
          if (!m.reply || observer.#published.has(m.reply)) return;
          const id = (JSON.parse(m.string()) as { id?: string }).id;
          if (id) observer.#published.set(m.reply, { id, subject: m.subject });
        },
      });
      for (const prefix of prefixes) {
        nc.subscribe(`${prefix}.>`, {
          callback: (_e, m) => {
            if (m.reply?.startsWith("$JS.ACK.")) {
              const delivery = parseAckSubject(m.reply);
              if (delivery && !observer.#deliveries.has(m.reply)) {
                observer.#deliveries.set(m.reply, { ...delivery, at: Date.now() });
              }
              return;
            }
            // Pulled messages, bundles and API replies travel here too; a publish ack is small and says so.
            if (m.data.length > 300) return;
            const text = m.string();
            if (!PUB_ACK.test(text)) return;
            const ack = JSON.parse(text) as { stream?: string; seq?: number; error?: unknown };
            if (ack.stream === stores.events && typeof ack.seq === "number" && !ack.error) {
              observer.#acks.set(m.subject, ack.seq);
            }
          },
        });
      }
      await nc.flush();
    }
    return observer;
  }

  /** How many events were published and how many of them acknowledged, so far. */
  counts(): { published: number; acked: number } {
    return { published: this.#published.size, acked: this.#acked().length };
  }

  /** Redeliveries (a delivery count above 1) seen between two times. */
  redeliveries(from: number, to: number): Delivery[] {
    return [...this.#deliveries.values()].filter((d) => d.delivered > 1 && d.at >= from && d.at <= to);
  }

  #acked(): AckedEvent[] {
    return [...this.#acks].flatMap(([reply, seq]) => {
      const event = this.#published.get(reply);
      return event ? [{ ...event, seq }] : [];
    });
  }

  /** Reads GUILD_EVENTS through `nc` and checks that every acknowledged event is there, at its sequence. */
  async check(nc: NatsConnection): Promise<AckCheck> {
    for (const c of this.#connections) await c.flush().catch(() => undefined);
    const js = jetstream(nc);
    const bySeq = await readAll(js);
    const acked = this.#acked();
    // The read above may come from a replica that lags the leader; what it lacks is asked of the leader.
    const jsm = await jetstreamManager(nc);
    const lost: AckedEvent[] = [];
    for (const a of acked) {
      if (bySeq.get(a.seq) === a.id) continue;
      const stored = await jsm.streams.getMessage(stores.events, { seq: a.seq }).catch(() => null);
      const id = stored
        ? (JSON.parse(new TextDecoder().decode(stored.data)) as { id: string }).id
        : undefined;
      if (id === undefined) lost.push(a);
      else {
        bySeq.set(a.seq, id);
        if (id !== a.id) lost.push(a);
      }
    }
    const unacked = [...this.#published.keys()].filter((reply) => !this.#acks.has(reply)).length;
    const ids = new Set([...this.#published.values()].map((p) => p.id));
    // An event published a moment ago may still be on its way to the stream: look again, for a bounded time.
    let unstored = missingFrom(bySeq, ids);
    for (let i = 0; i < 10 && unstored.length > 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      for (const [seq, id] of await readAll(js)) bySeq.set(seq, id);
      unstored = missingFrom(bySeq, ids);
    }
    const counts = new Map<string, number>();
    for (const id of bySeq.values()) counts.set(id, (counts.get(id) ?? 0) + 1);
    const duplicates = [...counts].flatMap(([id, n]) => (n > 1 && ids.has(id) ? [id] : []));
    return {
      acked: acked.length,
      lost,
      unacked,
      stored: bySeq.size,
      published: ids.size,
      unstored,
      duplicates,
    };
  }

  async close(): Promise<void> {
    for (const nc of this.#connections) await nc.close().catch(() => undefined);
  }
}

/** Every event GUILD_EVENTS holds: stream sequence → envelope id. */
async function readAll(js: JetStreamClient): Promise<Map<number, string>> {
  const bySeq = new Map<number, string>();
  const consumer = await js.consumers.get(stores.events, { deliver_policy: DeliverPolicy.All });
  const info = await consumer.info(true);
  let pending = info.num_pending;
  if (pending > 0) {
    const messages = await consumer.consume({ max_messages: 512 });
    for await (const m of messages) {
      bySeq.set(m.seq, (JSON.parse(m.string()) as { id: string }).id);
      if (--pending <= 0 || m.info.pending === 0) break;
    }
    messages.stop();
  }
  return bySeq;
}

function missingFrom(bySeq: Map<number, string>, ids: Set<string>): string[] {
  const stored = new Set(bySeq.values());
  return [...ids].filter((id) => !stored.has(id));
}
