import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { GuildError } from "../protocol/index.js";

/** Finds the `nats-server` binary on PATH or in /usr/sbin, /usr/local/bin; a clear error says how to install it. */
export function findNatsServer(env: NodeJS.ProcessEnv = process.env): string {
  const dirs = [
    ...(env.PATH ?? "").split(delimiter),
    "/usr/sbin",
    "/usr/local/sbin",
    "/usr/local/bin",
    "/usr/bin",
  ];
  if (env.NATS_SERVER_BIN) dirs.unshift("");
  for (const dir of dirs) {
    const candidate = dir === "" ? (env.NATS_SERVER_BIN as string) : join(dir, "nats-server");
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; keep looking
    }
  }
  throw new GuildError(
    "bus.unavailable",
    "nats-server was not found on PATH or in /usr/sbin. Install it with `apt-get install -y nats-server` " +
      "(Debian/Ubuntu), `brew install nats-server` (macOS), or download it from the NATS releases page, " +
      "or set NATS_SERVER_BIN, or point NATS_URL at a running server.",
  );
}
