import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Bus, openBus } from "../../bus/index.js";
import { GuildError, type Logger } from "../../protocol/index.js";

export interface BusChoice {
  /** `nats` (NATS_URL, a running `guild up`, else a server guild starts), or `memory` (this process only). */
  bus?: "nats" | "memory";
  natsUrl?: string;
  /** Where `.guild/` lives (the NATS store and the URL file other guild commands read). */
  home?: string;
  /** Start a nats-server when none is reachable (only `guild up` and the demo do). */
  startServer?: boolean;
  /** This process provisions streams and the roles' consumers (the coordinator; see `NatsBusOptions.manage`). */
  manage?: boolean;
  logger?: Logger;
}

export interface BusConnection {
  bus: Bus;
  notice?: string;
  close(): Promise<void>;
}

function urlFile(home: string): string {
  return join(home, ".guild", "nats.url");
}

/**
 * Connects as DESIGN.md says: `NATS_URL`, else the server a running `guild up` recorded in `.guild/nats.url`,
 * else (for `guild up`) a nats-server guild starts itself, else the memory bus with a one-line notice.
 */
export async function connectBus(choice: BusChoice): Promise<BusConnection> {
  const home = choice.home ?? process.cwd();
  if (choice.bus === "memory") {
    const { bus } = await openBus({ memory: true, ...(choice.logger ? { logger: choice.logger } : {}) });
    return { bus, close: () => bus.close() };
  }
  const recorded = existsSync(urlFile(home)) ? readFileSync(urlFile(home), "utf8").trim() : undefined;
  const url = choice.natsUrl ?? process.env.NATS_URL ?? recorded;
  if (url || choice.startServer) {
    const open = (at: string | undefined) =>
      openBus({
        ...(at ? { url: at } : { storeDir: join(home, ".guild", "nats") }),
        ...(choice.manage === undefined ? {} : { manage: choice.manage }),
        ...(choice.logger ? { logger: choice.logger } : {}),
      });
    let opened: Awaited<ReturnType<typeof openBus>>;
    try {
      opened = await open(url);
    } catch (error) {
      // A URL file left by a `guild up` that died: start afresh instead of failing.
      if (!(choice.startServer && url === recorded && !choice.natsUrl && !process.env.NATS_URL)) throw error;
      rmSync(urlFile(home), { force: true });
      opened = await open(undefined);
    }
    const started = opened.server;
    if (started) {
      mkdirSync(join(home, ".guild"), { recursive: true });
      writeFileSync(urlFile(home), `${started.url}\n`);
    }
    return {
      bus: opened.bus,
      ...(opened.notice ? { notice: opened.notice } : {}),
      async close() {
        await opened.bus.close();
        if (started) {
          rmSync(urlFile(home), { force: true });
          await started.stop();
        }
      },
    };
  }
  throw new GuildError(
    "bus.unavailable",
    "no guild is running here: start `guild up` in this folder first, or set NATS_URL to the NATS server guild uses",
  );
}
