import { type NatsLaunchOptions, NatsServerProcess } from "../../src/bus/nats-launcher.js";

/**
 * Starts a throwaway nats-server with JetStream on a random port and a temp store.
 * Use with `await using server = await startNats()`; it is killed and its store removed on dispose.
 * When GUILD_TEST_CONTAINERS=1 and a Docker engine is reachable, `startNatsContainer` is the alternative.
 */
export function startNats(options: NatsLaunchOptions = {}): Promise<NatsServerProcess> {
  return NatsServerProcess.start(options);
}

export type { NatsServerProcess };
