// The coordinator as its own process on a cluster: NATS_URL (every node), NATS_CREDS, GUILD_NATS_REPLICAS,
// GUILD_TASK_ACK_WAIT_MS, PROPOSAL_ACK_WAIT_MS, GUILD_HOME; prints `ready` once it serves.
import { openBus } from "../../../src/bus/index.js";
import { createLogger } from "../../../src/protocol/index.js";
import { serveCoordinator } from "../../helpers/child-main.js";

const logger = createLogger({ level: "warn" });
const { bus } = await openBus({
  url: process.env.NATS_URL ?? "",
  name: "chaos-coordinator",
  manage: true,
  logger,
});
await serveCoordinator(bus, logger);
