import type { Context } from "hono";
import { streamSSE } from "hono/streaming";
import type { Bus, Subscription } from "../bus/index.js";
import type { Logger } from "../protocol/index.js";

/** Where a feed starts: after the `Last-Event-ID` a reconnecting EventSource sends, else `?after=`, else 0. */
export function feedStart(lastEventId: string | undefined, after: string | undefined): number {
  for (const raw of [lastEventId, after]) {
    if (raw !== undefined && /^\d+$/.test(raw)) return Number(raw);
  }
  return 0;
}

const KEEPALIVE_MS = 15_000;

/**
 * The live feed: the `GUILD_EVENTS` log as Server-Sent Events, each with its stream sequence as the event
 * id, so a browser that reconnects (a reload, a dashboard restart) resumes right after the last one it got.
 * Writes are awaited, so a slow page holds back the log's consumer instead of growing a buffer here.
 */
export function eventFeed(c: Context, bus: Bus, logger: Logger | undefined): Response {
  const after = feedStart(c.req.header("last-event-id"), c.req.query("after"));
  return streamSSE(c, async (stream) => {
    let sub: Subscription | undefined;
    const closed = new Promise<void>((resolve) => stream.onAbort(resolve));
    const keepalive = setInterval(() => {
      void stream.write(": keepalive\n\n").catch(() => undefined);
    }, KEEPALIVE_MS);
    try {
      await stream.writeSSE({ event: "hello", data: JSON.stringify({ after }), retry: 1000 });
      sub = await bus.events.follow({ fromSeq: after + 1 }, async (event, meta) => {
        if (stream.aborted || meta.seq === undefined) return;
        await stream.writeSSE({ id: String(meta.seq), event: "guild", data: JSON.stringify(event) });
      });
      await closed;
    } catch (error) {
      logger?.warn({ err: error }, "dashboard event feed ended");
    } finally {
      clearInterval(keepalive);
      await sub?.unsubscribe().catch(() => undefined);
    }
  });
}
