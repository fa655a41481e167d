import { type BrainConfig, GuildError } from "../../protocol/index.js";
import { anthropicChatModel } from "../brains/anthropic.js";
import type { ChatModel } from "../brains/chat-model.js";
import { openAIChatModel } from "../brains/openai.js";

/** Transport settings of the planner's model, not part of the brain config. */
export interface PlannerModelOptions {
  /** One model call, SDK retries included; default 3 minutes. */
  timeoutMs?: number;
  maxRetries?: number;
  stream?: boolean;
}

/** A planner model and its name as plans record it (`openai:gpt-4.1`). */
export interface PlannerModel {
  name: string;
  model: ChatModel;
}

// Local OpenAI-compatible servers need no key, but the SDK wants one (as createBrain does).
const NO_KEY = "not-needed";

/**
 * The ChatModel an LLM planner runs on, keyed from `env` like `createBrain`
 * (`OPENAI_API_KEY`/`OPENAI_BASE_URL`, `ANTHROPIC_API_KEY`/`ANTHROPIC_BASE_URL`).
 * @throws GuildError `config.invalid` for a brain that is no LLM; `brain.failed` when its key is missing.
 */
export function plannerModelOf(
  config: BrainConfig,
  env: NodeJS.ProcessEnv,
  options: PlannerModelOptions = {},
): PlannerModel {
  const common = {
    timeoutMs: options.timeoutMs ?? 180_000,
    ...(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries }),
    ...(options.stream === undefined ? {} : { stream: options.stream }),
  };
  if (config.kind === "openai") {
    const baseURL = config.baseURL ?? env.OPENAI_BASE_URL;
    const apiKey = env.OPENAI_API_KEY ?? (baseURL ? NO_KEY : undefined);
    if (!apiKey)
      throw new GuildError("brain.failed", "OPENAI_API_KEY is not set", {
        details: { env: "OPENAI_API_KEY" },
      });
    const model = openAIChatModel({
      model: config.model,
      apiKey,
      ...(baseURL ? { baseURL } : {}),
      ...(config.temperature === undefined ? {} : { temperature: config.temperature }),
      ...common,
    });
    return { name: `openai:${config.model}`, model };
  }
  if (config.kind === "anthropic") {
    const baseURL = config.baseURL ?? env.ANTHROPIC_BASE_URL;
    const apiKey = env.ANTHROPIC_API_KEY;
    if (!apiKey) {
      throw new GuildError("brain.failed", "ANTHROPIC_API_KEY is not set", {
        details: { env: "ANTHROPIC_API_KEY" },
      });
    }
    const model = anthropicChatModel({
      model: config.model,
      apiKey,
      ...(baseURL ? { baseURL } : {}),
      ...common,
    });
    return { name: `anthropic:${config.model}`, model };
  }
  throw new GuildError(
    "config.invalid",
    `a ${config.kind} brain cannot plan: use an openai or anthropic brain`,
  );
}
