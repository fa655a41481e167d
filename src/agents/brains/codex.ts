import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { externalAgentEnv } from "./agent-env.js";
import type { Brain, BrainRunContext, BrainStep } from "./brain.js";
import { estimateCost, type PriceTable } from "./budget.js";
import { type CodexState, codexSteps, parseCodexLine } from "./codex-events.js";
import { composeExternalPrompt } from "./external-prompt.js";
import { type ExternalExit, type ExternalRunIo, runExternalAgent } from "./external-run.js";
import { firstErrorLine } from "./no-change.js";

/** A role's Codex brain: `codex exec --json` in the worktree, its events turned into guild's steps. */
export interface CodexBrainOptions {
  model?: string;
  /** A Responses API endpoint; codex ignores OPENAI_BASE_URL, so guild declares a provider for it. */
  baseURL?: string;
  timeoutMs?: number;
  /** Variables passed from guild's environment (the key); nothing else reaches codex. */
  env?: readonly string[];
  /** The codex executable (default `codex` on PATH). */
  executable?: string;
  from?: NodeJS.ProcessEnv;
  prices?: PriceTable;
}

/** The argv of one run: JSON events, codex's own workspace-write sandbox, the worktree as root, the prompt on stdin. */
export function codexArgs(options: CodexBrainOptions, workdir: string, env: NodeJS.ProcessEnv): string[] {
  const args = ["exec", "--json", "--sandbox", "workspace-write", "--cd", workdir, "--ephemeral"];
  if (options.model) args.push("--model", options.model);
  const baseURL = options.baseURL ?? env.OPENAI_BASE_URL;
  if (baseURL) {
    const provider = {
      model_provider: "guild",
      "model_providers.guild.name": "guild",
      "model_providers.guild.base_url": baseURL,
      "model_providers.guild.wire_api": "responses",
      "model_providers.guild.env_key": "OPENAI_API_KEY",
    };
    for (const [key, value] of Object.entries(provider)) args.push("-c", `${key}=${JSON.stringify(value)}`);
  }
  args.push("-");
  return args;
}

async function* runCodex(
  options: CodexBrainOptions,
  context: BrainRunContext,
  io: ExternalRunIo,
): AsyncGenerator<BrainStep, ExternalExit, undefined> {
  const env = externalAgentEnv({ pass: options.env ?? [], home: io.home }, options.from);
  const child = spawn(options.executable ?? "codex", codexArgs(options, context.workdir, env), {
    cwd: context.workdir,
    env,
    shell: false,
    detached: true,
    stdio: ["pipe", "pipe", "pipe"],
  });
  const kill = () => {
    if (child.pid !== undefined && child.exitCode === null) {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {}
    }
  };
  io.signal.addEventListener("abort", kill, { once: true });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-20_000);
  });
  const closed = new Promise<{ code: number | null; error?: Error }>((resolve) => {
    child.on("error", (error) => resolve({ code: null, error }));
    child.on("close", (code) => resolve({ code }));
  });
  child.stdin.on("error", () => undefined);
  child.stdin.end(composeExternalPrompt(context.task));
  const state: CodexState = { lastMessage: "", usage: { inputTokens: 0, outputTokens: 0 } };
  try {
    for await (const line of createInterface({ input: child.stdout, crlfDelay: Number.POSITIVE_INFINITY })) {
      const event = parseCodexLine(line);
      if (!event) continue;
      for (const step of codexSteps(event, state)) {
        if (step.kind === "thought" && step.usage) io.meter(step.usage);
        yield step;
      }
    }
  } finally {
    io.signal.removeEventListener("abort", kill);
    kill();
  }
  const { code, error } = await closed;
  const cost =
    options.model && options.prices ? estimateCost(state.usage, options.model, options.prices) : undefined;
  if (cost !== undefined) yield { kind: "thought", text: `codex: estimated cost ${cost.toFixed(4)}` };
  const ok = code === 0 && state.failed === undefined;
  const status = error ? `could not start: ${error.message}` : `exit code ${code ?? "none"}`;
  return {
    ok,
    status,
    finalText: state.lastMessage,
    ...(ok ? {} : { errorLine: state.failed ?? firstErrorLine(`${stderr}\n${state.firstError ?? ""}`) }),
  };
}

/** A brain that runs Codex (`codex exec --json`) under guild's ownership, budgets and cancel. */
export function createCodexBrain(options: CodexBrainOptions = {}): Brain {
  return {
    name: "codex",
    run(context) {
      const timeoutMs = Math.min(options.timeoutMs ?? context.budget.maxWallMs, context.budget.maxWallMs);
      return runExternalAgent(context, "codex", timeoutMs, (io) => runCodex(options, context, io));
    },
  };
}
