import { resolve } from "node:path";
import type { Command } from "commander";
import { loadOwnership } from "../../ownership/index.js";
import { createLogger, GuildError } from "../../protocol/index.js";
import { describeSandbox } from "../../sandbox/index.js";
import { processOutput } from "../output.js";
import { connectBus } from "../runtime/bus-connection.js";
import { HOST_CONFIG_HELP, loadHostSetting } from "../runtime/host-config.js";
import { inspectUrlOf } from "../runtime/inspector.js";
import { startGuild } from "../runtime/start-guild.js";
import { stopOnSignal } from "../runtime/stop-on-signal.js";

const INSPECT_HELP = "send the machines' XState inspection events there (default GUILD_INSPECT)";

/** `guild coordinator` and `guild agent --role R`: the separate processes of a multi-machine deployment. */
export function registerProcessCommands(program: Command): void {
  program
    .command("coordinator")
    .description("run only the coordinator (NATS_URL names the server)")
    .option("--inspect <ws-url>", INSPECT_HELP)
    .action(async (opts: { inspect?: string }) => {
      const logger = createLogger({ name: "guild-coordinator" });
      const connection = await connectBus({ startServer: false, manage: true, logger });
      // The scheduled goals of this checkout's guild.yaml run against it.
      const { config } = await loadOwnership({ repoDir: process.cwd() });
      const schedules = { repo: process.cwd(), schedules: config.schedules };
      const inspectUrl = inspectUrlOf(opts.inspect);
      const runtime = await startGuild({
        bus: connection.bus,
        logger,
        roles: [],
        schedules,
        ...(inspectUrl ? { inspectUrl } : {}),
      });
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
    .option(
      "--replica <n>",
      "run the one agent <role>-<n> (with its own key, agent-<role>-<n>, from `creds init --replica-keys`)",
      (v: string) => Number.parseInt(v, 10),
    )
    .option("--inspect <ws-url>", INSPECT_HELP)
    .option("--config <file>", HOST_CONFIG_HELP)
    .option("--home <dir>", "keep mirrors of the repositories worked on here (default the guild home)")
    .action(
      async (opts: {
        role: string;
        replicas: number;
        replica?: number;
        inspect?: string;
        config?: string;
        home?: string;
      }) => {
        if (opts.replica !== undefined && (!Number.isInteger(opts.replica) || opts.replica < 1)) {
          throw new GuildError("config.invalid", `--replica must be a number from 1, not ${opts.replica}`, {
            details: { setting: "--replica", value: String(opts.replica) },
          });
        }
        // Loaded once, before connecting: a bad host config stops the agent at once (exit 2).
        const host = loadHostSetting({
          file: opts.config,
          checkout: process.cwd(),
          ...(opts.home ? { home: resolve(opts.home) } : {}),
        });
        const logger = createLogger({ name: `guild-agent-${opts.role}` });
        const connection = await connectBus({ startServer: false, logger });
        const inspectUrl = inspectUrlOf(opts.inspect);
        const runtime = await startGuild({
          bus: connection.bus,
          logger,
          roles: [opts.role],
          ...(inspectUrl ? { inspectUrl } : {}),
          ...(opts.replica === undefined
            ? { replicas: opts.replicas }
            : { replicas: 1, firstReplica: opts.replica }),
          coordinator: false,
          host,
          ...(opts.home ? { home: resolve(opts.home) } : {}),
        });
        processOutput.err(`${runtime.agents.map((a) => a.agentId).join(", ")} running`);
        processOutput.err(describeSandbox("bubblewrap"));
        processOutput.err(`host config: ${host.source}`);
        await stopOnSignal(async () => {
          await runtime.stop();
          await connection.close();
        });
      },
    );
}
