import { spawnSync } from "node:child_process";
import { cpSync, readFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import YAML from "yaml";
import { GuildConfig } from "../../../../src/protocol/config.js";
import { tempDir } from "../../../helpers/temp-dir.js";

const ROOT = join(import.meta.dirname, "../../../..");
/** The demo app shipped in examples/. */
export const DEMO_APP = join(ROOT, "examples/demo-app");

/** Where `tsc` finds @types/node for a copy of the demo app, which has no node_modules of its own. */
export const TYPE_ROOTS = join(ROOT, "node_modules/@types");

/** A temp copy of the demo app, removed on dispose. */
export function demoCopy(): ReturnType<typeof tempDir> {
  const dir = tempDir("guild-demo-");
  cpSync(DEMO_APP, dir.path, { recursive: true });
  return dir;
}

/** The demo's test command from its guild.yaml. */
export function demoTestCommand(): string[] {
  const config = GuildConfig.parse(YAML.parse(readFileSync(join(DEMO_APP, "guild.yaml"), "utf8")));
  return config.testCommand ?? [];
}

/** Runs an argv (no shell) in `cwd` with guild's node_modules/.bin on PATH, as guild does for commands. */
export function runCommand(cwd: string, argv: readonly string[]): { status: number | null; output: string } {
  const [program, ...args] = argv;
  const env = {
    ...process.env,
    PATH: `${join(ROOT, "node_modules/.bin")}${delimiter}${process.env.PATH ?? ""}`,
  };
  const result = spawnSync(program ?? "false", args, { cwd, env, encoding: "utf8", timeout: 120_000 });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
}
