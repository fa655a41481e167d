import type { CanUseTool, Options, Query, SpawnOptions } from "@anthropic-ai/claude-agent-sdk";
import { GuildError } from "../../protocol/index.js";
import { type SandboxedProcess, type SandboxPolicy, spawnSandboxed } from "../../sandbox/index.js";
import { externalAgentEnv } from "./agent-env.js";
import type { Brain, BrainRunContext, BrainStep } from "./brain.js";
import { type ClaudeMessage, claudeSteps, usageOf } from "./claude-code-steps.js";
import { claudeWriteOf } from "./claude-code-writes.js";
import { composeExternalPrompt } from "./external-prompt.js";
import { type ExternalExit, type ExternalRunIo, runExternalAgent } from "./external-run.js";
import {
  definedEnv,
  externalPolicy,
  limitReasonOf,
  packageRoot,
  SANDBOX_WALL_GRACE_MS,
  stopAgent,
} from "./external-run-sandbox.js";
import { firstErrorLine } from "./no-change.js";

/** A role's Claude Code brain: the Agent SDK in the worktree, every file write checked by guild first. */
export interface ClaudeCodeBrainOptions {
  model?: string;
  maxTurns?: number;
  timeoutMs?: number;
  /** Variables passed from guild's environment (the key, the endpoint); nothing else reaches the agent. */
  env?: readonly string[];
  /** Where the variables come from (guild's own environment by default). */
  from?: NodeJS.ProcessEnv;
}

type Sdk = { query: (params: { prompt: string; options?: Options }) => Query };

/** Loads the Agent SDK only when a role uses Claude Code; says what to install when it is missing. */
export async function loadClaudeAgentSdk(): Promise<Sdk> {
  try {
    return (await import("@anthropic-ai/claude-agent-sdk")) as Sdk;
  } catch (error) {
    throw new GuildError(
      "brain.failed",
      "the claude-code brain needs the Claude Agent SDK: run `npm install @anthropic-ai/claude-agent-sdk` where guild is installed",
      { cause: error },
    );
  }
}

/**
 * Allows what Claude Code asks for, except a file write guild's tool set refuses (outside the worktree,
 * protected, another role's path): that is denied at once with the reason, so the agent can adapt.
 */
function permissionsFor(context: BrainRunContext): CanUseTool {
  return async (tool, input) => {
    const write = claudeWriteOf(context.workdir, tool, input);
    if (!write) return { behavior: "allow", updatedInput: input };
    const verdict = context.tools.checkWrite?.(write.path, write.content);
    if (!verdict) return { behavior: "deny", message: "refused: this agent's tool set cannot check writes" };
    return verdict.ok
      ? { behavior: "allow", updatedInput: input }
      : { behavior: "deny", message: `refused: ${verdict.reason}` };
  };
}

/**
 * Starts the Claude Code process the SDK asks for inside guild's sandbox: its Bash tool can change only the
 * worktree (and the role's `writable`), reaches the network only as the role allows, and the process with
 * everything it started is killed on cancel or timeout. The SDK does not read stderr of a process it did
 * not spawn, so it is kept here for the failure reason.
 */
function sandboxedSpawner(
  context: BrainRunContext,
  policy: SandboxPolicy,
  io: ExternalRunIo,
  timeoutMs: number,
  onStart: (agent: SandboxedProcess) => void,
): (options: SpawnOptions) => SandboxedProcess["child"] {
  return (spawnOptions) => {
    const env = definedEnv(spawnOptions.env);
    const agent = spawnSandboxed({
      argv: [spawnOptions.command, ...spawnOptions.args],
      cwd: context.workdir,
      policy,
      env,
      signal: io.signal,
      readable: packageRoot(spawnOptions.command, env.PATH ?? ""),
      limits: { wallMs: timeoutMs + SANDBOX_WALL_GRACE_MS },
    });
    onStart(agent);
    return agent.child;
  };
}

