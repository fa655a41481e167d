import type { z } from "zod";
import type { Envelope, GuildEvent } from "../protocol/index.js";

/** Where a delivered message came from. */
export interface MessageMeta {
  subject: string;
  /** Stream sequence for durable messages (event log, work queue); absent for core messages. */
  seq?: number;
}

export type Handler<T> = (msg: T, meta: MessageMeta) => void | Promise<void>;

export interface Subscription {
  unsubscribe(): Promise<void>;
}

/** A schema for an inbound envelope; the bus validates every inbound message against one. */
export type EnvelopeSchema<T extends Envelope = Envelope> = z.ZodType<T>;

export interface RequestOptions {
  timeoutMs?: number;
}

/** One claimed work item; the claimer must ack, nak, or keep it alive with `working()`. */
export interface WorkItem<T> {
  readonly data: T;
  readonly subject: string;
  readonly seq: number;
  /** 1 on first delivery, 2+ after redelivery. */
  readonly deliveryCount: number;
  ack(): Promise<void>;
  /** Gives the item back, to be redelivered after `delayMs` (default: at once). */
  nak(delayMs?: number): Promise<void>;
  /** Extends the deadline (in-progress), for long work. */
  working(): Promise<void>;
  /** Drops the item for good (poison message). */
  term(reason?: string): Promise<void>;
}

export interface WorkConsumerOptions<T extends Envelope> {
  /** Durable consumer name shared by all replicas of a worker kind, e.g. `tasks-security`. */
  durable: string;
  /** Subject filter, e.g. `guild.task.security` or `guild.proposal.>`. */
  subject: string;
  schema: EnvelopeSchema<T>;
  /** How long a claimed item may go without ack/working() before it is redelivered. */
  ackWaitMs?: number;
  /** Deliveries after which the item is no longer redelivered. */
  maxDeliver?: number;
}

export interface WorkConsumer<T> {
  /** Waits up to `expiresMs` for one item; null when none came. Invalid items are rejected and skipped. */
  next(options?: { expiresMs?: number }): Promise<WorkItem<T> | null>;
  close(): Promise<void>;
}

/** Which durable queue an enqueued message goes to. */
export type QueueName = "tasks" | "proposals";

export interface EnqueueOptions {
  /** Deduplication id: a second message with the same id (within the window) is dropped. */
  msgId?: string;
}

export interface FollowOptions {
  /** Subject filter under `guild.evt.>`. */
  subject?: string;
  /** Replay from this stream sequence (inclusive). */
  fromSeq?: number;
  /** Replay from this time. */
  fromTime?: Date;
  /** Replay only what is stored now, then stop (default false: keep following live). */
  replayOnly?: boolean;
}

export interface AppendOptions {
  /** Resolve only once the event is stored, however long the stream takes (the caller bounds the wait). */
  untilStored?: boolean;
}

/** The durable event log (`GUILD_EVENTS`). */
export interface EventLog {
  /**
   * Appends an event on `guild.evt.<goal>.<source>.<type>`; returns its sequence once stored. Undefined
   * means not stored yet: the stream did not acknowledge it (no leader, a restart) and it is retried in
   * order from a bounded outbox (NATS); the memory bus always stores at once.
   */
  append(event: GuildEvent, options?: AppendOptions): Promise<number | undefined>;
  /** Replays stored events matching the filter, then follows live unless `replayOnly`. */
  follow(options: FollowOptions, handler: Handler<GuildEvent>): Promise<Subscription>;
  /** Collects stored events matching the filter (replay only). */
  read(options?: Omit<FollowOptions, "replayOnly">): Promise<GuildEvent[]>;
}

export interface KvEntry {
  key: string;
  value: Uint8Array;
  revision: number;
  operation: "PUT" | "DEL";
}

/** The `guild-state` KV bucket. Keys are dot-separated tokens, e.g. `goal.g1.snapshot`. */
export interface KeyValue {
  get(key: string): Promise<KvEntry | null>;
  put(key: string, value: Uint8Array): Promise<number>;
  /** Creates the key; fails with `kv.conflict` if it exists. */
  create(key: string, value: Uint8Array): Promise<number>;
  /** Compare-and-set: fails with `kv.conflict` unless the current revision is `expectedRevision`. */
  update(key: string, value: Uint8Array, expectedRevision: number): Promise<number>;
  delete(key: string): Promise<void>;
  keys(filter?: string): Promise<string[]>;
  /** Sends current values, then every change, for keys matching `filter` (NATS wildcards). */
  watch(filter: string, handler: (entry: KvEntry) => void): Promise<Subscription>;
}

export interface BlobInfo {
  key: string;
  size: number;
  digest: string;
}

/** The `guild-bundles` object store. */
export interface BlobStore {
  put(key: string, data: Uint8Array): Promise<BlobInfo>;
  get(key: string): Promise<Uint8Array | null>;
  info(key: string): Promise<BlobInfo | null>;
  delete(key: string): Promise<void>;
  /** Every stored blob whose key starts with `prefix` (all without one), in no particular order. */
  list(prefix?: string): Promise<BlobInfo[]>;
}

export type RejectionListener = (rejection: {
  subject: string;
  reason: string;
  issues: { path: string; message: string }[];
  sample: string;
}) => void;

/**
 * The narrow interface agents and the coordinator use to talk; NATS and in-memory transports implement it.
 * Every inbound message is validated; an invalid one is dropped with a `bus.message.rejected` event.
 */
export interface Bus {
  readonly kind: "nats" | "memory";
  publish(subject: string, message: Envelope): Promise<void>;
  subscribe<T extends Envelope>(
    subject: string,
    schema: EnvelopeSchema<T>,
    handler: Handler<T>,
    options?: { queue?: string },
  ): Promise<Subscription>;
  request<T extends Envelope>(
    subject: string,
    message: Envelope,
    replySchema: EnvelopeSchema<T>,
    options?: RequestOptions,
  ): Promise<T>;
  /** Answers requests on `subject`; a thrown GuildError is returned to the caller as its JSON form. */
  serve<Req extends Envelope>(
    subject: string,
    schema: EnvelopeSchema<Req>,
    handler: (request: Req, meta: MessageMeta) => Promise<Envelope>,
    options?: { queue?: string },
  ): Promise<Subscription>;
  enqueue(
    queue: QueueName,
    subject: string,
    message: Envelope,
    options?: EnqueueOptions,
  ): Promise<{ duplicate: boolean }>;
  consumer<T extends Envelope>(queue: QueueName, options: WorkConsumerOptions<T>): Promise<WorkConsumer<T>>;
  readonly events: EventLog;
  readonly kv: KeyValue;
  /** The `guild-presence` bucket: each agent's heartbeat, dropped by the server after its TTL. */
  readonly presence: KeyValue;
  readonly blobs: BlobStore;
  onRejected(listener: RejectionListener): () => void;
  close(): Promise<void>;
}
