import { join } from "node:path";
import type { HostSetting } from "../../src/agents/index.js";
import { loadHostSetting } from "../../src/cli/runtime/host-config.js";

/**
 * The host config of a single-machine user: the repository's own guild.yaml as it is on disk now, as
 * `guild up` in that checkout takes it.
 */
export function checkoutHost(repoDir: string): HostSetting {
  return loadHostSetting({ file: join(repoDir, "guild.yaml"), checkout: repoDir });
}
