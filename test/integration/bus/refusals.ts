import type { NatsConnection } from "@nats-io/transport-node";
import { expect } from "vitest";

/** Publishes as a request, so the server's permission error comes back to this call instead of the log. */
export async function publishRefused(nc: NatsConnection, subject: string, data = "{}"): Promise<void> {
  const error = await nc.request(subject, data, { timeout: 5000 }).then(
    () => new Error(`the server let ${subject} through`),
    (e: unknown) => e as Error,
  );
  expect(`${error.message} ${String(error.cause ?? "")}`).toContain(
    `Permissions Violation for Publish to "${subject}"`,
  );
}

/** Subscribes (in `queue`, if given) and expects the server to close the subscription for permissions. */
export async function subscribeRefused(nc: NatsConnection, subject: string, queue?: string): Promise<void> {
  const sub = nc.subscribe(subject, queue === undefined ? {} : { queue });
  const closed = await Promise.race([
    sub.closed.then((e) => e),
    new Promise((resolve) => setTimeout(() => resolve(new Error("still subscribed")), 5000)),
  ]);
  const shown = queue === undefined ? `"${subject}"` : `"${subject}" using queue "${queue}"`;
  expect(String(closed)).toContain(`Permissions Violation for Subscription to ${shown}`);
}
