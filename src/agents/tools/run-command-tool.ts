import { spawn } from "node:child_process";
import { delimiter } from "node:path";
import { z } from "zod";
import { redactText } from "../../protocol/index.js";
import { defineTool, refuse } from "./define-tool.js";
import type { ToolContext } from "./tool-context.js";
import { truncateMiddle, wrapUntrusted } from "./untrusted.js";

// Only these variables reach a command: no API keys, tokens or NATS credentials leak into test runs.
const PASSED_ENV = ["PATH", "HOME", "USER", "LANG", "LC_ALL", "TMPDIR", "TZ", "SystemRoot"];
// Not dangerous without a shell, but an allowed command (an npm script, a Makefile) may hand them to one.
const SHELL_META = /[;&|`$<>\n\r\\]|\$\(/;

/** The environment a command runs with: a few harmless variables, `extraPath` first on PATH. */
export function cleanEnv(
  extraPath: readonly string[],
  from: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { CI: "1", NO_COLOR: "1", FORCE_COLOR: "0" };
  for (const name of PASSED_ENV) if (from[name] !== undefined) env[name] = from[name];
  env.PATH = [...extraPath, ...(from.PATH ?? "").split(delimiter)].filter(Boolean).join(delimiter);
  return env;
}

/** Whether `argv` starts with one of the allowed argv prefixes, word for word. */
export function isAllowedCommand(argv: readonly string[], allow: readonly (readonly string[])[]): boolean {
  return allow.some((prefix) => prefix.length <= argv.length && prefix.every((word, i) => argv[i] === word));
}

function execute(
  context: ToolContext,
  argv: string[],
): Promise<{ code: number | null; output: string; timedOut: boolean }> {
  return new Promise((resolve, reject) => {
    const [command, ...args] = argv as [string, ...string[]];
    const child = spawn(command, args, {
      cwd: context.workdir,
      env: cleanEnv(context.extraPath),
      shell: false,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const cap = context.limits.maxOutputChars * 4;
    const take = (d: Buffer) => {
      // Keep head and tail while bounding memory; the final view is truncated again below.
      output += d.toString();
      if (output.length > cap) output = truncateMiddle(output, cap);
    };
    child.stdout.on("data", take);
    child.stderr.on("data", take);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      // Negative pid: the whole process group, so a test runner's workers die with it.
      if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
    }, context.limits.commandTimeoutMs);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output, timedOut });
    });
  });
}

/** Runs an allowlisted command without a shell, with a timeout and a clean environment. */
export const runCommandTool = defineTool({
  name: "run_command",
  description:
    "Run an allowed command (argv array, no shell) in the worktree, e.g. the test command. Output is truncated.",
  input: z.object({ argv: z.array(z.string()).min(1).max(200) }),
  async run(context, input) {
    const shown = input.argv.join(" ");
    if (!isAllowedCommand(input.argv, context.allowCommands)) {
      const allowed = context.allowCommands.map((a) => a.join(" ")).join("; ") || "none";
      throw refuse(`command not allowed: ${shown} (allowed: ${allowed})`);
    }
    const bad = input.argv.find((arg) => SHELL_META.test(arg));
    if (bad !== undefined) throw refuse(`argument contains shell metacharacters: ${JSON.stringify(bad)}`);
    let result: Awaited<ReturnType<typeof execute>>;
    try {
      result = await execute(context, input.argv);
    } catch (e) {
      return { ok: false, output: `could not start ${input.argv[0]}: ${(e as Error).message}` };
    }
    const text = redactText(truncateMiddle(result.output, context.limits.maxOutputChars));
    const status = result.timedOut
      ? `timed out after ${context.limits.commandTimeoutMs} ms`
      : `exit code ${result.code ?? "signal"}`;
    return {
      ok: !result.timedOut && result.code === 0,
      output: `${shown}\n${status}\n${wrapUntrusted("command output", text)}`,
    };
  },
});
