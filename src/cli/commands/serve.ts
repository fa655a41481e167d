import { resolve } from "node:path";
import type { Command } from "commander";
import { startArbiterService, startPlannerService } from "../../agents/index.js";
import type { ServiceIdentity, Subscription } from "../../bus/index.js";
import { loadOwnership } from "../../ownership/index.js";
import { type BrainConfig, createLogger, GuildError, type Logger, subjects } from "../../protocol/index.js";
import { type Output, processOutput } from "../output.js";
import { type BusConnection, connectBus } from "../runtime/bus-connection.js";
import { stopOnSignal } from "../runtime/stop-on-signal.js";

/** The services `guild serve` runs: each answers one request subject, under the identity of its name. */
export const SERVICES: Record<ServiceIdentity, { subject: string }> = {
  planner: { subject: subjects.planRequest },
  arbiter: { subject: subjects.arbiterRequest },
};

export interface ServeOptions {
  service: string;
  /** The folder whose guild.yaml names the brain; the current one by default. */
  home?: string;
  /** NATS server URL (default NATS_URL, else the one a `guild up` in `home` recorded). */
  natsUrl?: string;
  logger?: Logger;
}

export interface ServeHandle {
  connection: BusConnection;
  stop(): Promise<void>;
}

function isService(name: string): name is ServiceIdentity {
  return Object.hasOwn(SERVICES, name);
}

type LlmBrain = Extract<BrainConfig, { kind: "openai" | "anthropic" }>;

/** The LLM brain guild.yaml in `home` gives the service; none, or one that is no LLM, is `config.invalid`. */
async function brainOf(service: ServiceIdentity, home: string): Promise<LlmBrain> {
  const { config } = await loadOwnership({ repoDir: home });
  const brain = service === "planner" ? config.planner : config.arbiter;
  if (brain !== undefined && brain !== "rules" && (brain.kind === "openai" || brain.kind === "anthropic")) {
    return brain;
  }
  throw new GuildError(
    "config.invalid",
    `guild.yaml in ${home} sets no LLM ${service} (${service}: { kind: openai|anthropic, model: … })`,
    { details: { setting: service, value: typeof brain === "object" ? brain.kind : (brain ?? "none") } },
  );
}

/**
 * `guild serve planner|arbiter`: one LLM service in a process of its own, so it can run under its own
 * identity (`--creds planner.nk`), which lets it answer its requests and do nothing else on the bus. The
 * brain is guild.yaml's `planner` or `arbiter`; its API key comes from this process's environment.
 */
export async function runServe(options: ServeOptions, output: Output = processOutput): Promise<ServeHandle> {
  const { service } = options;
  if (!isService(service)) {
    throw new GuildError("config.invalid", `guild serve: no service ${service} (planner or arbiter)`, {
      details: { setting: "service", value: service },
    });
  }
  const home = resolve(options.home ?? process.cwd());
  // The brain is checked before connecting: a folder without one stops the command at once (exit 2).
  const brainConfig = await brainOf(service, home);
  const logger = options.logger ?? createLogger({ name: `guild-${service}` });
  const connection = await connectBus({
    home,
    startServer: false,
    logger,
    ...(options.natsUrl ? { natsUrl: options.natsUrl } : {}),
  });
  let served: Subscription;
  try {
    served =
      service === "planner"
        ? await startPlannerService(connection.bus, { brainConfig, logger })
        : await startArbiterService(connection.bus, { brainConfig, logger });
  } catch (e) {
    await connection.close();
    throw e;
  }
  output.err(`${service} serving ${SERVICES[service].subject} with ${brainConfig.kind}:${brainConfig.model}`);
  return {
    connection,
    async stop() {
      await served.unsubscribe();
      await connection.close();
    },
  };
}

export function registerServeCommand(program: Command): void {
  program
    .command("serve")
    .description(
      "run the LLM planner or arbiter that guild.yaml configures, alone (NATS_URL names the server; --creds its identity)",
    )
    .argument("<service>", "planner or arbiter")
    .option("--home <dir>", "the folder whose guild.yaml names the brain (default the current one)")
    .option("--nats <url>", "NATS server URL (default NATS_URL)")
    .action(async (service: string, opts: { home?: string; nats?: string }) => {
      const handle = await runServe({
        service,
        ...(opts.home ? { home: opts.home } : {}),
        ...(opts.nats ? { natsUrl: opts.nats } : {}),
      });
      await stopOnSignal(() => handle.stop());
    });
}
