import { type IdentityName, type IdentityPlan, NatsBus, writeIdentities } from "../../src/bus/index.js";
import { type NatsServerProcess, startNats } from "./nats.js";
import { tempDir } from "./temp-dir.js";

/** A nats-server that enforces the identities `guild creds init` writes, and connections made with their keys. */
export interface IdentityServer {
  /** Where the keys and the server's config were written. */
  dir: ReturnType<typeof tempDir>;
  written: ReturnType<typeof writeIdentities>;
  server: NatsServerProcess;
  /** A connection as `identity` with its key (`manage` for the coordinator's), closed on dispose. */
  as(identity: IdentityName, manage?: boolean): Promise<NatsBus>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Writes the identities of `plan` into a temp dir and starts a nats-server on their config. Disposing
 * closes every connection `as` made (the last first), stops the server and removes the keys.
 *
 * @example
 * await using ids = await identityServer({ roles: ["docs"], replicas: 1 });
 * const coordinator = await ids.as("coordinator", true);
 */
export async function identityServer(plan: IdentityPlan): Promise<IdentityServer> {
  const dir = tempDir();
  const written = writeIdentities(dir.path, plan);
  const server = await startNats({ configFile: written.config }).catch((e: unknown) => {
    dir[Symbol.dispose]();
    throw e;
  });
  const opened: NatsBus[] = [];
  return {
    dir,
    written,
    server,
    async as(identity, manage = false) {
      const creds = written.files[identity] ?? "";
      const bus = await NatsBus.connect({ url: server.url, creds, name: identity, manage });
      opened.push(bus);
      return bus;
    },
    async [Symbol.asyncDispose]() {
      try {
        for (const bus of opened.reverse()) await bus.close().catch(() => undefined);
      } finally {
        await server[Symbol.asyncDispose]();
        dir[Symbol.dispose]();
      }
    },
  };
}
