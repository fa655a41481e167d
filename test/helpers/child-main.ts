// What the guild processes tests spawn (spawnGuildProcess) have in common: they say `ready` once they serve
// and stop cleanly on SIGTERM, so a test can tell a clean stop from a kill.
import type { Bus } from "../../src/bus/index.js";
import { guildBinDir } from "../../src/cli/runtime/start-guild.js";
import { Coordinator } from "../../src/coordinator/index.js";
import type { Logger } from "../../src/protocol/index.js";

/** Prints `ready`; on SIGTERM stops `service`, closes `bus` and exits 0. */
export function serveUntilSigterm(service: { stop(): Promise<void> }, bus: { close(): Promise<void> }): void {
  process.stdout.write("ready\n");
  process.once("SIGTERM", () => {
    void service
      .stop()
      .then(() => bus.close())
      .finally(() => process.exit(0));
  });
}

/** Runs a coordinator on `bus` until SIGTERM; PROPOSAL_ACK_WAIT_MS sets how long it waits for a proposal's ack. */
export async function serveCoordinator(bus: Bus, logger: Logger): Promise<void> {
  const coordinator = new Coordinator({
    bus,
    logger,
    extraPath: [guildBinDir()],
    proposalAckWaitMs: Number(process.env.PROPOSAL_ACK_WAIT_MS ?? 60_000),
  });
  await coordinator.start();
  serveUntilSigterm(coordinator, bus);
}
