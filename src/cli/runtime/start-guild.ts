import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  BUILTIN_ROLES,
  type HostSetting,
  Specialist,
  startArbiterService,
  startPlannerService,
} from "../../agents/index.js";
import type { Bus, Subscription } from "../../bus/index.js";
import { Coordinator } from "../../coordinator/index.js";
import type { BrainConfig, Logger, ScheduleConfig } from "../../protocol/index.js";
import { startInspector } from "./inspector.js";

/** guild's own `node_modules/.bin`, put on PATH for commands guild runs (e.g. the demo app's `tsx --test`). */
export function guildBinDir(): string {
  return join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "node_modules", ".bin");
}

export interface GuildRuntimeOptions {
  bus: Bus;
  logger: Logger;
  /** Roles to run agents for; default the five built-in ones. */
  roles?: string[];
  /** Agents per role; a role's own count in `roleReplicas` wins. */
  replicas?: number;
  roleReplicas?: ReadonlyMap<string, number>;
  /** The first replica's number (default 1): `guild agent --replica 3` runs `<role>-3` alone. */
  firstReplica?: number;
  coordinator?: boolean;
  ackWaitMs?: number;
  /** Serve `guild.plan.request` with this brain (guild.yaml `planner`, when it is an LLM). */
  plannerBrain?: BrainConfig;
  /** Serve `guild.arbiter.request` with this brain (guild.yaml `arbiter`). */
  arbiterBrain?: BrainConfig;
  /** The host guild.yaml's `schedules`, run by the coordinator against `repo`. */
  schedules?: { repo: string; schedules: ScheduleConfig[] };
  /** Send the goal and specialist machines' XState inspection events to this WebSocket URL. */
  inspectUrl?: string;
  /** What the agents may run (`loadHostSetting`); default the built-in brains only. */
  host?: HostSetting;
  /** The agents' home (`guild agent --home`): their mirrors of repositories not on this disk. */
  home?: string;
}

export interface GuildRuntime {
  coordinator: Coordinator | undefined;
  agents: Specialist[];
  stop(): Promise<void>;
}

/** Starts the coordinator and `replicas` specialists per role on one bus, as `guild up` does. */
export async function startGuild(options: GuildRuntimeOptions): Promise<GuildRuntime> {
  const extraPath = [guildBinDir()];
  const inspector = options.inspectUrl ? startInspector(options.inspectUrl) : undefined;
  const inspect = inspector ? { inspect: inspector.inspect } : {};
  const coordinator =
    options.coordinator === false
      ? undefined
      : new Coordinator({
          bus: options.bus,
          logger: options.logger,
          extraPath,
          ...(options.schedules ? { schedules: options.schedules } : {}),
          ...inspect,
        });
  await coordinator?.start();
  const services: Subscription[] = [];
  if (options.plannerBrain)
    services.push(await startPlannerService(options.bus, { brainConfig: options.plannerBrain }));
  if (options.arbiterBrain)
    services.push(await startArbiterService(options.bus, { brainConfig: options.arbiterBrain }));
  const agents: Specialist[] = [];
  for (const role of options.roles ?? Object.keys(BUILTIN_ROLES)) {
    const first = options.firstReplica ?? 1;
    const count = options.replicas ?? options.roleReplicas?.get(role) ?? 1;
    for (let i = first; i < first + count; i++) {
      const agent = new Specialist({
        bus: options.bus,
        role,
        agentId: `${role}-${i}`,
        logger: options.logger,
        extraPath,
        ...(options.host ? { host: options.host } : {}),
        ...(options.ackWaitMs ? { ackWaitMs: options.ackWaitMs } : {}),
        ...(options.home ? { home: options.home } : {}),
        ...inspect,
      });
      await agent.start();
      agents.push(agent);
    }
  }
  return {
    coordinator,
    agents,
    async stop() {
      await Promise.all(agents.map((a) => a.stop()));
      for (const service of services) await service.unsubscribe();
      await coordinator?.stop();
      inspector?.stop();
    },
  };
}
