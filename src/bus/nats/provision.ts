import {
  JetStreamApiError,
  type JetStreamClient,
  type JetStreamManager,
  RetentionPolicy,
  StorageType,
  type StreamConfig,
} from "@nats-io/jetstream";
import { type KV, Kvm } from "@nats-io/kv";
import { type ObjectStore, Objm } from "@nats-io/obj";
import { nanos } from "@nats-io/transport-node";
import { stores, subjects } from "../../protocol/index.js";

/** How long an agent's presence outlives its last heartbeat. */
export const PRESENCE_TTL_MS = 30_000;

/**
 * How long a message id is remembered for dedup on the durable queues and the event log (where an event's
 * envelope id is its msgId, so a retried publish whose ack was lost is stored once).
 */
export const DUPLICATE_WINDOW_MS = 10 * 60_000;

/** The streams guild needs, as docs/ARCHITECTURE.md lists them. */
export function streamConfigs(replicas: number): (Partial<StreamConfig> & { name: string })[] {
  const common = { storage: StorageType.File, num_replicas: replicas };
  return [
    {
      ...common,
      name: stores.tasks,
      subjects: [subjects.tasksAll],
      retention: RetentionPolicy.Workqueue,
      duplicate_window: nanos(DUPLICATE_WINDOW_MS),
    },
    {
      ...common,
      name: stores.proposals,
      subjects: [subjects.proposalsAll],
      retention: RetentionPolicy.Limits,
      duplicate_window: nanos(DUPLICATE_WINDOW_MS),
    },
    {
      ...common,
      name: stores.events,
      subjects: [subjects.eventsAll],
      retention: RetentionPolicy.Limits,
      duplicate_window: nanos(DUPLICATE_WINDOW_MS),
    },
  ];
}

/** Creates the streams, the KV bucket and the object store, or brings existing ones up to date. */
export async function provision(
  jsm: JetStreamManager,
  js: JetStreamClient,
  replicas = 1,
  presenceTtlMs = PRESENCE_TTL_MS,
): Promise<{ kv: KV; presence: KV; objects: ObjectStore }> {
  for (const config of streamConfigs(replicas)) {
    const name = config.name;
    try {
      await jsm.streams.info(name);
      // Replicas and retention cannot change in place; update only what may.
      const { retention: _r, storage: _s, num_replicas: _n, ...mutable } = config;
      await jsm.streams.update(name, mutable);
    } catch (e) {
      if (!(e instanceof JetStreamApiError) || e.code !== 10059) throw e;
      await jsm.streams.add(config);
    }
  }
  // History 10 leaves room for compare-and-set and for watchers to see recent changes.
  const kv = await new Kvm(js).create(stores.state, { history: 10, replicas });
  const objects = await new Objm(js).create(stores.bundles, { replicas });
  // nats-server 2.9 has no per-key TTL: the presence bucket's max age is the TTL of every heartbeat.
  const presence = await new Kvm(js).create(stores.presence, { history: 1, replicas, ttl: presenceTtlMs });
  return { kv, presence, objects };
}

/** Binds to the bucket and store a manager provisioned, without the stream admin calls a plain identity lacks. */
export async function bindStores(
  js: JetStreamClient,
): Promise<{ kv: KV; presence: KV; objects: ObjectStore }> {
  // Direct gets, as the manager's buckets allow them (nats-server 2.9 and later).
  const kv = await new Kvm(js).open(stores.state, { allow_direct: true });
  const presence = await new Kvm(js).open(stores.presence, { allow_direct: true });
  const objects = await new Objm(js).open(stores.bundles, false);
  return { kv, presence, objects };
}
