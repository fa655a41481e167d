import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { BUILTIN_ROLES } from "../../agents/index.js";
import { agentIdsOf, writeIdentities } from "../../bus/index.js";
import { loadGuildConfig } from "../../ownership/index.js";
import { GuildError, Token } from "../../protocol/index.js";
import { type Output, processOutput } from "../output.js";

/** How many agent ids each role identity gets when neither `--replicas` nor guild.yaml says more. */
const DEFAULT_REPLICAS = 4;

export interface CredsInitOptions {
  dir: string;
  roles?: string[];
  /** Agent ids per role (`<role>-1` … `<role>-N`); default the largest `replicas` in guild.yaml, at least 4. */
  replicas?: number;
  /** Where a guild.yaml names the roles; the current folder by default. */
  home?: string;
  /** Also a key per agent id (`agent-<role>-<n>`), for replicas run one per process (`guild agent --replica`). */
  replicaKeys?: boolean;
}

function configuredRoles(home: string): { roles: string[]; replicas: number } {
  const file = join(home, "guild.yaml");
  const builtins = Object.keys(BUILTIN_ROLES);
  if (!existsSync(file)) return { roles: builtins, replicas: DEFAULT_REPLICAS };
  const { config } = loadGuildConfig(readFileSync(file, "utf8"), file);
  const roles = [...new Set([...builtins, ...Object.keys(config.roles)])];
  const replicas = Math.max(DEFAULT_REPLICAS, ...Object.values(config.roles).map((r) => r.replicas ?? 1));
  return { roles, replicas };
}

/** `guild creds init`: one nkey per identity and the nats-server authorization config that names them. */
export function runCredsInit(options: CredsInitOptions, output: Output = processOutput): number {
  const configured = configuredRoles(options.home ?? process.cwd());
  const roles = options.roles ?? configured.roles;
  for (const role of roles) {
    if (!Token.safeParse(role).success)
      throw new GuildError("config.invalid", `not a role name: ${role}`, {
        details: { setting: "role", value: role },
      });
  }
  const replicas = options.replicas ?? configured.replicas;
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > 64) {
    throw new GuildError("config.invalid", `--replicas must be between 1 and 64, not ${replicas}`, {
      details: { setting: "--replicas", value: replicas },
    });
  }
  const written = writeIdentities(options.dir, {
    roles,
    replicas,
    ...(options.replicaKeys ? { replicaKeys: true } : {}),
  });
  output.out(`server config: ${written.config}  (nats-server -js -c ${written.config}, or include it)`);
  const roleKeys = new Map(roles.map((role) => [`agent-${role}`, role]));
  for (const [identity, file] of Object.entries(written.files)) {
    const role = roleKeys.get(identity);
    const ids = role
      ? `  agent ids ${agentIdsOf(role, replicas)[0]} … ${role}-${replicas}`
      : identity.startsWith("agent-")
        ? `  agent id ${identity.slice("agent-".length)} alone`
        : "";
    output.out(`${identity.padEnd(18)} ${file}${ids}`);
  }
  output.out("each process: --creds <file> (or NATS_CREDS); the files are mode 0600, keep them so");
  return 0;
}

export function registerCredsCommand(program: Command): void {
  const creds = program.command("creds").description("NATS identities and their server-enforced permissions");
  creds
    .command("init")
    .description(
      "write an nkey per identity (coordinator, operator, watcher, planner, arbiter, agent-<role>) and DIR/nats.conf",
    )
    .requiredOption("--dir <dir>", "where to write them")
    .option(
      "--roles <roles>",
      "comma-separated roles (default: guild.yaml's and the built-in ones)",
      (v: string) =>
        v
          .split(",")
          .map((r) => r.trim())
          .filter(Boolean),
    )
    .option("--replicas <n>", "agent ids per role", (v: string) => Number.parseInt(v, 10))
    .option("--replica-keys", "also a key per agent id, agent-<role>-<n>, for `guild agent --replica <n>`")
    .action((opts: { dir: string; roles?: string[]; replicas?: number; replicaKeys?: boolean }) => {
      process.exitCode = runCredsInit(opts);
    });
}
