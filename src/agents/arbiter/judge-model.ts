import type { BrainConfig } from "../../protocol/index.js";
import { type ChatModelOptions, chatModelOf, type NamedChatModel } from "../brains/llm-config.js";

/** Transport settings of the judge's model that are not part of its brain config. */
export type JudgeModelOptions = ChatModelOptions;

/** A judge's chat model and the name it signs its verdicts with (`openai:gpt-4.1`). */
export type JudgeModel = NamedChatModel;

/** The judge's model from a brain config, keyed from `env` like `createBrain`; only LLM kinds can judge. */
export function judgeModelOf(
  config: BrainConfig,
  env: NodeJS.ProcessEnv = process.env,
  options: JudgeModelOptions = {},
): JudgeModel {
  return chatModelOf(config, env, { ...options, purpose: "an arbiter" });
}
