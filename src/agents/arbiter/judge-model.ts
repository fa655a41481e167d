import { type BrainConfig, GuildError } from "../../protocol/index.js";
import { anthropicChatModel } from "../brains/anthropic.js";
import type { ChatModel } from "../brains/chat-model.js";
import { openAIChatModel } from "../brains/openai.js";

/** Transport settings of the judge's model that are not part of its brain config. */
export interface JudgeModelOptions {
  timeoutMs?: number;
  maxRetries?: number;
  stream?: boolean;
}

/** A judge's chat model and the name it signs its verdicts with (`openai:gpt-4.1`). */
export interface JudgeModel {
  name: string;
  model: ChatModel;
}

// Local OpenAI-compatible servers (Ollama, vLLM, llama.cpp, LM Studio) need no key, but the SDK wants one.
const NO_KEY = "not-needed";

function missingKey(name: string): GuildError {
  return new GuildError("brain.failed", `${name} is not set`, { details: { env: name } });
}

/**
 * Builds the judge's model from a brain config the way `createBrain` does, keys and default endpoints
 * from `env`; only the LLM kinds (openai, anthropic) can judge.
 */
export function judgeModelOf(
  config: BrainConfig,
  env: NodeJS.ProcessEnv = process.env,
  options: JudgeModelOptions = {},
): JudgeModel {
  const common = {
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries }),
    ...(options.stream === undefined ? {} : { stream: options.stream }),
  };
  switch (config.kind) {
    case "openai": {
      const baseURL = config.baseURL ?? env.OPENAI_BASE_URL;
      const apiKey = env.OPENAI_API_KEY ?? (baseURL ? NO_KEY : undefined);
      if (!apiKey) throw missingKey("OPENAI_API_KEY");
      const model = openAIChatModel({
        model: config.model,
        apiKey,
        ...(baseURL ? { baseURL } : {}),
        ...(config.temperature === undefined ? {} : { temperature: config.temperature }),
        ...common,
      });
      return { name: `openai:${config.model}`, model };
    }
    case "anthropic": {
      const baseURL = config.baseURL ?? env.ANTHROPIC_BASE_URL;
      const apiKey = env.ANTHROPIC_API_KEY;
      if (!apiKey) throw missingKey("ANTHROPIC_API_KEY");
      const model = anthropicChatModel({
        model: config.model,
        apiKey,
        ...(baseURL ? { baseURL } : {}),
        ...common,
      });
      return { name: `anthropic:${config.model}`, model };
    }
    default:
      throw new GuildError(
        "config.invalid",
        `an arbiter needs an LLM brain (openai or anthropic), not ${config.kind}`,
        {
          details: { kind: config.kind },
        },
      );
  }
}
