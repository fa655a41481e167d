import type { TokenUsage } from "../../protocol/index.js";
import type { BrainStep } from "./brain.js";

/** The parts of the Agent SDK's messages guild reads (kept structural, so the SDK stays an optional import). */
export interface ClaudeMessage {
  type: string;
  subtype?: string;
  message?: { content?: unknown; usage?: { input_tokens?: number; output_tokens?: number } };
  parent_tool_use_id?: string | null;
  result?: string;
  errors?: string[];
  num_turns?: number;
  total_cost_usd?: number;
  usage?: { input_tokens?: number; output_tokens?: number };
  permission_denials?: unknown[];
  is_error?: boolean;
}

interface Block {
  type?: string;
  text?: string;
  id?: string;
  name?: string;
  input?: unknown;
  tool_use_id?: string;
  content?: unknown;
  is_error?: boolean;
}

function blocksOf(message: ClaudeMessage): Block[] {
  const content = message.message?.content;
  return Array.isArray(content) ? (content as Block[]) : [];
}

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content))
    return content.map((c: { text?: unknown }) => (typeof c.text === "string" ? c.text : "")).join("\n");
  return "";
}

/** Token use as guild counts it: input (cache reads and writes included) and output. */
export function usageOf(raw: ClaudeMessage["usage"]): TokenUsage {
  const usage = raw as Record<string, unknown> | undefined;
  const n = (v: unknown) => (typeof v === "number" ? v : 0);
  return {
    inputTokens:
      n(usage?.input_tokens) + n(usage?.cache_read_input_tokens) + n(usage?.cache_creation_input_tokens),
    outputTokens: n(usage?.output_tokens),
  };
}

/** The steps one SDK message stands for: what the agent said, the tools it called, what they answered. */
export function claudeSteps(message: ClaudeMessage): BrainStep[] {
  const steps: BrainStep[] = [];
  if (message.type === "assistant") {
    for (const block of blocksOf(message)) {
      if (block.type === "text" && block.text) steps.push({ kind: "thought", text: block.text });
      if (block.type === "tool_use")
        steps.push({
          kind: "tool_call",
          id: block.id ?? "",
          tool: block.name ?? "",
          input: block.input ?? {},
        });
    }
  } else if (message.type === "user") {
    for (const block of blocksOf(message)) {
      if (block.type !== "tool_result") continue;
      steps.push({
        kind: "tool_result",
        id: block.tool_use_id ?? "",
        tool: "claude-code",
        ok: block.is_error !== true,
        output: textOf(block.content),
      });
    }
  }
  return steps;
}
