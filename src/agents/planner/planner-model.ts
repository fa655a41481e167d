import type { BrainConfig } from "../../protocol/index.js";
import { type ChatModelOptions, chatModelOf, type NamedChatModel } from "../brains/llm-config.js";

/** Transport settings of the planner's model; one call (SDK retries included) defaults to 3 minutes. */
export type PlannerModelOptions = ChatModelOptions;

/** A planner model and its name as plans record it (`openai:gpt-4.1`). */
export type PlannerModel = NamedChatModel;

/**
 * The ChatModel an LLM planner runs on, keyed from `env` like `createBrain`.
 * @throws GuildError `config.invalid` for a brain that is no LLM; `brain.failed` when its key is missing.
 */
export function plannerModelOf(
  config: BrainConfig,
  env: NodeJS.ProcessEnv,
  options: PlannerModelOptions = {},
): PlannerModel {
  return chatModelOf(config, env, {
    ...options,
    timeoutMs: options.timeoutMs ?? 180_000,
    purpose: "a planner",
  });
}
