import type { Command } from "commander";
import type { Bus } from "../../bus/index.js";
import { type Dashboard, startDashboard } from "../../dashboard/index.js";
import { createLogger } from "../../protocol/index.js";
import { type Output, processOutput } from "../output.js";
import { connectBus } from "../runtime/bus-connection.js";
import { localRepoAccess } from "../runtime/local-repo-access.js";

export interface DashboardCommandOptions {
  host?: string;
  port?: number;
  /** A fixed token; default `GUILD_DASHBOARD_TOKEN`, else a random one per start. */
  token?: string;
  readOnly?: boolean;
}

/** Starts the dashboard on `bus` and prints its URL (the token is in it). */
export async function runDashboard(
  bus: Bus,
  options: DashboardCommandOptions,
  output: Output,
): Promise<Dashboard> {
  const token = options.token ?? process.env.GUILD_DASHBOARD_TOKEN;
  const dashboard = await startDashboard({
    bus,
    repo: localRepoAccess,
    logger: createLogger({
      name: "dashboard",
      destination: process.stderr,
      level: process.env.GUILD_LOG_LEVEL ?? "warn",
    }),
    ...(options.host ? { host: options.host } : {}),
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(token ? { token } : {}),
    ...(options.readOnly ? { readOnly: true } : {}),
  });
  output.err(`dashboard${options.readOnly ? " (read-only)" : ""}: ${dashboard.url}`);
  return dashboard;
}

export function registerDashboardCommand(program: Command): void {
  program
    .command("dashboard")
    .description("serve the live dashboard in the browser: goals, task graphs, diffs, decisions, agents")
    .option("--host <host>", "interface to listen on", "127.0.0.1")
    .option("--port <n>", "port (default: a free one)", (v: string) => Number.parseInt(v, 10))
    .option("--token <token>", "a fixed access token (default GUILD_DASHBOARD_TOKEN, else random)")
    .option("--read-only", "serve the views only; approve, reject and tell are refused")
    .action(async (opts: DashboardCommandOptions) => {
      const connection = await connectBus({});
      const dashboard = await runDashboard(connection.bus, opts, processOutput);
      await new Promise<void>((resolve) => {
        process.once("SIGINT", resolve);
        process.once("SIGTERM", resolve);
      });
      await dashboard.close();
      await connection.close();
    });
}
