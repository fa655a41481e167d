import { createInterface } from "node:readline";
import { type SandboxedProcess, type SandboxMode, spawnSandboxed } from "../../sandbox/index.js";
import { externalAgentEnv } from "./agent-env.js";
import type { Brain, BrainRunContext, BrainStep } from "./brain.js";
import { estimateCost, type PriceTable } from "./budget.js";
import { type CodexState, codexSteps, parseCodexLine } from "./codex-events.js";
import { codexSandboxMode } from "./codex-sandbox.js";
import { composeExternalPrompt } from "./external-prompt.js";
import { type ExternalExit, type ExternalRunIo, runExternalAgent } from "./external-run.js";
import {
  externalPolicy,
  limitReasonOf,
  packageRoot,
  SANDBOX_WALL_GRACE_MS,
  stopAgent,
} from "./external-run-sandbox.js";
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

/** The argv of one run: JSON events, codex's sandbox as `codexSandboxMode` says, the worktree as root, the prompt on stdin. */
export function codexArgs(
  options: CodexBrainOptions,
  workdir: string,
  env: NodeJS.ProcessEnv,
  mode: SandboxMode = "none",
): string[] {
  const args = ["exec", "--json", "--sandbox", codexSandboxMode(mode), "--cd", workdir, "--ephemeral"];
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
  timeoutMs: number,
): AsyncGenerator<BrainStep, ExternalExit, undefined> {
  const policy = externalPolicy(context, "codex");
  const env = externalAgentEnv({ pass: options.env ?? [], home: io.home }, options.from);
  const executable = options.executable ?? "codex";
  let agent: SandboxedProcess;
  try {
    // Confined by guild's sandbox: its commands change only the worktree, reach the network only as the
    // role allows, and the process with everything it started is killed on cancel or timeout.
    agent = spawnSandboxed({
      argv: [executable, ...codexArgs(options, context.workdir, env, policy.mode)],
      cwd: context.workdir,
      policy,
      env,
      signal: io.signal,
      readable: packageRoot(executable, env.PATH ?? ""),
      limits: { wallMs: timeoutMs + SANDBOX_WALL_GRACE_MS },
    });
  } catch (error) {
    return { ok: false, status: `could not start: ${(error as Error).message}`, finalText: "" };
  }
  const { child } = agent;
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
    // Its output has ended: it exits by itself (its exit code is the status), or is killed if it lingers.
    await stopAgent(agent, io.signal.aborted ? 0 : 2000);
  }
  const { code, error } = await closed;
  const limit = await limitReasonOf(agent);
  const cost =
    options.model && options.prices ? estimateCost(state.usage, options.model, options.prices) : undefined;
  if (cost !== undefined) yield { kind: "thought", text: `codex: estimated cost ${cost.toFixed(4)}` };
  const ok = code === 0 && state.failed === undefined;
  const status = error ? `could not start: ${error.message}` : `exit code ${code ?? "none"}`;
  return {
    ok,
    status,
    finalText: state.lastMessage,
    ...(ok
      ? {}
      : { errorLine: limit ?? state.failed ?? firstErrorLine(`${stderr}\n${state.firstError ?? ""}`) }),
  };
}

/** A brain that runs Codex (`codex exec --json`) under guild's ownership, budgets and cancel. */
export function createCodexBrain(options: CodexBrainOptions = {}): Brain {
  return {
    name: "codex",
    run(context) {
      const timeoutMs = Math.min(options.timeoutMs ?? context.budget.maxWallMs, context.budget.maxWallMs);
      return runExternalAgent(context, "codex", timeoutMs, (io) => runCodex(options, context, io, timeoutMs));
    },
  };
}
