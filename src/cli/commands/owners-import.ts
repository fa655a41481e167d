import { readFile, writeFile } from "node:fs/promises";
import { isAbsolute, join } from "node:path";
import {
  findRulesFile,
  importCodeowners,
  loadGuildConfig,
  parseCodeowners,
  RULES_SEARCH_ORDER,
  withRules,
} from "../../ownership/index.js";
import { GuildConfig, GuildError } from "../../protocol/index.js";
import type { Output } from "../output.js";
import { type OwnersOptions, reportRulesError } from "./owners-common.js";

/** Options of `guild owners import`: `from` is the CODEOWNERS file, `rules` the guild.yaml to write. */
export interface OwnersImportOptions extends OwnersOptions {
  from?: string;
  /** Print the resulting guild.yaml instead of writing it. */
  dryRun?: boolean;
}

/** `guild owners import [CODEOWNERS]`: writes equivalent guild.yaml rules and lists owners it could not map. */
export async function runOwnersImport(options: OwnersImportOptions, output: Output): Promise<number> {
  const resolve = (file: string) => (isAbsolute(file) ? file : join(options.repoDir, file));
  try {
    const from = options.from ?? (await findCodeowners(options.repoDir));
    const target = options.rules ?? "guild.yaml";
    const existing = await readFile(resolve(target), "utf8").catch(() => undefined);
    const config = existing === undefined ? GuildConfig.parse({}) : loadGuildConfig(existing, target).config;
    const text = await readFile(resolve(from), "utf8").catch((e: unknown) => {
      throw new GuildError("config.invalid", `cannot read ${from}`, { cause: e, details: { file: from } });
    });
    const rules = parseCodeowners(text, from);
    const imported = importCodeowners(rules, config);
    const yaml = withRules(existing, imported.rules);
    if (options.dryRun) output.out(yaml.trimEnd());
    else {
      await writeFile(resolve(target), yaml);
      output.out(`wrote ${imported.rules.length} rules from ${from} to ${target}`);
    }
    for (const { owner, lines } of imported.unmapped) {
      output.err(
        `could not map ${owner} (${from}:${lines.join(",")}) to a role; kept as written. Map it with handles: { "${owner}": <role> }`,
      );
    }
    if (rules.some((r) => r.section !== undefined)) {
      output.err("GitLab sections were flattened into one ordered list (last match wins across sections)");
    }
    return 0;
  } catch (error) {
    return reportRulesError(error, output);
  }
}

async function findCodeowners(repoDir: string): Promise<string> {
  const found = await findRulesFile(
    repoDir,
    RULES_SEARCH_ORDER.filter((f) => f.endsWith("CODEOWNERS")),
  );
  if (found === undefined) {
    throw new GuildError("config.invalid", `no CODEOWNERS file in ${repoDir}`, {
      details: { expected: ".github/CODEOWNERS, CODEOWNERS or docs/CODEOWNERS" },
    });
  }
  return found;
}
