import { z } from "zod";
import { isGuildError, redactText } from "../../protocol/index.js";
import { childEnv, runSandboxed, type SandboxResult } from "../../sandbox/index.js";
import { defineTool, refuse } from "./define-tool.js";
import type { ToolContext } from "./tool-context.js";
import { truncateMiddle, wrapUntrusted } from "./untrusted.js";

// Not dangerous without a shell, but an allowed command (an npm script, a Makefile) may hand them to one.
const SHELL_META = /[;&|`$<>\n\r\\]|\$\(/;
// Test runners colour and page less, and ask nothing, when they see these.
const QUIET = { CI: "1", NO_COLOR: "1", FORCE_COLOR: "0" };

/** The environment a command runs with: the sandbox's allowlist, the role's named variables, `extraPath` first on PATH. */
export function commandEnv(
  context: Pick<ToolContext, "extraPath" | "passEnv">,
  from: NodeJS.ProcessEnv = process.env,
) {
  return childEnv({ pass: context.passEnv, extraPath: context.extraPath, set: QUIET }, from);
}

/** Whether `argv` starts with one of the allowed argv prefixes, word for word. */
export function isAllowedCommand(argv: readonly string[], allow: readonly (readonly string[])[]): boolean {
  return allow.some((prefix) => prefix.length <= argv.length && prefix.every((word, i) => argv[i] === word));
}

function execute(context: ToolContext, argv: string[]): Promise<SandboxResult> {
  return runSandboxed({
    argv,
    cwd: context.workdir,
    policy: context.sandbox,
    env: commandEnv(context),
    limits: { wallMs: context.limits.commandTimeoutMs },
  });
}

/** Runs an allowlisted command without a shell, in the role's sandbox, with its limits and a clean environment. */
export const runCommandTool = defineTool({
  name: "run_command",
  description:
    "Run an allowed command (argv array, no shell) in the worktree, e.g. the test command; it runs sandboxed (no network, only the worktree writable). Output is truncated.",
  input: z.object({ argv: z.array(z.string()).min(1).max(200) }),
  async run(context, input) {
    const shown = input.argv.join(" ");
    if (!isAllowedCommand(input.argv, context.allowCommands)) {
      const allowed = context.allowCommands.map((a) => a.join(" ")).join("; ") || "none";
      throw refuse(`command not allowed: ${shown} (allowed: ${allowed})`);
    }
    const bad = input.argv.find((arg) => SHELL_META.test(arg));
    if (bad !== undefined) throw refuse(`argument contains shell metacharacters: ${JSON.stringify(bad)}`);
    let result: SandboxResult;
    try {
      result = await execute(context, input.argv);
    } catch (e) {
      if (isGuildError(e, "sandbox.denied")) throw e;
      return { ok: false, output: `could not start ${input.argv[0]}: ${(e as Error).message}` };
    }
    const text = redactText(truncateMiddle(result.output, context.limits.maxOutputChars));
    const status =
      result.limit === "wall-time"
        ? `timed out after ${context.limits.commandTimeoutMs} ms`
        : (result.reason ?? `exit code ${result.code ?? result.signal ?? "none"}`);
    return {
      ok: result.limit === undefined && result.code === 0,
      output: `${shown}\n${status}\n${wrapUntrusted("command output", text)}`,
    };
  },
});
