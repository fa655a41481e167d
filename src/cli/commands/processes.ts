import type { Command } from "commander";
import { loadOwnership } from "../../ownership/index.js";
import { createLogger } from "../../protocol/index.js";
import { describeSandbox } from "../../sandbox/index.js";
import { processOutput } from "../output.js";
import { connectBus } from "../runtime/bus-connection.js";
import { startGuild } from "../runtime/start-guild.js";
import { stopOnSignal } from "../runtime/stop-on-signal.js";

/** `guild coordinator` and `guild agent --role R`: the separate processes of a multi-machine deployment. */
export function registerProcessCommands(program: Command): void {
  program
    .command("coordinator")
    .description("run only the coordinator (NATS_URL names the server)")
    .action(async () => {
      const logger = createLogger({ name: "guild-coordinator" });
      const connection = await connectBus({ startServer: false, manage: true, logger });
      // The scheduled goals of this checkout's guild.yaml run against it.
      const { config } = await loadOwnership({ repoDir: process.cwd() });
      const schedules = { repo: process.cwd(), schedules: config.schedules };
      const runtime = await startGuild({ bus: connection.bus, logger, roles: [], schedules });
      processOutput.err("coordinator running");
      await stopOnSignal(async () => {
        await runtime.stop();
        await connection.close();
      });
    });
  program
    .command("agent")
    .description("run agents of one role (NATS_URL names the server)")
    .requiredOption("--role <role>", "the role")
    .option("--replicas <n>", "how many", (v: string) => Number.parseInt(v, 10), 1)
    .action(async (opts: { role: string; replicas: number }) => {
      const logger = createLogger({ name: `guild-agent-${opts.role}` });
      const connection = await connectBus({ startServer: false, logger });
      const runtime = await startGuild({
        bus: connection.bus,
        logger,
        roles: [opts.role],
        replicas: opts.replicas,
        coordinator: false,
      });
      processOutput.err(`${runtime.agents.map((a) => a.agentId).join(", ")} running`);
      processOutput.err(describeSandbox("bubblewrap"));
      await stopOnSignal(async () => {
        await runtime.stop();
        await connection.close();
      });
    });
}
