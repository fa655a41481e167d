import { spawn } from "node:child_process";
import { GuildError, redactText } from "../../protocol/index.js";
import { truncateMiddle } from "../tools/untrusted.js";
import { type AgentHome, createAgentHome, externalAgentEnv } from "./agent-env.js";
import type { Brain, BrainRunContext, BrainStep } from "./brain.js";
import { budgetExceeded } from "./budget.js";
import { restoreGitControl, snapshotGitControl } from "./cli-git-guard.js";
import { harvestChanges, markWorktree } from "./cli-harvest.js";
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

/** Command templates for known coding agents; `{task}` and `{dir}` are filled in per task. */
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

function runAgent(
  argv: string[],
  context: BrainRunContext,
  timeoutMs: number,
  options: CliBrainOptions,
  home: AgentHome,
): Promise<Exit> {
  return new Promise((resolve) => {
    const [command, ...args] = argv as [string, ...string[]];
    const child = spawn(command, args, {
      cwd: context.workdir,
      env: externalAgentEnv({ pass: options.env ?? [], home }, options.from),
      shell: false,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const cap = options.maxOutputChars ?? 20_000;
    let output = "";
    const take = (d: Buffer) => {
      output = truncateMiddle(output + d.toString(), cap * 2);
    };
    child.stdout.on("data", take);
    child.stderr.on("data", take);
    let timedOut = false;
    const kill = () => {
      if (child.pid !== undefined && child.exitCode === null) {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {}
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, timeoutMs);
    context.signal.addEventListener("abort", kill, { once: true });
    const done = (code: number | null, extra = "") => {
      clearTimeout(timer);
      context.signal.removeEventListener("abort", kill);
      resolve({ code, output: truncateMiddle(output + extra, cap), timedOut });
    };
    child.on("error", (e) => done(null, `\ncould not start ${command}: ${e.message}`));
    child.on("close", (code) => done(code));
  });
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
      const home = createAgentHome();
      const exit = await runAgent(argv, context, timeoutMs, options, home).finally(() => home.dispose());
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
