import type { BrainConfig } from "../../protocol/index.js";
import { createAnthropicBrain } from "./anthropic.js";
import type { Brain } from "./brain.js";
import type { PriceTable } from "./budget.js";
import { createClaudeCodeBrain } from "./claude-code.js";
import { createCliBrain } from "./cli.js";
import { createCodexBrain } from "./codex.js";
import { llmCredentials } from "./llm-config.js";
import { createOfflineBrain } from "./offline.js";
import { createOpenAIBrain } from "./openai.js";
import { createScriptedBrain } from "./scripted.js";

/** Settings that are not part of a role's brain config: prices, timeouts, streaming. */
export interface CreateBrainOptions {
  prices?: PriceTable;
  timeoutMs?: number;
  maxRetries?: number;
  stream?: boolean;
}

/**
 * Builds a role's brain from its config; keys and default endpoints come from `env`
 * (`OPENAI_API_KEY`, `OPENAI_BASE_URL`, `ANTHROPIC_API_KEY`, `ANTHROPIC_BASE_URL`).
 * @example createBrain({ kind: "openai", model: "qwen2.5-coder", baseURL: "http://localhost:11434/v1" })
 */
export function createBrain(
  config: BrainConfig,
  env: NodeJS.ProcessEnv = process.env,
  options: CreateBrainOptions = {},
): Brain {
  const common = {
    ...(options.prices ? { prices: options.prices } : {}),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries }),
    ...(options.stream === undefined ? {} : { stream: options.stream }),
  };
  switch (config.kind) {
    case "openai":
      return createOpenAIBrain({
        model: config.model,
        ...llmCredentials(config, env),
        ...(config.temperature === undefined ? {} : { temperature: config.temperature }),
        ...common,
      });
    case "anthropic":
      return createAnthropicBrain({ model: config.model, ...llmCredentials(config, env), ...common });
    case "cli":
      return createCliBrain({
        command: config.command,
        env: config.env ?? [],
        from: env,
        ...(config.timeoutMs === undefined ? {} : { timeoutMs: config.timeoutMs }),
      });
    case "claude-code":
      return createClaudeCodeBrain({
        env: config.env ?? [],
        from: env,
        ...(config.model === undefined ? {} : { model: config.model }),
        ...(config.maxTurns === undefined ? {} : { maxTurns: config.maxTurns }),
        ...(config.timeoutMs === undefined ? {} : { timeoutMs: config.timeoutMs }),
      });
    case "codex":
      return createCodexBrain({
        env: config.env ?? [],
        from: env,
        ...(config.model === undefined ? {} : { model: config.model }),
        ...(config.baseURL === undefined ? {} : { baseURL: config.baseURL }),
        ...(config.timeoutMs === undefined ? {} : { timeoutMs: config.timeoutMs }),
        ...(options.prices ? { prices: options.prices } : {}),
      });
    case "scripted":
      return createScriptedBrain(config);
    case "offline":
      return createOfflineBrain(config.skill === undefined ? {} : { skill: config.skill });
  }
}
