import Anthropic from "@anthropic-ai/sdk";
import type { MessageParam, Tool } from "@anthropic-ai/sdk/resources/messages";
import type { ReplyLimits } from "./bounded-fetch.js";
import type { Brain } from "./brain.js";
import type { PriceTable } from "./budget.js";
import {
  type ChatModel,
  type ChatRequest,
  type LoopMessage,
  type ModelToolCall,
  type ModelTurn,
  sdkClientOptions,
} from "./chat-model.js";
import { runToolLoop } from "./tool-loop.js";

export interface AnthropicBrainOptions {
  model: string;
  baseURL?: string;
  apiKey: string;
  maxTokens?: number;
  /** Per-request timeout; the SDK retries 429 and 5xx with backoff `maxRetries` times. */
  timeoutMs?: number;
  maxRetries?: number;
  stream?: boolean;
  /** Bounds on each reply (bytes, streamed line, time); defaults in `DEFAULT_REPLY_LIMITS`. */
  replyLimits?: Partial<ReplyLimits>;
  prices?: PriceTable;
}

function inputOf(call: ModelToolCall): Record<string, unknown> {
  // History must carry an object; a call whose JSON was malformed was already refused, so `{}` is honest.
  try {
    const parsed: unknown = JSON.parse(call.arguments || "{}");
    return parsed && typeof parsed === "object" && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

function toMessages(messages: readonly LoopMessage[]): MessageParam[] {
  return messages.map((m): MessageParam => {
    if (m.role === "user") return { role: "user", content: m.text };
    if (m.role === "assistant") {
      return {
        role: "assistant",
        content: [
          ...(m.text ? [{ type: "text" as const, text: m.text }] : []),
          ...m.toolCalls.map((c) => ({
            type: "tool_use" as const,
            id: c.id,
            name: c.name,
            input: inputOf(c),
          })),
        ],
      };
    }
    return {
      role: "user",
      content: m.results.map((r) => ({
        type: "tool_result" as const,
        tool_use_id: r.callId,
        content: r.output,
        ...(r.ok ? {} : { is_error: true }),
      })),
    };
  });
}

function toTools(request: ChatRequest): Tool[] {
  const { answer } = request;
  const tools =
    answer && !request.tools.some((t) => t.name === answer.name) ? [...request.tools, answer] : request.tools;
  return tools.map((t) => ({
    name: t.name,
    description: t.description,
    input_schema: { ...t.jsonSchema, type: "object" },
  }));
}

/** The structured answer of a reply: the input of the forced tool's call, when the reply made it. */
function structuredOf(request: ChatRequest, calls: readonly ModelToolCall[]): { structured?: string } {
  const call = request.answer && calls.find((c) => c.name === request.answer?.name);
  return call ? { structured: call.arguments || "{}" } : {};
}

/** The Anthropic messages API with tool use as a {@link ChatModel}, streaming or not. */
export function anthropicChatModel(options: AnthropicBrainOptions): ChatModel {
  const client = new Anthropic(sdkClientOptions(options));
  const base = (request: ChatRequest) => ({
    model: options.model,
    max_tokens: options.maxTokens ?? 8192,
    system: request.system,
    messages: toMessages(request.messages),
    tools: toTools(request),
    // Forced tool use is Anthropic's structured output: the reply is one call whose input fits the schema.
    ...(request.answer ? { tool_choice: { type: "tool" as const, name: request.answer.name } } : {}),
  });
  return {
    model: options.model,
    async complete(request): Promise<ModelTurn> {
      if (options.stream === false) {
        const reply = await client.messages.create(base(request), { signal: request.signal });
        let text = "";
        const toolCalls: ModelToolCall[] = [];
        for (const block of reply.content) {
          if (block.type === "text") text += block.text;
          else if (block.type === "tool_use") {
            toolCalls.push({ id: block.id, name: block.name, arguments: JSON.stringify(block.input ?? {}) });
          }
        }
        return {
          text,
          toolCalls,
          usage: { inputTokens: reply.usage.input_tokens, outputTokens: reply.usage.output_tokens },
          ...structuredOf(request, toolCalls),
        };
      }
      const stream = await client.messages.create(
        { ...base(request), stream: true },
        { signal: request.signal },
      );
      let text = "";
      const calls = new Map<number, ModelToolCall>();
      const usage = { inputTokens: 0, outputTokens: 0 };
      // Raw events rather than the SDK's MessageStream: it parses partial JSON and would throw on a
      // malformed tool call, which the loop must instead refuse with a reason the model sees.
      for await (const event of stream) {
        if (event.type === "message_start") usage.inputTokens = event.message.usage.input_tokens;
        else if (event.type === "message_delta") usage.outputTokens = event.usage.output_tokens;
        else if (event.type === "content_block_start" && event.content_block.type === "tool_use") {
          calls.set(event.index, {
            id: event.content_block.id,
            name: event.content_block.name,
            arguments: "",
          });
        } else if (event.type === "content_block_delta") {
          if (event.delta.type === "text_delta") text += event.delta.text;
          else if (event.delta.type === "input_json_delta") {
            const call = calls.get(event.index);
            if (call) call.arguments += event.delta.partial_json;
          }
        }
      }
      const toolCalls = [...calls.values()];
      return { text, toolCalls, usage, ...structuredOf(request, toolCalls) };
    },
  };
}

/** A brain backed by the Anthropic messages API with tool use, run through the shared tool loop. */
export function createAnthropicBrain(options: AnthropicBrainOptions): Brain {
  const model = anthropicChatModel(options);
  return {
    name: `anthropic:${options.model}`,
    run: (context) => runToolLoop({ model, context, ...(options.prices ? { prices: options.prices } : {}) }),
  };
}
