import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline/promises";
import type { Command } from "commander";
import {
  codeownersHandles,
  findRulesFile,
  guessRoleOfHandle,
  type InitProposal,
  listTrackedFiles,
  proposeInit,
  RULES_SEARCH_ORDER,
} from "../../ownership/index.js";
import { GuildError } from "../../protocol/index.js";
import { type Output, processOutput } from "../output.js";

/** Options of `guild init`. */
export interface InitOptions {
  repoDir: string;
  /** `@org/team=backend` pairs: CODEOWNERS handle → role. */
  map?: string[];
  /** Accept every proposal without asking (for scripts), and replace an existing guild.yaml. */
  yes?: boolean;
  /** Print the guild.yaml instead of writing it. */
  dryRun?: boolean;
  /** Asks a person a question; given only on a terminal. */
  ask?: (question: string) => Promise<string>;
  env?: Readonly<Record<string, string | undefined>>;
}

/** `guild init`: writes a guild.yaml for the repository and says what it decided and why; exit 0, or 2 on bad input. */
export async function runInit(options: InitOptions, output: Output): Promise<number> {
  const target = join(options.repoDir, "guild.yaml");
  if (existsSync(target) && !options.yes && !options.dryRun) {
    output.err("guild.yaml exists; run with --yes to replace it, or --dry-run to see the proposal");
    return 2;
  }
  const handles = parseMaps(options.map ?? []);
  const files = await listTrackedFiles(options.repoDir);
  const codeownersFile = await findRulesFile(
    options.repoDir,
    RULES_SEARCH_ORDER.filter((f) => f.endsWith("CODEOWNERS")),
  );
  const codeowners = codeownersFile
    ? { file: codeownersFile, text: await readFile(join(options.repoDir, codeownersFile), "utf8") }
    : undefined;
  if (codeowners && options.ask && !options.yes) {
    for (const handle of codeownersHandles(codeowners.text, codeowners.file)) {
      if (handles[handle] !== undefined) continue;
      const guess = guessRoleOfHandle(handle);
      const answer = (
        await options.ask(`role for ${handle}${guess ? ` [${guess}]` : " (blank: a person)"}: `)
      ).trim();
      const role = answer === "" ? guess : answer;
      if (role !== undefined) handles[handle] = role;
    }
  }
  const proposal = proposeInit({
    repoDir: options.repoDir,
    files,
    handles,
    env: options.env ?? process.env,
    ...(codeowners ? { codeowners } : {}),
  });
  if (options.dryRun) output.out(proposal.yaml.trimEnd());
  else await writeFile(target, proposal.yaml);
  report(proposal, options.dryRun === true, output);
  return 0;
}

function parseMaps(pairs: readonly string[]): Record<string, string> {
  const handles: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.lastIndexOf("=");
    const handle = pair.slice(0, at).trim();
    const role = pair.slice(at + 1).trim();
    if (at <= 0 || !/^[A-Za-z0-9_-]+$/.test(role)) {
      throw new GuildError(
        "config.invalid",
        `--map ${pair}: expected <handle>=<role>, e.g. @org/api=backend`,
        {
          details: { setting: "--map", value: pair },
        },
      );
    }
    handles[handle] = role;
  }
  return handles;
}

function report(p: InitProposal, dryRun: boolean, output: Output): void {
  const say = (line: string) => output.err(line);
  say(`${dryRun ? "would write" : "wrote"} guild.yaml: ${p.rules.length} rules from ${p.rulesFrom}`);
  for (const s of p.skipped) say(`  skipped ${s.message} (GitHub skips this line too)`);
  for (const [handle, role] of Object.entries(p.guessed))
    say(`  ${handle} → ${role} (guessed from its name; --map to change)`);
  for (const handle of p.unmapped)
    say(`  ${handle} maps to no role: its paths stay with people (--map ${handle}=<role>)`);
  say(`roles: ${p.roles.length === 0 ? "(none)" : p.roles.join(", ")}`);
  say(`brains: ${p.brain.kind}${"model" in p.brain ? ` ${p.brain.model}` : ""} (${p.brainReason})`);
  say(
    p.testCommand
      ? `tests: ${p.testCommand.argv.join(" ")} (from ${p.testCommand.from})`
      : "tests: none found; set testCommand in guild.yaml, or merged work is not tested",
  );
  if (p.protectedPresent.length > 0)
    say(`protected (only a person may change): ${p.protectedPresent.join(", ")}`);
  const c = p.coverage;
  say(`coverage: ${c.percent.toFixed(1)}% of ${c.total} tracked files have an owner`);
  for (const f of c.largestUnowned.slice(0, 5)) say(`  unowned: ${f.folder}/ (${f.files} files)`);
  if (c.unownedTopLevelFiles > 0) say(`  unowned: ${c.unownedTopLevelFiles} files at the root`);
}

/** Registers `guild init`. */
export function registerInitCommand(program: Command, output: Output = processOutput): void {
  program
    .command("init")
    .description("write a guild.yaml for this repository (from its CODEOWNERS, else its layout)")
    .option("-C, --repo <dir>", "the repository", process.cwd())
    .option(
      "--map <handle=role>",
      "map a CODEOWNERS handle to a role (repeatable)",
      (v: string, all: string[]) => [...all, v],
      [],
    )
    .option("-y, --yes", "accept every proposal without asking; replace an existing guild.yaml")
    .option("--dry-run", "print the guild.yaml instead of writing it")
    .action(async (flags: { repo: string; map: string[]; yes?: boolean; dryRun?: boolean }) => {
      const terminal = Boolean(process.stdin.isTTY && process.stderr.isTTY);
      const rl =
        terminal && !flags.yes
          ? createInterface({ input: process.stdin, output: process.stderr })
          : undefined;
      try {
        process.exitCode = await runInit(
          {
            repoDir: flags.repo,
            map: flags.map,
            yes: flags.yes === true,
            dryRun: flags.dryRun === true,
            ...(rl ? { ask: (q: string) => rl.question(q) } : {}),
          },
          output,
        );
      } finally {
        rl?.close();
      }
    });
}
