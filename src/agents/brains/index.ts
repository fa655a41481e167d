export { type AgentHome, createAgentHome, externalAgentEnv } from "./agent-env.js";
export { type AnthropicBrainOptions, anthropicChatModel, createAnthropicBrain } from "./anthropic.js";
export {
  boundedFetch,
  DEFAULT_REPLY_LIMITS,
  type ReplyBound,
  ReplyLimitError,
  type ReplyLimits,
  replyLimitOf,
} from "./bounded-fetch.js";
export type { Brain, BrainRunContext, BrainStep, BrainTask } from "./brain.js";
export {
  type BudgetBreach,
  type BudgetKind,
  BudgetTracker,
  budgetBreachOf,
  budgetExceeded,
  createTokenMeter,
  estimateCost,
  type PriceTable,
  type TokenMeter,
} from "./budget.js";
export { composeSystemPrompt, composeTaskPrompt, UNTRUSTED_DATA_NOTICE } from "./charter.js";
export type {
  ChatModel,
  ChatRequest,
  LoopMessage,
  ModelToolCall,
  ModelTurn,
  ToolOutcome,
} from "./chat-model.js";
export { type ClaudeCodeBrainOptions, createClaudeCodeBrain, loadClaudeAgentSdk } from "./claude-code.js";
export { CLI_PRESETS, type CliBrainOptions, createCliBrain } from "./cli.js";
export { harvestChanges, markWorktree, type WorktreeMark } from "./cli-harvest.js";
export { type CodexBrainOptions, codexArgs, createCodexBrain } from "./codex.js";
export type { PackedContext } from "./context-pack.js";
export { type CreateBrainOptions, createBrain } from "./create-brain.js";
export { composeExternalPrompt } from "./external-prompt.js";
export { type ChatModelOptions, chatModelOf, llmCredentials, type NamedChatModel } from "./llm-config.js";
export { declaredNoChange, firstErrorLine } from "./no-change.js";
export { chooseSkill, createOfflineBrain, type OfflineBrainOptions } from "./offline.js";
export { createOpenAIBrain, type OpenAIBrainOptions, openAIChatModel } from "./openai.js";
export { createScriptedBrain } from "./scripted.js";
export { runToolLoop, type ToolLoopOptions } from "./tool-loop.js";
