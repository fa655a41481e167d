import { BUILTIN_ROLES } from "../../src/agents/index.js";
import { NatsBus, writeIdentities } from "../../src/bus/index.js";
import { type GuildRuntime, startGuild } from "../../src/cli/runtime/start-guild.js";
import { createLogger } from "../../src/protocol/index.js";
import { demoRepo } from "../helpers/demo-repo.js";
import { checkoutHost } from "../helpers/host-config.js";
import { startNats } from "../helpers/nats.js";
import { tempDir } from "../helpers/temp-dir.js";

/**
 * The demo app and a nats-server that enforces guild's identities (a key for the coordinator, the operator
 * and each built-in role); every part connects with its own key. Disposing stops every runtime started
 * here, closes every connection, then removes the server, the repository and the keys.
 */
export async function identityGuild() {
  const dir = tempDir();
  const roles = Object.keys(BUILTIN_ROLES);
  const written = writeIdentities(dir.path, { roles, replicas: 1 });
  const server = await startNats({ configFile: written.config }).catch((e: unknown) => {
    dir[Symbol.dispose]();
    throw e;
  });
  const repo = demoRepo();
  const logger = createLogger({ level: "silent" });
  const buses: NatsBus[] = [];
  const runtimes: GuildRuntime[] = [];
  const connect = async (identity: string, manage = false) => {
    const bus = await NatsBus.connect({
      url: server.url,
      creds: written.files[identity as "operator"],
      name: identity,
      manage,
    });
    buses.push(bus);
    return bus;
  };
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
        for (const bus of buses) await bus.close();
      } finally {
        repo[Symbol.dispose]();
        await server[Symbol.asyncDispose]();
        dir[Symbol.dispose]();
      }
    },
  };
}
