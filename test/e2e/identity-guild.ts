import { BUILTIN_ROLES } from "../../src/agents/index.js";
import type { IdentityName, NatsBus } from "../../src/bus/index.js";
import { type GuildRuntime, startGuild } from "../../src/cli/runtime/start-guild.js";
import { createLogger } from "../../src/protocol/index.js";
import { demoRepo } from "../helpers/demo-repo.js";
import { checkoutHost } from "../helpers/host-config.js";
import { identityServer } from "../helpers/identity-server.js";

/**
 * The demo app and a nats-server that enforces guild's identities (a key for the coordinator, the operator
 * and each built-in role; helpers/identity-server.ts); every part connects with its own key. Disposing
 * stops every runtime started here, removes the repository, then closes every connection, stops the server
 * and removes the keys.
 */
export async function identityGuild() {
  const roles = Object.keys(BUILTIN_ROLES);
  const ids = await identityServer({ roles, replicas: 1 });
  const repo = demoRepo();
  const logger = createLogger({ level: "silent" });
  const runtimes: GuildRuntime[] = [];
  const connect = (identity: IdentityName, manage = false) => ids.as(identity, manage);
  return {
    repo,
    /** A connection as `identity` (`operator`, `agent-docs`, …), closed on dispose. */
    connect,
    /** The coordinator on a connection of its own, which it returns. */
    async startCoordinator(): Promise<NatsBus> {
      const bus = await connect("coordinator", true);
      runtimes.push(await startGuild({ bus, logger, roles: [] }));
      return bus;
    },
    /** One agent per built-in role, each on its own connection with its role's key. */
    async startAgents(): Promise<void> {
      for (const role of roles) {
        const bus = await connect(`agent-${role}`);
        const host = checkoutHost(repo.path);
        runtimes.push(await startGuild({ bus, logger, roles: [role], coordinator: false, host }));
      }
    },
    async [Symbol.asyncDispose]() {
      try {
        for (const runtime of runtimes.reverse()) await runtime.stop();
      } finally {
        repo[Symbol.dispose]();
        await ids[Symbol.asyncDispose]();
      }
    },
  };
}
