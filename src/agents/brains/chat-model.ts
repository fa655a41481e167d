import type { TokenUsage } from "../../protocol/index.js";
import type { ToolDefinition } from "../tools/types.js";
import { boundedFetch, DEFAULT_REPLY_LIMITS, type ReplyLimits } from "./bounded-fetch.js";

/** A tool call as the model sent it; `arguments` is the raw JSON text, checked by the loop. */
export interface ModelToolCall {
  id: string;
  name: string;
  arguments: string;
}

/** One reply of a model: its text, the tools it wants called, and what the call cost. */
export interface ModelTurn {
  text: string;
  toolCalls: ModelToolCall[];
  usage: TokenUsage;
  /** The answer's JSON text when the request asked for a structured answer and the reply carried one. */
  structured?: string;
}

/** The result of one tool call, fed back to the model. */
export interface ToolOutcome {
  callId: string;
  name: string;
  ok: boolean;
  output: string;
}

/** A provider-neutral conversation entry; each provider maps it to its own wire format. */
export type LoopMessage =
  | { role: "user"; text: string }
  | { role: "assistant"; text: string; toolCalls: ModelToolCall[] }
  | { role: "tool"; results: ToolOutcome[] };

export interface ChatRequest {
  system: string;
  messages: readonly LoopMessage[];
  tools: readonly ToolDefinition[];
  signal: AbortSignal;
  /**
   * Ask for the answer as structured output of this schema (OpenAI `response_format` json_schema,
   * Anthropic forced tool use); the reply's `structured` carries it. The schema must fit strict mode.
   */
  answer?: ToolDefinition;
}

/** What the tool loop needs from an LLM provider: one request, one turn. */
export interface ChatModel {
  /** The model id, used for the price table. */
  readonly model: string;
  complete(request: ChatRequest): Promise<ModelTurn>;
}

/**
 * Client settings both SDKs take, with guild's defaults: 120 s per call, 4 retries with backoff on 429/5xx,
 * and every reply bounded in bytes, line length and time (`replyLimits`).
 */
export function sdkClientOptions(options: {
  apiKey: string;
  baseURL?: string;
  timeoutMs?: number;
  maxRetries?: number;
  replyLimits?: Partial<ReplyLimits>;
}): { apiKey: string; baseURL?: string; timeout: number; maxRetries: number; fetch: typeof fetch } {
  return {
    apiKey: options.apiKey,
    ...(options.baseURL ? { baseURL: options.baseURL } : {}),
    timeout: options.timeoutMs ?? 120_000,
    maxRetries: options.maxRetries ?? 4,
    fetch: boundedFetch({ ...DEFAULT_REPLY_LIMITS, ...options.replyLimits }),
  };
}
