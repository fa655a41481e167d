// One role's agent as its own process on a cluster: NATS_URL (every node), NATS_CREDS (the role's
// identity), ROLE, GUILD_TASK_ACK_WAIT_MS, GUILD_HOME (its worktrees), HOST_CONFIG (what it may run, as
// `guild agent --config`); prints `ready` once it pulls.
import { setTimeout as sleep } from "node:timers/promises";
import { openBus } from "../../../src/bus/index.js";
import { loadHostSetting } from "../../../src/cli/runtime/host-config.js";
import { startGuild } from "../../../src/cli/runtime/start-guild.js";
import { createLogger } from "../../../src/protocol/index.js";
import { serveUntilSigterm } from "../../helpers/child-main.js";

const role = process.env.ROLE ?? "frontend";
const host = loadHostSetting({
  file: process.env.HOST_CONFIG,
  checkout: process.cwd(),
  home: process.env.GUILD_HOME,
});
const logger = createLogger({ level: "warn" });
// Started beside the coordinator, an agent may find the buckets not provisioned yet: it tries again, as a
// container with `restart: unless-stopped` would.
const deadline = Date.now() + 120_000;
async function open() {
  for (;;) {
    try {
      return await openBus({ url: process.env.NATS_URL ?? "", name: `chaos-agent-${role}`, logger });
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await sleep(500);
    }
  }
}
const { bus } = await open();
const runtime = await startGuild({
  bus,
  logger,
  roles: [role],
  coordinator: false,
  host,
  ackWaitMs: Number(process.env.GUILD_TASK_ACK_WAIT_MS ?? 30_000),
});
serveUntilSigterm(runtime, bus);
