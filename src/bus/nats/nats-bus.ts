import { type JetStreamClient, jetstream, jetstreamManager } from "@nats-io/jetstream";
import {
  connect,
  type Msg,
  type NatsConnection,
  NoRespondersError,
  RequestError,
  TimeoutError,
} from "@nats-io/transport-node";
import { type Envelope, GuildError, guildError, type Logger } from "../../protocol/index.js";
import { encodeOutbound, parseInbound } from "../inbound.js";
import { queueStream, taskDurable } from "../queues.js";
import { Rejections } from "../rejections.js";
import { answer, readReply } from "../reply.js";
import { serialDelivery } from "../serial-delivery.js";
import type {
  Bus,
  EnqueueOptions,
  EnvelopeSchema,
  Handler,
  MessageMeta,
  QueueName,
  RejectionListener,
  RequestOptions,
  Subscription,
  WorkConsumer,
  WorkConsumerOptions,
} from "../types.js";
import { connectionOptions, isAuthFailure } from "./connection-options.js";
import type { OutboxOptions } from "./event-outbox.js";
import { NatsBlobStore } from "./nats-blobs.js";
import { NatsEventLog } from "./nats-event-log.js";
import { NatsKeyValue } from "./nats-kv.js";
import { ensureWorkConsumer, openWorkConsumer } from "./nats-work-queue.js";
import { bindStores, provision } from "./provision.js";

export interface NatsBusOptions {
  /** One server URL, or several separated by commas (the nodes of a cluster); may carry `user:password@`. */
  url: string;
  /** A credentials file: an nkey seed from `guild creds init`, or a JWT `.creds` file. */
  creds?: string;
  /**
   * Whether this process manages the streams, bucket, store and the roles' task consumers (the coordinator,
   * or anyone on a server without auth). Other identities only bind to what the coordinator made.
   * Default: true without credentials, false with them.
   */
  manage?: boolean;
  /** AckWait of the role task consumers this process creates as manager (default 30 s). */
  taskAckWaitMs?: number;
  /** How long a presence heartbeat lives, when this process creates the presence bucket (default 30 s). */
  presenceTtlMs?: number;
  /** Connection name shown by the server (`guild-coordinator`, `guild-agent-security-1`). */
  name?: string;
  logger?: Logger;
  /** Replicas for streams and buckets: 3 on a cluster, 1 on a single server. */
  replicas?: number;
  /**
   * The outbox of events the stream has not acknowledged yet (see EventOutbox): its caps, and how long
   * close waits to store what it holds (default 5 s).
   */
  eventOutbox?: OutboxOptions & { flushMs?: number };
}

/** The Bus over NATS: core pub/sub and request/reply, JetStream queues and event log, KV and object store. */
export class NatsBus implements Bus {
  readonly kind = "nats" as const;
  readonly events: NatsEventLog;
  readonly kv: NatsKeyValue;
  readonly presence: NatsKeyValue;
  readonly blobs: NatsBlobStore;
  /** The underlying connection, for tools that need raw NATS (benchmarks, diagnostics). */
  readonly connection: NatsConnection;
  readonly #js: JetStreamClient;
  readonly #rejections: Rejections;
  readonly #logger: Logger | undefined;
  readonly #manage: boolean;
  readonly #taskAckWaitMs: number;
  readonly #flushMs: number;
  /** Role task consumers this process has made sure exist. */
  readonly #ensured = new Set<string>();

  private constructor(
    nc: NatsConnection,
    js: JetStreamClient,
    parts: { events: NatsEventLog; kv: NatsKeyValue; presence: NatsKeyValue; blobs: NatsBlobStore },
    control: { manage: boolean; taskAckWaitMs: number; flushMs: number },
    logger?: Logger,
  ) {
    this.#manage = control.manage;
    this.#flushMs = control.flushMs;
    this.#taskAckWaitMs = control.taskAckWaitMs;
    this.connection = nc;
    this.#js = js;
    this.events = parts.events;
    this.kv = parts.kv;
    this.presence = parts.presence;
    this.blobs = parts.blobs;
    this.#logger = logger;
    this.#rejections = new Rejections((event) => this.events.append(event), logger);
    this.events.rejections = this.#rejections;
    void this.#watchReconnects();
  }