async function* runClaude(
  options: ClaudeCodeBrainOptions,
  context: BrainRunContext,
  io: ExternalRunIo,
  timeoutMs: number,
): AsyncGenerator<BrainStep, ExternalExit, undefined> {
  const policy = externalPolicy(context, "claude-code");
  const sdk = await loadClaudeAgentSdk();
  const abortController = new AbortController();
  io.signal.addEventListener("abort", () => abortController.abort(), { once: true });
  let stderr = "";
  let agent: SandboxedProcess | undefined;
  const query = sdk.query({
    prompt: composeExternalPrompt(context.task),
    options: {
      cwd: context.workdir,
      ...(options.model ? { model: options.model } : {}),
      maxTurns: options.maxTurns ?? context.budget.maxSteps,
      // No settings from the repository or the user: a checked-in allow rule would skip canUseTool.
      settingSources: [],
      permissionMode: "default",
      canUseTool: permissionsFor(context),
      abortController,
      env: externalAgentEnv(
        { pass: options.env ?? [], home: io.home, set: { CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1" } },
        options.from,
      ),
      spawnClaudeCodeProcess: sandboxedSpawner(context, policy, io, timeoutMs, (started) => {
        agent = started;
        started.child.stderr.on("data", (data: Buffer) => {
          stderr = (stderr + data.toString()).slice(-20_000);
        });
      }),
    },
  });
  let lastText = "";
  try {
    for await (const message of query as AsyncIterable<ClaudeMessage>) {
      if (message.type === "assistant" && message.parent_tool_use_id == null && message.message?.usage) {
        io.meter(usageOf(message.message.usage));
      }
      for (const step of claudeSteps(message)) {
        if (step.kind === "thought") lastText = step.text;
        yield step;
      }
      if (message.type !== "result") continue;
      const usage = usageOf(message.usage);
      const denials = message.permission_denials?.length ?? 0;
      const cost =
        typeof message.total_cost_usd === "number" ? `, cost $${message.total_cost_usd.toFixed(4)}` : "";
      yield {
        kind: "thought",
        text: `claude-code: ${message.num_turns ?? 0} turn(s), ${usage.inputTokens + usage.outputTokens} tokens${cost}, ${denials} permission denial(s)`,
        usage,
      };
      const ok = message.subtype === "success" && message.is_error !== true;
      const errors = (message.errors ?? []).join("\n");
      return {
        ok,
        status: ok
          ? `finished after ${message.num_turns ?? 0} turn(s)`
          : `stopped: ${message.subtype ?? "error"}`,
        finalText: message.result ?? lastText,
        ...(ok ? {} : { errorLine: firstErrorLine(`${errors}\n${message.result ?? ""}\n${stderr}`) }),
      };
    }
  } catch (error) {
    // A limit that stopped the process (memory, processes) is the reason, not the SDK's "exited with code".
    const reason = io.signal.aborted ? undefined : await limitReasonOf(agent);
    throw reason ? new Error(reason, { cause: error }) : error;
  } finally {
    query.close?.();
    // Nothing it started (a background job of its Bash tool) may still write while the harvest reads.
    await stopAgent(agent);
  }
  return {
    ok: false,
    status: "ended without a result",
    finalText: lastText,
    errorLine: (await limitReasonOf(agent)) ?? firstErrorLine(stderr),
  };
}

/** A brain that runs Claude Code through the Agent SDK, under guild's ownership, budgets and cancel. */
export function createClaudeCodeBrain(options: ClaudeCodeBrainOptions = {}): Brain {
  return {
    name: "claude-code",
    run(context) {
      const timeoutMs = Math.min(options.timeoutMs ?? context.budget.maxWallMs, context.budget.maxWallMs);
      return runExternalAgent(context, "claude-code", timeoutMs, (io) =>
        runClaude(options, context, io, timeoutMs),
      );
    },
  };
}
