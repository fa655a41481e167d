import { GuildError, isGuildError, redactText } from "../../protocol/index.js";
import { childEnv, runSandboxed, sandboxPolicy } from "../../sandbox/index.js";
import { truncateMiddle } from "../tools/untrusted.js";
import type { Brain, BrainRunContext, BrainStep } from "./brain.js";
import { budgetExceeded } from "./budget.js";
import { restoreGitControl, snapshotGitControl } from "./cli-git-guard.js";
import { harvestChanges, markWorktree } from "./cli-harvest.js";
import { withCodexSandbox } from "./codex-sandbox.js";
import { composeExternalPrompt } from "./external-prompt.js";
import { firstErrorLine } from "./no-change.js";

export interface CliBrainOptions {
  /** argv template: `{task}` becomes the task text, `{dir}` the worktree; run without a shell. */
  command: readonly string[];
  timeoutMs?: number;
  /** Variables passed from `from` on top of the clean environment (the agent's key); no others. */
  env?: readonly string[];
  /** Where passed variables come from (guild's own environment by default). */
  from?: NodeJS.ProcessEnv;
  maxOutputChars?: number;
}

/**
 * Command templates for known coding agents; `{task}` and `{dir}` are filled in per task. Under guild's
 * sandbox a codex command's `--sandbox workspace-write` runs as `danger-full-access` (`withCodexSandbox`).
 */
export const CLI_PRESETS = {
  codex: ["codex", "exec", "--sandbox", "workspace-write", "--cd", "{dir}", "{task}"],
  claude: ["claude", "-p", "{task}", "--permission-mode", "acceptEdits"],
  aider: ["aider", "--yes-always", "--no-auto-commits", "--message", "{task}"],
} as const satisfies Record<string, readonly string[]>;

interface Exit {
  code: number | null;
  output: string;
  timedOut: boolean;
}

async function runAgent(
  argv: string[],
  context: BrainRunContext,
  timeoutMs: number,
  options: CliBrainOptions,
): Promise<Exit> {
  const cap = options.maxOutputChars ?? 20_000;
  const confinement = context.tools.confinement;
  const policy = confinement?.sandbox ?? sandboxPolicy(undefined);
  try {
    // Confined like any command: only the worktree (and the role's `writable`) can change, the network
    // only when the role's sandbox allows it, and nothing it started outlives it.
    const result = await runSandboxed({
      argv: withCodexSandbox(argv, policy.mode),
      cwd: context.workdir,
      policy,
      env: childEnv(
        {
          // The brain's own key names (`env:` on the brain) and what the role passes to its commands.
          pass: [...(options.env ?? []), ...(confinement?.passEnv ?? [])],
          extraPath: confinement?.extraPath ?? [],
        },
        options.from ?? process.env,
      ),
      signal: context.signal,
      limits: { wallMs: timeoutMs },
    });
    const stopped = result.limit && result.limit !== "wall-time" ? `\n${result.reason}` : "";
    return {
      code: result.code,
      output: truncateMiddle(result.output + stopped, cap),
      timedOut: result.limit === "wall-time",
    };
  } catch (e) {
    if (isGuildError(e, "sandbox.denied")) return { code: null, output: e.message, timedOut: false };
    return { code: null, output: `could not start ${argv[0]}: ${(e as Error).message}`, timedOut: false };
  }
}

/**
 * A brain that runs an external coding agent (codex, claude, aider, any command) in the worktree,
 * then replays what it changed through the tool set, so the sandbox and ownership still apply.
 */
export function createCliBrain(options: CliBrainOptions): Brain {
  return {
    name: `cli:${options.command[0]}`,
    async *run(context): AsyncGenerator<BrainStep, void, undefined> {
      const { task } = context;
      const text = composeExternalPrompt(task);
      const argv = options.command.map((a) =>
        a.replaceAll("{task}", text).replaceAll("{dir}", context.workdir),
      );
      const timeoutMs = Math.min(options.timeoutMs ?? context.budget.maxWallMs, context.budget.maxWallMs);
      const mark = markWorktree(context.workdir);
      const gitControl = snapshotGitControl(context.workdir);
      yield { kind: "tool_call", id: "cli", tool: "cli", input: { command: options.command } };
      // The sandbox gives the agent a private HOME and TMPDIR of its own.
      const exit = await runAgent(argv, context, timeoutMs, options);
      const status = exit.timedOut ? `timed out after ${timeoutMs} ms` : `exit code ${exit.code ?? "none"}`;
      const output = redactText(exit.output);
      yield {
        kind: "tool_result",
        id: "cli",
        tool: "cli",
        ok: !exit.timedOut && exit.code === 0,
        output: `${status}\n${output}`,
      };
      const tampered = restoreGitControl(gitControl);
      if (tampered.length > 0) {
        const reason = `refused: the agent changed git config or hooks; restored ${tampered.length} file(s)`;
        yield { kind: "tool_result", id: "cli-git", tool: "cli", ok: false, output: reason };
      }
      if (context.signal.aborted) {
        // Cancelled: the agent's edits stay as they are, for the specialist to salvage.
        yield {
          kind: "summary",
          text: `${options.command[0]} cancelled (${status}); its edits are left for salvage`,
        };
        return;
      }
      const { applied, refused } = yield* harvestChanges(context.workdir, mark, context.tools);
      const tail = output.trim().split("\n").slice(-5).join("\n");
      const lines = [
        `${options.command[0]} ${status}; kept ${applied.length} changed path(s)${applied.length ? `: ${applied.join(", ")}` : ""}`,
      ];
      if (refused.length > 0) lines.push(`refused: ${refused.join(", ")}`);
      if (tail) lines.push(tail);
      yield { kind: "summary", text: lines.join("\n") };
      if (exit.timedOut) throw budgetExceeded({ budget: "wall_ms", limit: timeoutMs, used: timeoutMs });
      // A failed agent that still left owned changes is proposed; one that left nothing is a failure.
      if (exit.code !== 0 && applied.length === 0) {
        throw new GuildError("brain.failed", `${options.command[0]} ${status}: ${firstErrorLine(output)}`);
      }
    },
  };
}
