import OpenAI from "openai";
import { zodResponseFormat } from "openai/helpers/zod";
import type { ChatCompletionMessageParam, ChatCompletionTool } from "openai/resources/chat/completions";
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

export interface OpenAIBrainOptions {
  model: string;
  /** Any OpenAI-compatible server (Ollama, vLLM, llama.cpp, LM Studio); default api.openai.com. */
  baseURL?: string;
  apiKey: string;
  temperature?: number;
  /** Per-request timeout; the SDK retries 429 and 5xx with backoff `maxRetries` times. */
  timeoutMs?: number;
  maxRetries?: number;
  stream?: boolean;
  /** Bounds on each reply (bytes, streamed line, time); defaults in `DEFAULT_REPLY_LIMITS`. */
  replyLimits?: Partial<ReplyLimits>;
  prices?: PriceTable;
}

function toMessages(system: string, messages: readonly LoopMessage[]): ChatCompletionMessageParam[] {
  const out: ChatCompletionMessageParam[] = [{ role: "system", content: system }];
  for (const m of messages) {
    if (m.role === "user") out.push({ role: "user", content: m.text });
    else if (m.role === "assistant") {
      out.push({
        role: "assistant",
        content: m.text || null,
        ...(m.toolCalls.length > 0
          ? {
              tool_calls: m.toolCalls.map((c) => ({
                id: c.id,
                type: "function" as const,
                function: { name: c.name, arguments: c.arguments },
              })),
            }
          : {}),
      });
    } else for (const r of m.results) out.push({ role: "tool", tool_call_id: r.callId, content: r.output });
  }
  return out;
}

function toTools(request: ChatRequest): ChatCompletionTool[] {
  return request.tools.map((t) => ({
    type: "function",
    function: { name: t.name, description: t.description, parameters: t.jsonSchema },
  }));
}

/**
 * The structured answer of a reply: with `response_format` the content is the JSON object itself; a
 * server that ignored the format sends prose or fences instead, which is left to the caller's text path.
 */
function structuredOf(request: ChatRequest, text: string): { structured?: string } {
  if (!request.answer) return {};
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === "object" && !Array.isArray(value) ? { structured: text } : {};
  } catch {
    return {};
  }
}

/** The OpenAI chat-completions API (or a compatible server) as a {@link ChatModel}, streaming or not. */
export function openAIChatModel(options: OpenAIBrainOptions): ChatModel {
  const client = new OpenAI(sdkClientOptions(options));
  const base = (request: ChatRequest) => ({
    model: options.model,
    messages: toMessages(request.system, request.messages),
    tools: toTools(request),
    ...(request.answer
      ? { response_format: zodResponseFormat(request.answer.input, request.answer.name) }
      : {}),
    ...(options.temperature === undefined ? {} : { temperature: options.temperature }),
  });
  return {
    model: options.model,
    async complete(request): Promise<ModelTurn> {
      if (options.stream === false) {
        const reply = await client.chat.completions.create(base(request), { signal: request.signal });
        const message = reply.choices[0]?.message;
        const toolCalls: ModelToolCall[] = (message?.tool_calls ?? []).flatMap((c) =>
          c.type === "function" ? [{ id: c.id, name: c.function.name, arguments: c.function.arguments }] : [],
        );
        const text = message?.content ?? "";
        return {
          text,
          toolCalls,
          usage: {
            inputTokens: reply.usage?.prompt_tokens ?? 0,
            outputTokens: reply.usage?.completion_tokens ?? 0,
          },
          ...structuredOf(request, text),
        };
      }
      const stream = await client.chat.completions.create(
        { ...base(request), stream: true, stream_options: { include_usage: true } },
        { signal: request.signal },
      );
      let text = "";
      const calls: ModelToolCall[] = [];
      const usage = { inputTokens: 0, outputTokens: 0 };
      for await (const chunk of stream) {
        if (chunk.usage) {
          usage.inputTokens = chunk.usage.prompt_tokens;
          usage.outputTokens = chunk.usage.completion_tokens;
        }
        const delta = chunk.choices[0]?.delta;
        if (delta?.content) text += delta.content;
        for (const part of delta?.tool_calls ?? []) {
          // Deltas address a call by index; the first names it, later ones append argument text.
          const call = calls[part.index] ?? { id: "", name: "", arguments: "" };
          calls[part.index] = call;
          if (part.id) call.id = part.id;
          if (part.function?.name) call.name += part.function.name;
          if (part.function?.arguments) call.arguments += part.function.arguments;
        }
      }
      return { text, toolCalls: calls.filter(Boolean), usage, ...structuredOf(request, text) };
    },
  };
}

/** A brain backed by the OpenAI chat-completions API with tools, run through the shared tool loop. */
export function createOpenAIBrain(options: OpenAIBrainOptions): Brain {
  const model = openAIChatModel(options);
  return {
    name: `openai:${options.model}`,
    run: (context) => runToolLoop({ model, context, ...(options.prices ? { prices: options.prices } : {}) }),
  };
}
