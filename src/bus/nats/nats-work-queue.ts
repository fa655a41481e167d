import {
  AckPolicy,
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

/** Creates the durable pull consumer (or updates it to these options) and binds a one-at-a-time puller. */
export async function openWorkConsumer<T extends Envelope>(
  nc: NatsConnection,
  js: JetStreamClient,
  queue: QueueName,
  options: WorkConsumerOptions<T>,
  rejections: Rejections,
  append: (event: GuildEvent) => Promise<number>,
  logger?: Logger,
): Promise<WorkConsumer<T>> {
  const stream = queueStream(queue, options.subject);
  const config: Partial<ConsumerConfig> = {
    durable_name: options.durable,
    ack_policy: AckPolicy.Explicit,
    ack_wait: nanos(options.ackWaitMs ?? 30_000),
    max_deliver: options.maxDeliver ?? 5,
    filter_subject: options.subject,
  };
  const jsm = await jetstreamManager(nc);
  try {
    await jsm.consumers.add(stream, config);
  } catch (e) {
    // An existing durable with other settings is brought up to date rather than failing the worker.
    if (!(e instanceof JetStreamApiError)) throw e;
    const { durable_name: _d, ...update } = config;
    await jsm.consumers.update(stream, options.durable, update);
  }
  const consumer = await js.consumers.get(stream, options.durable);
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
  return new NatsWorkConsumer(consumer, options.schema, rejections, onRestart, logger);
}
