import type { BrainConfig } from "../../../src/protocol/index.js";
import { startScriptedAnthropic } from "./anthropic-server.js";
import { startScriptedOpenAI } from "./openai-server.js";
import type { ScriptedServer, ScriptedServerOptions, ScriptedTurn } from "./script.js";

/** The LLM APIs a test runs the same script against. */
export type Provider = "openai" | "anthropic";

/** A scripted server speaking `provider`'s API. */
export function startScriptedProvider(
  provider: Provider,
  turns: readonly ScriptedTurn[],
  options: ScriptedServerOptions = {},
): Promise<ScriptedServer> {
  return provider === "openai" ? startScriptedOpenAI(turns, options) : startScriptedAnthropic(turns, options);
}

/** The brain config that talks to `server` as `provider`, with that provider's model from `models`. */
export function scriptedBrain(
  provider: Provider,
  server: ScriptedServer,
  models: Record<Provider, string>,
): BrainConfig {
  return provider === "openai"
    ? { kind: "openai", model: models.openai, baseURL: server.baseURL }
    : { kind: "anthropic", model: models.anthropic, baseURL: server.baseURL };
}
