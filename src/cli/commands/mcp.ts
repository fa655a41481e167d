import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import type { Command } from "commander";
import type { Bus } from "../../bus/index.js";
import { createLogger } from "../../protocol/index.js";
import { createGuildMcpServer } from "../mcp/guild-tools.js";
import { type BusConnection, connectBus } from "../runtime/bus-connection.js";

/**
 * `guild mcp`: serves the guild's tools over MCP on stdin/stdout until the client closes it. The bus is
 * connected on the first tool call (and again after a failed attempt), so a client may start it first.
 */
export async function runMcpServer(options: {
  natsUrl?: string;
  home?: string;
  version: string;
}): Promise<void> {
  // stdout carries the protocol: logs go to stderr.
  const logger = createLogger({ name: "guild-mcp", level: "warn", destination: process.stderr });
  let connecting: Promise<BusConnection> | undefined;
  const busOf = async (): Promise<Bus> => {
    connecting ??= connectBus({
      logger,
      ...(options.natsUrl ? { natsUrl: options.natsUrl } : {}),
      ...(options.home ? { home: options.home } : {}),
    });
    try {
      return (await connecting).bus;
    } catch (error) {
      connecting = undefined;
      throw error;
    }
  };
  const server = createGuildMcpServer(busOf, options.version);
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = resolve;
    process.stdin.once("end", resolve);
  });
  await server.connect(transport);
  await closed;
  await server.close();
  const connection = await connecting?.catch(() => undefined);
  await connection?.close();
}

export function registerMcpCommand(program: Command): void {
  program
    .command("mcp")
    .description(
      "serve this guild's tools over MCP on stdio, for Claude Code, Codex, Cursor and other MCP clients",
    )
    .option("--nats <url>", "the NATS server of the guild (default NATS_URL, else .guild/nats.url here)")
    .option("--home <dir>", "the folder whose .guild/nats.url names the guild (default the current one)")
    .action((opts: { nats?: string; home?: string }) =>
      runMcpServer({
        version: program.version() ?? "0.1.0",
        ...(opts.nats ? { natsUrl: opts.nats } : {}),
        ...(opts.home ? { home: opts.home } : {}),
      }),
    );
}
