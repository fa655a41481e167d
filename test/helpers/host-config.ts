import { join } from "node:path";
import type { HostSetting } from "../../src/agents/index.js";
import type { Bus } from "../../src/bus/index.js";
import { loadHostSetting } from "../../src/cli/runtime/host-config.js";
import {
  type GuildRuntime,
  type GuildRuntimeOptions,
  startGuild,
} from "../../src/cli/runtime/start-guild.js";
import { createLogger } from "../../src/protocol/index.js";

/**
 * The host config of a single-machine user: the repository's own guild.yaml as it is on disk now, as
 * `guild up` in that checkout takes it.
 */
export function checkoutHost(repoDir: string): HostSetting {
  return loadHostSetting({ file: join(repoDir, "guild.yaml"), checkout: repoDir });
}

/**
 * startGuild as `guild up` in the checkout `repoDir` runs it (that guild.yaml as its host config), logging
 * nothing; `options` choose the roles and the rest.
 */
export function startCheckoutGuild(
  bus: Bus,
  repoDir: string,
  options: Omit<GuildRuntimeOptions, "bus" | "host" | "logger">,
): Promise<GuildRuntime> {
  return startGuild({
    bus,
    host: checkoutHost(repoDir),
    logger: createLogger({ level: "silent" }),
    ...options,
  });
}
