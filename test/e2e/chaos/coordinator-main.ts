// The coordinator as its own process on a cluster: NATS_URL (every node), NATS_CREDS, GUILD_NATS_REPLICAS,
// GUILD_TASK_ACK_WAIT_MS, PROPOSAL_ACK_WAIT_MS, GUILD_HOME; prints `ready` once it serves.
import { openBus } from "../../../src/bus/index.js";
import { guildBinDir } from "../../../src/cli/runtime/start-guild.js";
import { Coordinator } from "../../../src/coordinator/index.js";
import { createLogger } from "../../../src/protocol/index.js";

const logger = createLogger({ level: "warn" });
const { bus } = await openBus({
  url: process.env.NATS_URL ?? "",
  name: "chaos-coordinator",
  manage: true,
  logger,
});
const coordinator = new Coordinator({
  bus,
  logger,
  extraPath: [guildBinDir()],
  proposalAckWaitMs: Number(process.env.PROPOSAL_ACK_WAIT_MS ?? 60_000),
});
await coordinator.start();
process.stdout.write("ready\n");
process.once("SIGTERM", () => {
  void coordinator
    .stop()
    .then(() => bus.close())
    .finally(() => process.exit(0));
});
