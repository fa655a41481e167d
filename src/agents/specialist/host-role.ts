import { readFile } from "node:fs/promises";
import { isAbsolute, join } from "node:path";
import { parse } from "yaml";
import type { Ownership } from "../../ownership/index.js";
import {
  type EffectiveRole,
  GuildError,
  HostConfig,
  hostRoleOf,
  narrow,
  type Refusal,
  type RepoRoleAsk,
} from "../../protocol/index.js";
import { DEFAULT_SANDBOX_LIMITS } from "../../sandbox/index.js";

/** The config this agent process was started with (loaded once), and where it came from. */
export interface HostSetting {
  config: HostConfig;
  /** A file, or a sentence saying there was none. */
  source: string;
}

/** The host of an agent started without one: the built-in brains only, no commands, the default sandbox. */
export const BUILT_IN_HOST: HostSetting = {
  config: HostConfig.parse({}),
  source: "(no host config: built-in brains only)",
};

/**
 * What a goal's guild.yaml (as checked out at its base in `workdir`) asks for `role`: only the fields it
 * writes, since a field left out takes the host's (the parsed config would show its defaults instead).
 */
export async function repoAskOf(ownership: Ownership, role: string, workdir: string): Promise<RepoRoleAsk> {
  const parsed = ownership.config.roles[role];
  const sandbox = parsed?.sandbox ?? ownership.config.sandbox;
  const ask: RepoRoleAsk = sandbox === undefined ? {} : { sandbox };
  if (ownership.format !== "guild.yaml" || parsed === undefined) return ask;
  const file = isAbsolute(ownership.source) ? ownership.source : join(workdir, ownership.source);
  const written = (parse(await readFile(file, "utf8")) as { roles?: Record<string, Record<string, unknown>> })
    ?.roles?.[role];
  return {
    ...ask,
    ...(written?.brain === undefined ? {} : { brain: parsed.brain }),
    ...(written?.allowCommands === undefined ? {} : { allowCommands: parsed.allowCommands }),
    ...(written?.env === undefined || parsed.env === undefined ? {} : { env: parsed.env }),
  };
}

/** The role config this host runs for the goal, or the refusals of what its guild.yaml asked beyond the host. */
export async function hostNarrowedRole(
  host: HostSetting,
  ownership: Ownership,
  role: string,
  workdir: string,
): Promise<{ ok: true; role: EffectiveRole } | { ok: false; refusals: Refusal[] }> {
  return narrow(
    hostRoleOf(host.config, role),
    await repoAskOf(ownership, role, workdir),
    DEFAULT_SANDBOX_LIMITS,
  );
}

/** The task's failure when its guild.yaml asked for more than the host allows; it names every refusal. */
export function refusedError(role: string, host: HostSetting, refusals: readonly Refusal[]): GuildError {
  const what = refusals.map((r) => `${r.asked} (${r.reason})`).join("; ");
  return new GuildError(
    "sandbox.denied",
    `the goal's guild.yaml asks for more than this host allows role ${role} (host config: ${host.source}): ${what}`,
    { details: { role, refusals } },
  );
}
