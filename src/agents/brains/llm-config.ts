import { type BrainConfig, GuildError } from "../../protocol/index.js";
import { anthropicChatModel } from "./anthropic.js";
import type { ChatModel } from "./chat-model.js";
import { openAIChatModel } from "./openai.js";

type LlmConfig = Extract<BrainConfig, { kind: "openai" | "anthropic" }>;

// Local OpenAI-compatible servers (Ollama, vLLM, llama.cpp, LM Studio) need no key, but the SDK wants one.
const NO_KEY = "not-needed";

/**
 * The key and endpoint of an LLM brain, from its config and `env` (`OPENAI_API_KEY`/`OPENAI_BASE_URL`,
 * `ANTHROPIC_API_KEY`/`ANTHROPIC_BASE_URL`); `brain.failed` names the missing variable.
 */
export function llmCredentials(
  config: LlmConfig,
  env: NodeJS.ProcessEnv,
): { apiKey: string; baseURL?: string } {
  const openai = config.kind === "openai";
  const baseURL = config.baseURL ?? (openai ? env.OPENAI_BASE_URL : env.ANTHROPIC_BASE_URL);
  const apiKey = openai ? (env.OPENAI_API_KEY ?? (baseURL ? NO_KEY : undefined)) : env.ANTHROPIC_API_KEY;
  const variable = openai ? "OPENAI_API_KEY" : "ANTHROPIC_API_KEY";
  if (!apiKey) throw new GuildError("brain.failed", `${variable} is not set`, { details: { env: variable } });
  return { apiKey, ...(baseURL ? { baseURL } : {}) };
}

/** Transport settings of a model that are not part of its brain config. */
export interface ChatModelOptions {
  timeoutMs?: number;
  maxRetries?: number;
  stream?: boolean;
}

/** A chat model and the name it signs its work with (`openai:gpt-4.1`). */
export interface NamedChatModel {
  name: string;
  model: ChatModel;
}

/**
 * The chat model of an LLM brain config, for the services that talk to a model directly (planner,
 * arbiter); `purpose` words the `config.invalid` error for a brain that is no LLM.
 */
export function chatModelOf(
  config: BrainConfig,
  env: NodeJS.ProcessEnv,
  options: ChatModelOptions & { purpose: string },
): NamedChatModel {
  if (config.kind !== "openai" && config.kind !== "anthropic") {
    throw new GuildError(
      "config.invalid",
      `${options.purpose} needs an LLM brain (openai or anthropic), not ${config.kind}`,
      {
        details: { setting: "kind", value: config.kind },
      },
    );
  }
  const common = {
    ...llmCredentials(config, env),
    model: config.model,
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries }),
    ...(options.stream === undefined ? {} : { stream: options.stream }),
  };
  if (config.kind === "anthropic")
    return { name: `anthropic:${config.model}`, model: anthropicChatModel(common) };
  const temperature = config.temperature === undefined ? {} : { temperature: config.temperature };
  return { name: `openai:${config.model}`, model: openAIChatModel({ ...common, ...temperature }) };
}
