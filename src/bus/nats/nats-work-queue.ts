import {
  AckPolicy,
  type Consumer,
  type ConsumerConfig,
  JetStreamApiError,
  type JetStreamClient,
  jetstreamManager,
} from "@nats-io/jetstream";
import { type NatsConnection, nanos } from "@nats-io/transport-node";
import { type Envelope, type GuildEvent, type Logger, makeEnvelope, NO_GOAL } from "../../protocol/index.js";
import { queueStream } from "../queues.js";
import type { Rejections } from "../rejections.js";
import type { QueueName, WorkConsumer, WorkConsumerOptions } from "../types.js";
import { NatsWorkConsumer } from "./nats-work-consumer.js";

/** JetStream's "consumer not found": the durable is not there (yet). */
const CONSUMER_NOT_FOUND = 10014;
/** JetStream's "stream not found": the coordinator has not provisioned the server (yet). */
const STREAM_NOT_FOUND = 10059;

function consumerConfig(
  options: Pick<WorkConsumerOptions<Envelope>, "durable" | "subject" | "ackWaitMs" | "maxDeliver">,
): Partial<ConsumerConfig> {
  return {
    durable_name: options.durable,
    ack_policy: AckPolicy.Explicit,
    ack_wait: nanos(options.ackWaitMs ?? 30_000),
    max_deliver: options.maxDeliver ?? 5,
    filter_subject: options.subject,
  };
}

/** Creates a durable pull consumer unless it exists (then it is left as it is). */
export async function ensureWorkConsumer(
  nc: NatsConnection,
  queue: QueueName,
  options: Pick<WorkConsumerOptions<Envelope>, "durable" | "subject" | "ackWaitMs" | "maxDeliver">,
): Promise<void> {
  const stream = queueStream(queue, options.subject);
  const jsm = await jetstreamManager(nc);
  try {
    await jsm.consumers.info(stream, options.durable);
  } catch (e) {
    if (!(e instanceof JetStreamApiError) || e.code !== CONSUMER_NOT_FOUND) throw e;
    await jsm.consumers.add(stream, consumerConfig(options)).catch((error: unknown) => {
      // Another process created it between the two calls.
      if (!(error instanceof JetStreamApiError)) throw error;
    });
  }
}

/**
 * Binds a one-at-a-time puller to a durable pull consumer. A manager creates the durable (or updates it to
 * these options); with `bindOnly` (an identity that may not create consumers) the durable is looked up, and
 * waited for until the coordinator has made it.
 */
export async function openWorkConsumer<T extends Envelope>(
  nc: NatsConnection,
  js: JetStreamClient,
  queue: QueueName,
  options: WorkConsumerOptions<T> & { bindOnly?: boolean },
  rejections: Rejections,
  append: (event: GuildEvent) => Promise<number | undefined>,
  logger?: Logger,
): Promise<WorkConsumer<T>> {
  const stream = queueStream(queue, options.subject);
  if (!options.bindOnly) {
    const config = consumerConfig(options);
    const jsm = await jetstreamManager(nc);
    try {
      await jsm.consumers.add(stream, config);
    } catch (e) {
      // An existing durable with other settings is brought up to date rather than failing the worker.
      if (!(e instanceof JetStreamApiError)) throw e;
      const { durable_name: _d, ...update } = config;
      await jsm.consumers.update(stream, options.durable, update);
    }
  }
  // A failed pull (reconnect, missed heartbeats) is recorded once per streak, as docs/ARCHITECTURE.md's NATS notes ask.
  const onRestart = (reason: string) => {
    const event = makeEnvelope({
      type: "bus.consumer.restarted",
      source: "bus",
      goalId: NO_GOAL,
      payload: { consumer: options.durable, reason: reason.slice(0, 500) },
    }) as GuildEvent;
    append(event).catch((e: unknown) => logger?.warn({ err: e }, "could not record bus.consumer.restarted"));
  };
  let waiting = false;
  const bind = async (): Promise<Consumer | null> => {
    try {
      return await js.consumers.get(stream, options.durable);
    } catch (e) {
      const absent =
        e instanceof JetStreamApiError && (e.code === CONSUMER_NOT_FOUND || e.code === STREAM_NOT_FOUND);
      if (!options.bindOnly || !absent) throw e;
      if (!waiting) logger?.info({ consumer: options.durable }, "waiting for the coordinator to create it");
      waiting = true;
      return null;
    }
  };
  const consumer = await bind();
  return new NatsWorkConsumer(consumer ?? bind, options.schema, rejections, onRestart, logger);
}
