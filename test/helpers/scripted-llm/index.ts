export { startScriptedAnthropic } from "./anthropic-server.js";
export { startScriptedOpenAI } from "./openai-server.js";
export { type Provider, scriptedBrain, startScriptedProvider } from "./provider.js";
export { startScriptedResponses } from "./responses-server.js";
export type {
  RecordedRequest,
  ScriptedServer,
  ScriptedServerOptions,
  ScriptedToolCall,
  ScriptedTurn,
} from "./script.js";
