import type { Command } from "commander";
import { type Output, processOutput } from "../output.js";
import { runOwnersCheck, runOwnersExplain } from "./owners-check.js";
import type { OwnersOptions } from "./owners-common.js";
import { type OwnersImportOptions, runOwnersImport } from "./owners-import.js";
import { runOwnersLint } from "./owners-lint.js";
import { readPathList } from "./owners-paths.js";

export type { OwnersImportOptions, OwnersOptions };
export { runOwnersCheck, runOwnersExplain, runOwnersImport, runOwnersLint };

interface CommonFlags {
  rules?: string;
  repo: string;
  json?: boolean;
}

function common(command: Command): Command {
  return command
    .option("--rules <file>", "rules file to use (CODEOWNERS or guild.yaml, told apart by content)")
    .option("-C, --repo <dir>", "repository root; paths are relative to it", process.cwd());
}

function base(flags: CommonFlags): OwnersOptions {
  return {
    repoDir: flags.repo,
    json: flags.json === true,
    ...(flags.rules === undefined ? {} : { rules: flags.rules }),
  };
}

/** Registers `guild owners check|explain|lint|import`. */
export function registerOwnersCommand(program: Command, output: Output = processOutput): void {
  const owners = program.command("owners").description("who owns which paths, and why");
  common(owners.command("check").description("the owners of each path (or 'unowned')"))
    .argument("[path...]", "repository-relative paths (none: read them from stdin, one a line)")
    .option("--from <file>", "read the paths from a file, one a line ('-' for stdin)")
    .option("--json", "as JSON")
    .action(async (args: string[], flags: CommonFlags & { from?: string }) => {
      const from = flags.from ?? (args.length === 0 ? "-" : undefined);
      const paths = [...args, ...(from === undefined ? [] : await readPathList(from))];
      process.exitCode = await runOwnersCheck({ ...base(flags), paths, json: flags.json === true }, output);
    });
  common(
    owners.command("explain").description("the rule that decides a path's owners, and the rules it overrode"),
  )
    .argument("<path>", "a repository-relative path")
    .option("--json", "as JSON")
    .action(async (path: string, flags: CommonFlags) => {
      process.exitCode = await runOwnersExplain({ ...base(flags), path, json: flags.json === true }, output);
    });
  common(owners.command("lint").description("shadowed rules, unmatched patterns, unknown owners, coverage"))
    .option("--json", "as JSON")
    .action(async (flags: CommonFlags) => {
      process.exitCode = await runOwnersLint({ ...base(flags), json: flags.json === true }, output);
    });
  common(owners.command("import").description("write guild.yaml rules equivalent to a CODEOWNERS file"))
    .argument(
      "[codeowners]",
      "the CODEOWNERS file (default: .github/CODEOWNERS, CODEOWNERS, docs/CODEOWNERS)",
    )
    .option("--dry-run", "print the guild.yaml instead of writing it")
    .action(async (from: string | undefined, flags: CommonFlags & { dryRun?: boolean }) => {
      process.exitCode = await runOwnersImport(
        { ...base(flags), ...(from === undefined ? {} : { from }), dryRun: flags.dryRun === true },
        output,
      );
    });
}
