import { accessSync, constants } from "node:fs";
import { join } from "node:path";
import { GuildError, type Logger } from "../protocol/index.js";
import { MemoryBus } from "./memory/memory-bus.js";
import { NatsBus } from "./nats/nats-bus.js";
import { findNatsServer } from "./nats-binary.js";
import { NatsServerProcess } from "./nats-launcher.js";
import type { Bus } from "./types.js";

export interface OpenBusOptions {
  /** NATS server to use; defaults to `NATS_URL`. */
  url?: string;
  /** Use the in-process bus, no NATS at all. */
  memory?: boolean;
  /** Store of a locally started nats-server; `<cwd>/.guild/nats` by default. */
  storeDir?: string;
  logger?: Logger;
  /** Connection name shown by the server. */
  name?: string;
  /** Replicas for streams and buckets; `GUILD_NATS_REPLICAS` or 1 (use 3 on a three-node cluster). */
  replicas?: number;
  /** The nats-server binary to start; found on PATH (see `findNatsServer`) when omitted. */
  natsServerBinary?: string;
  /** Credentials file for `url`; defaults to `NATS_CREDS`. */
  creds?: string;
  /** Whether this process provisions streams and consumers (see `NatsBusOptions.manage`). */
  manage?: boolean;
}

export interface OpenedBus {
  bus: Bus;
  /** The nats-server this call started, which the caller stops when done. */
  server?: NatsServerProcess;
  /** One line for the user when guild fell back to something they may not expect. */
  notice?: string;
}

/**
 * Replicas for streams, buckets and the object store: 1 (one server) unless set; JetStream allows 1 to 5.
 * A value that is not one of those is refused rather than left to the server's default.
 */
export function replicasOf(value: number | string | undefined): number {
  if (value === undefined || value === "") return 1;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 5) {
    throw new GuildError(
      "config.invalid",
      `NATS replicas (GUILD_NATS_REPLICAS) must be 1 to 5, not ${value}`,
    );
  }
  return n;
}

/** Opens the bus: NATS at `url`/`NATS_URL`, else a nats-server started here, else (no binary) the memory bus. */
export async function openBus(options: OpenBusOptions = {}): Promise<OpenedBus> {
  const logger = options.logger;
  if (options.memory) return { bus: new MemoryBus(logger ? { logger } : {}) };
  const name = options.name ?? "guild";
  const url = options.url ?? process.env.NATS_URL;
  if (url) {
    const replicas = replicasOf(options.replicas ?? process.env.GUILD_NATS_REPLICAS);
    const creds = options.creds ?? (process.env.NATS_CREDS || undefined);
    const ackWait = Number(process.env.GUILD_TASK_ACK_WAIT_MS ?? 0);
    const bus = await NatsBus.connect({
      url,
      name,
      replicas,
      ...(creds ? { creds } : {}),
      ...(options.manage === undefined ? {} : { manage: options.manage }),
      ...(ackWait > 0 ? { taskAckWaitMs: ackWait } : {}),
      ...(logger ? { logger } : {}),
    });
    return { bus };
  }
  let binary: string;
  try {
    binary = options.natsServerBinary ?? findNatsServer();
    accessSync(binary, constants.X_OK);
  } catch {
    return {
      bus: new MemoryBus(logger ? { logger } : {}),
      notice:
        "nats-server not found and NATS_URL not set: using the in-process memory bus (nothing is durable).",
    };
  }
  const storeDir = options.storeDir ?? join(process.cwd(), ".guild", "nats");
  const server = await NatsServerProcess.start({ storeDir, binary });
  try {
    const bus = await NatsBus.connect({ url: server.url, name, ...(logger ? { logger } : {}) });
    return { bus, server, notice: `started nats-server at ${server.url} (store ${storeDir})` };
  } catch (e) {
    await server.stop();
    throw e;
  }
}