  /** Tells the event log when the connection comes back, so what it had in flight is not left to time out. */
  async #watchReconnects(): Promise<void> {
    for await (const status of this.connection.status()) {
      if (status.type === "reconnect") this.events.reconnected();
    }
  }

  /**
   * Connects (reconnecting forever after) as the given user or credentials; a manager provisions streams,
   * bucket and store idempotently, anyone else binds to them.
   */
  static async connect(options: NatsBusOptions): Promise<NatsBus> {
    // A comma-separated list names the nodes of a cluster, as NATS_URL often does.
    const target = connectionOptions({
      url: options.url,
      ...(options.creds ? { creds: options.creds } : {}),
    });
    const where = (target.servers as string[]).join(",");
    let nc: NatsConnection;
    try {
      nc = await connect({
        ...target,
        name: options.name ?? "guild",
        maxReconnectAttempts: -1,
        reconnectTimeWait: 250,
      });
    } catch (e) {
      if (isAuthFailure(e)) {
        const who = options.creds
          ? `the credentials in ${options.creds}`
          : "this client (no or wrong credentials)";
        throw new GuildError("bus.unauthorized", `NATS at ${where} refused ${who}`, {
          cause: e,
          details: { url: where },
        });
      }
      throw new GuildError("bus.unavailable", `cannot connect to NATS at ${where}`, {
        cause: e,
        details: { url: where },
      });
    }
    const manage = options.manage ?? options.creds === undefined;
    try {
      const js = jetstream(nc);
      const jsm = await jetstreamManager(nc);
      const { kv, presence, objects } = manage
        ? await provision(jsm, js, options.replicas ?? 1, options.presenceTtlMs)
        : await bindStores(js);
      const parts = {
        events: new NatsEventLog(js, jsm, options.logger, options.eventOutbox),
        kv: new NatsKeyValue(kv, options.logger),
        presence: new NatsKeyValue(presence, options.logger),
        blobs: new NatsBlobStore(objects),
      };
      const control = {
        manage,
        taskAckWaitMs: options.taskAckWaitMs ?? 30_000,
        flushMs: options.eventOutbox?.flushMs ?? 5_000,
      };
      return new NatsBus(nc, js, parts, control, options.logger);
    } catch (e) {
      await nc.close().catch(() => undefined);
      throw e;
    }
  }

  async publish(subject: string, message: Envelope): Promise<void> {
    const text = encodeOutbound(subject, message);
    if (this.connection.isClosed()) throw guildError("bus.closed", {}, "the NATS connection is closed");
    this.connection.publish(subject, text);
  }

  async subscribe<T extends Envelope>(
    subject: string,
    schema: EnvelopeSchema<T>,
    handler: Handler<T>,
    options: { queue?: string } = {},
  ): Promise<Subscription> {
    return this.#listen(subject, options.queue, (m) => {
      const parsed = parseInbound(m.subject, m.data, schema);
      return parsed.ok
        ? handler(parsed.value, { subject: m.subject })
        : this.#rejections.report(parsed.rejection);
    });
  }

  async request<T extends Envelope>(
    subject: string,
    message: Envelope,
    replySchema: EnvelopeSchema<T>,
    options: RequestOptions = {},
  ): Promise<T> {
    const timeoutMs = options.timeoutMs ?? 5000;
    let reply: Msg;
    try {
      reply = await this.connection.request(subject, encodeOutbound(subject, message), {
        timeout: timeoutMs,
      });
    } catch (e) {
      throw requestError(subject, timeoutMs, e);
    }
    return readReply(subject, reply.data, replySchema, this.#rejections);
  }

  async serve<Req extends Envelope>(
    subject: string,
    schema: EnvelopeSchema<Req>,
    handler: (request: Req, meta: MessageMeta) => Promise<Envelope>,
    options: { queue?: string } = {},
  ): Promise<Subscription> {
    return this.#listen(subject, options.queue, async (m) => {
      const parsed = parseInbound(m.subject, m.data, schema);
      if (!parsed.ok) {
        await this.#rejections.report(parsed.rejection);
        const error = guildError(
          "bus.invalid_message",
          { subject: m.subject },
          `request on ${m.subject} was invalid`,
        );
        m.respond(JSON.stringify({ error: error.toJSON() }));
        return;
      }
      m.respond(await answer(m.subject, () => handler(parsed.value, { subject: m.subject })));
    });
  }

  async enqueue(
    queue: QueueName,
    subject: string,
    message: Envelope,
    options: EnqueueOptions = {},
  ): Promise<{ duplicate: boolean }> {
    queueStream(queue, subject);
    if (queue === "tasks" && this.#manage) await this.#ensureTaskConsumer(subject);
    const ack = await this.#js.publish(
      subject,
      encodeOutbound(subject, message),
      options.msgId === undefined ? {} : { msgID: options.msgId },
    );
    return { duplicate: ack.duplicate };
  }

  async consumer<T extends Envelope>(
    queue: QueueName,
    options: WorkConsumerOptions<T>,
  ): Promise<WorkConsumer<T>> {
    return openWorkConsumer(
      this.connection,
      this.#js,
      queue,
      { ...options, bindOnly: !this.#manage },
      this.#rejections,
      (event) => this.events.append(event),
      this.#logger,
    );
  }

  /**
   * Creates the durable a role's agents share, so agents that may not create consumers find it; one that
   * exists (an agent on an open server made it with its own AckWait) is left as it is.
   */
  async #ensureTaskConsumer(subject: string): Promise<void> {
    if (this.#ensured.has(subject)) return;
    const role = subject.slice("guild.task.".length);
    await ensureWorkConsumer(this.connection, "tasks", {
      durable: taskDurable(role),
      subject,
      ackWaitMs: this.#taskAckWaitMs,
    });
    this.#ensured.add(subject);
  }

  onRejected(listener: RejectionListener): () => void {
    return this.#rejections.on(listener);
  }

  /** Stores the events still queued for up to the outbox's flush time (the rest is logged), then drains. */
  async close(): Promise<void> {
    if (!this.connection.isClosed()) await this.events.close(this.#flushMs);
    // A drain needs the server; a connection that is away (reconnecting) is closed instead.
    if (!this.connection.isClosed()) await this.connection.drain().catch(() => this.connection.close());
  }

  /** Subscribes and waits for the server to have it (a flush), so a request sent right after finds it. */
  async #listen(
    subject: string,
    queue: string | undefined,
    onMessage: (m: Msg) => void | Promise<void>,
  ): Promise<Subscription> {
    const serial = serialDelivery(onMessage, (e, m) =>
      this.#logger?.error({ err: e, subject: m.subject }, "subscriber threw"),
    );
    const sub = this.connection.subscribe(subject, {
      ...(queue === undefined ? {} : { queue }),
      callback: (_err, m) => serial.push(m),
    });
    await this.connection.flush();
    return {
      unsubscribe: async () => {
        sub.unsubscribe();
        if (!this.connection.isClosed()) await this.connection.flush().catch(() => undefined);
        await serial.idle();
      },
    };
  }
}

function requestError(subject: string, timeoutMs: number, e: unknown): GuildError {
  const cause = e instanceof RequestError && e.cause ? e.cause : e;
  if (cause instanceof NoRespondersError || (e instanceof RequestError && e.isNoResponders())) {
    return new GuildError("bus.no_responders", `no one serves ${subject}`, {
      cause: e,
      details: { subject },
    });
  }
  if (cause instanceof TimeoutError) {
    return new GuildError("bus.timeout", `no reply on ${subject} within ${timeoutMs} ms`, {
      cause: e,
      details: { subject, timeoutMs },
    });
  }
  return new GuildError("bus.unavailable", `request on ${subject} failed`, {
    cause: e,
    details: { subject },
  });
}
