import { type BrainConfig, GuildError } from "../../protocol/index.js";
import { createAnthropicBrain } from "./anthropic.js";
import type { Brain } from "./brain.js";
import type { PriceTable } from "./budget.js";
import { createCliBrain } from "./cli.js";
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

// Local OpenAI-compatible servers (Ollama, vLLM, llama.cpp, LM Studio) need no key, but the SDK wants one.
const NO_KEY = "not-needed";

function missingKey(name: string): GuildError {
  return new GuildError("brain.failed", `${name} is not set`, { details: { env: name } });
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
    case "openai": {
      const baseURL = config.baseURL ?? env.OPENAI_BASE_URL;
      const apiKey = env.OPENAI_API_KEY ?? (baseURL ? NO_KEY : undefined);
      if (!apiKey) throw missingKey("OPENAI_API_KEY");
      return createOpenAIBrain({
        model: config.model,
        apiKey,
        ...(baseURL ? { baseURL } : {}),
        ...(config.temperature === undefined ? {} : { temperature: config.temperature }),
        ...common,
      });
    }
    case "anthropic": {
      const baseURL = config.baseURL ?? env.ANTHROPIC_BASE_URL;
      const apiKey = env.ANTHROPIC_API_KEY;
      if (!apiKey) throw missingKey("ANTHROPIC_API_KEY");
      return createAnthropicBrain({
        model: config.model,
        apiKey,
        ...(baseURL ? { baseURL } : {}),
        ...common,
      });
    }
    case "cli":
      return createCliBrain({
        command: config.command,
        env,
        ...(config.timeoutMs === undefined ? {} : { timeoutMs: config.timeoutMs }),
      });
    case "scripted":
      return createScriptedBrain({ delayMs: config.delayMs });
    case "offline":
      return createOfflineBrain(config.skill === undefined ? {} : { skill: config.skill });
  }
}
