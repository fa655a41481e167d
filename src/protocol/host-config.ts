import { z } from "zod";
import { BrainConfig, type GuildConfig, SandboxConfig } from "./config.js";
import { Token } from "./envelope.js";

/** Environment variable names a host passes on (to a role's commands, or to an external brain). */
const EnvNames = z
  .array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/))
  .max(100)
  .optional();

/**
 * What one host lets a role run: the brains it will build (the first one when a goal's guild.yaml names
 * none), the command prefixes, the sandbox and the environment names. A goal's guild.yaml may only choose
 * among these and narrow them.
 */
export const HostRole = z
  .object({
    brains: z.array(BrainConfig).min(1).max(20).optional(),
    allowCommands: z.array(z.array(z.string()).min(1)).default([]),
    sandbox: SandboxConfig.optional(),
    env: EnvNames,
  })
  .strict();
export type HostRole = z.infer<typeof HostRole>;

/**
 * A host config (`host.yaml` in the guild home, or `--config FILE`): per role what this process may run.
 * Roles it does not name get the built-in brains (offline, scripted), no commands and the default sandbox.
 * @example HostConfig.parse({ roles: { backend: { brains: [{ kind: "claude-code" }], allowCommands: [["npm", "test"]] } } })
 */
export const HostConfig = z
  .object({
    version: z.literal(1).default(1),
    roles: z.record(Token, HostRole).default({}),
    /** The sandbox of every role without its own. */
    sandbox: SandboxConfig.optional(),
  })
  .strict();
export type HostConfig = z.infer<typeof HostConfig>;

/**
 * The host config a guild.yaml on the host's own disk means (the single-machine default): each role's
 * brain, commands, sandbox and environment names, as written there.
 */
export function hostConfigFromGuild(config: Pick<GuildConfig, "roles" | "sandbox">): HostConfig {
  const roles = Object.fromEntries(
    Object.entries(config.roles).map(([name, role]): [string, HostRole] => [
      name,
      {
        brains: [role.brain],
        allowCommands: role.allowCommands,
        ...(role.sandbox === undefined ? {} : { sandbox: role.sandbox }),
        ...(role.env === undefined ? {} : { env: role.env }),
      },
    ]),
  );
  return { version: 1, roles, ...(config.sandbox === undefined ? {} : { sandbox: config.sandbox }) };
}

/** The host's allowance for `role`, its sandbox resolved against the host-wide one (`undefined`: defaults). */
export function hostRoleOf(host: HostConfig, role: string): HostRole {
  const own = host.roles[role];
  const sandbox = own?.sandbox ?? host.sandbox;
  return {
    allowCommands: own?.allowCommands ?? [],
    ...(own?.brains ? { brains: own.brains } : {}),
    ...(sandbox === undefined ? {} : { sandbox }),
    ...(own?.env ? { env: own.env } : {}),
  };
}
