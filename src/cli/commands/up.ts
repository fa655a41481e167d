import { resolve } from "node:path";
import type { Command } from "commander";
import { plannerKind } from "../../coordinator/index.js";
import { GitSpawner, setGitRunner } from "../../git/index.js";
import { loadOwnership } from "../../ownership/index.js";
import { createLogger, type GuildEvent } from "../../protocol/index.js";
import { describeSandbox } from "../../sandbox/index.js";
import { formatEvent } from "../event-format.js";
import { type Output, processOutput } from "../output.js";
import { type BusConnection, connectBus } from "../runtime/bus-connection.js";
import { configuredRoles } from "../runtime/configured-roles.js";
import { HOST_CONFIG_HELP, loadHostSetting } from "../runtime/host-config.js";
import { inspectUrlOf } from "../runtime/inspector.js";
import { type GuildRuntime, startGuild } from "../runtime/start-guild.js";
import { stopOnSignal } from "../runtime/stop-on-signal.js";
import { type DashboardCommandOptions, runDashboard } from "./dashboard.js";

export interface UpOptions {
  bus?: "nats" | "memory";
  natsUrl?: string;
  roles?: string[];
  replicas?: number;
  /** Print the event stream (default true). */
  events?: boolean;
  home?: string;
  /** Start a dashboard too (the `guild up` command does unless `--no-dashboard`). */
  dashboard?: DashboardCommandOptions;
  /** WebSocket URL of an XState inspector for the machines (default GUILD_INSPECT; none without). */
  inspect?: string;
  /** The host config file (what the agents may run); default the home's host.yaml, else this checkout's guild.yaml. */
  config?: string;
}

export interface UpHandle {
  connection: BusConnection;
  runtime: GuildRuntime;
  stop(): Promise<void>;
}

/** `guild up`: the coordinator, one agent per role and an event printer, in one process. */
export async function runUp(options: UpOptions, output: Output = processOutput): Promise<UpHandle> {
  // What the agents may run is fixed now, from this host's files, before anything connects.
  const host = loadHostSetting({ file: options.config, checkout: options.home ?? process.cwd() });
  const logger = createLogger({
    name: "guild",
    destination: process.stderr,
    level: process.env.GUILD_LOG_LEVEL ?? "warn",
  });
  const connection = await connectBus({
    ...(options.bus ? { bus: options.bus } : {}),
    ...(options.natsUrl ? { natsUrl: options.natsUrl } : {}),
    ...(options.home ? { home: options.home } : {}),
    startServer: true,
    manage: true,
    logger,
  });
  if (connection.notice) output.err(connection.notice);
  // One process holds the coordinator and every agent: its git runs from a small helper process, since
  // forking this large one blocks its event loop (GUILD_GIT_SPAWNER=0 runs git directly, to compare).
  if (process.env.GUILD_GIT_SPAWNER !== "0") setGitRunner(new GitSpawner());
  // An LLM planner configured in this folder's guild.yaml is served by this process.
  const ownership = await loadOwnership({ repoDir: options.home ?? process.cwd() });
  const { config } = ownership;
  // Without --roles, the roles guild.yaml configures or its rules name (custom roles included).
  const roles = configuredRoles(ownership);
  const inspectUrl = inspectUrlOf(options.inspect);
  const runtime = await startGuild({
    bus: connection.bus,
    logger,
    ...(config.planner !== "rules" && plannerKind(config) === "llm" ? { plannerBrain: config.planner } : {}),
    ...(config.arbiter ? { arbiterBrain: config.arbiter } : {}),
    roles: options.roles ?? [...roles.keys()],
    roleReplicas: roles,
    schedules: { repo: resolve(options.home ?? process.cwd()), schedules: config.schedules },
    ...(options.replicas ? { replicas: options.replicas } : {}),
    ...(inspectUrl ? { inspectUrl } : {}),
    host,
  });
  const printer =
    options.events === false
      ? undefined
      : await connection.bus.events.follow({ fromTime: new Date() }, (event: GuildEvent) => {
          if (event.type !== "agent.step") output.out(formatEvent(event, output.color));
        });
  const dashboard = options.dashboard
    ? await runDashboard(connection.bus, options.dashboard, output)
    : undefined;
  output.err(
    `guild is up: coordinator + ${runtime.agents.map((a) => a.agentId).join(", ")} on the ${connection.bus.kind} bus`,
  );
  output.err(describeSandbox(config.sandbox === "none" ? "none" : "bubblewrap"));
  output.err(`host config: ${host.source}`);
  const unconfined = Object.entries(config.roles).filter(([, r]) => r.sandbox === "none");
  if (inspectUrl) output.err(`inspect: the machines' XState events go to ${inspectUrl}`);
  if (unconfined.length > 0) output.err(`sandbox: none for ${unconfined.map(([name]) => name).join(", ")}`);
  return {
    connection,
    runtime,
    async stop() {
      await printer?.unsubscribe();
      await dashboard?.close();
      await runtime.stop();
      await connection.close();
    },
  };
}

interface UpCommandOptions {
  bus: "nats" | "memory";
  nats?: string;
  roles?: string[];
  replicas?: number;
  dashboard: boolean;
  dashboardPort?: number;
  inspect?: string;
  config?: string;
}

export function registerUpCommand(program: Command): void {
  program
    .command("up")
    .description(
      "run the coordinator, one agent per role, the event printer and the dashboard in one process",
    )
    .option("--bus <kind>", "nats or memory", "nats")
    .option("--nats <url>", "NATS server URL (default NATS_URL, else a nats-server guild starts)")
    .option("--roles <roles>", "comma-separated roles", (v: string) => v.split(","))
    .option("--replicas <n>", "agents per role", (v: string) => Number.parseInt(v, 10))
    .option("--no-dashboard", "do not start the dashboard")
    .option("--dashboard-port <n>", "the dashboard's port", (v: string) => Number.parseInt(v, 10))
    .option("--inspect <ws-url>", "send the machines' XState inspection events there (default GUILD_INSPECT)")
    .option("--config <file>", HOST_CONFIG_HELP)
    .action(async (opts: UpCommandOptions) => {
      const handle = await runUp({
        bus: opts.bus,
        ...(opts.dashboard ? { dashboard: opts.dashboardPort ? { port: opts.dashboardPort } : {} } : {}),
        ...(opts.nats ? { natsUrl: opts.nats } : {}),
        ...(opts.roles ? { roles: opts.roles } : {}),
        ...(opts.replicas ? { replicas: opts.replicas } : {}),
        ...(opts.inspect ? { inspect: opts.inspect } : {}),
        ...(opts.config ? { config: opts.config } : {}),
      });
      await stopOnSignal(() => handle.stop());
    });
}
