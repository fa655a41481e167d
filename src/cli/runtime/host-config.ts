import { existsSync, readFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { parseDocument } from "yaml";
import type { z } from "zod";
import { BUILT_IN_HOST, type HostSetting } from "../../agents/index.js";
import { guildHome } from "../../git/index.js";
import { loadGuildConfig } from "../../ownership/index.js";
import { GuildError, HostConfig, hostConfigFromGuild } from "../../protocol/index.js";

/** `--config`'s help, shared by `guild up` and `guild agent`. */
export const HOST_CONFIG_HELP =
  "host config: what this host's agents may run (default GUILD_HOME/host.yaml, else ./guild.yaml as it is now)";

/** The file name of a host config in the guild home. */
export const HOST_CONFIG_FILE = "host.yaml";

export interface HostConfigChoice {
  /** `--config FILE`: a host config, or a guild.yaml (told apart by the name `guild.yaml`). */
  file?: string | undefined;
  /** The checkout the process starts in: its guild.yaml, as it is now, is the host config when no file is. */
  checkout: string;
  /** The process's guild home (default `GUILD_HOME`, see `guildHome`). */
  home?: string | undefined;
  env?: NodeJS.ProcessEnv;
}

/**
 * Loads this process's host config once, at start: `--config FILE`, else `host.yaml` in the guild home,
 * else the checkout's guild.yaml as it is on disk now, else the built-in brains only. A file that does
 * not parse is a `config.invalid` error (the CLI exits 2).
 * @example loadHostSetting({ checkout: process.cwd() }).source // ".../guild.yaml"
 */
export function loadHostSetting(choice: HostConfigChoice): HostSetting {
  if (choice.file !== undefined) return readHostFile(resolve(choice.file));
  const inHome = join(choice.home ?? guildHome(choice.env), HOST_CONFIG_FILE);
  if (existsSync(inHome)) return readHostFile(inHome);
  const checkout = join(resolve(choice.checkout), "guild.yaml");
  if (existsSync(checkout)) return readHostFile(checkout);
  return BUILT_IN_HOST;
}

function readHostFile(file: string): HostSetting {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (cause) {
    throw new GuildError("config.invalid", `cannot read host config ${file}`, { cause, details: { file } });
  }
  if (basename(file) === "guild.yaml")
    return { config: hostConfigFromGuild(loadGuildConfig(text, file).config), source: file };
  const doc = parseDocument(text, { prettyErrors: false });
  const yamlError = doc.errors[0];
  if (yamlError)
    throw new GuildError("config.invalid", `${file}: ${yamlError.message.split("\n")[0]}`, {
      details: { file, expected: "valid YAML" },
    });
  const parsed = HostConfig.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0] as z.core.$ZodIssue;
    const path = issue.path.map(String).join(".") || "(root)";
    throw new GuildError("config.invalid", `${file}: ${path}: ${issue.message}`, {
      details: { file, path: issue.path.map(String) },
    });
  }
  return { config: parsed.data, source: file };
}
