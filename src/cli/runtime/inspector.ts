import { createWebSocketInspector } from "@statelyai/inspect";
import type { InspectionEvent, Observer } from "xstate";
import { GuildError } from "../../protocol/index.js";

/** An XState inspector sending the machines' events to a WebSocket inspector server. */
export interface MachineInspector {
  inspect: Observer<InspectionEvent>;
  stop(): void;
}

/** The inspector URL from `--inspect`, else GUILD_INSPECT; undefined means no inspection. */
export function inspectUrlOf(flag: string | undefined): string | undefined {
  return flag ?? (process.env.GUILD_INSPECT || undefined);
}

/**
 * Connects to a WebSocket inspector (Stately's `@statelyai/inspect/server`, or any client of its
 * protocol); events are buffered until it connects and it reconnects if the server goes away.
 */
export function startInspector(url: string): MachineInspector {
  // The WebSocket constructor throws on a malformed URL; refuse it here with a message instead.
  if (!URL.canParse(url) || !["ws:", "wss:"].includes(new URL(url).protocol)) {
    throw new GuildError("config.invalid", `--inspect needs a ws:// or wss:// URL, got "${url}"`, {
      details: { setting: "--inspect", value: url },
    });
  }
  const inspector = createWebSocketInspector({ url });
  return { inspect: inspector.inspect, stop: () => inspector.stop() };
}
