import type { TokenUsage } from "../../protocol/index.js";
import type { BrainStep } from "./brain.js";

/** One line of `codex exec --json`, as far as guild reads it. */
export interface CodexEvent {
  type: string;
  message?: string;
  error?: { message?: string };
  usage?: { input_tokens?: number; output_tokens?: number };
  item?: {
    id?: string;
    type?: string;
    text?: string;
    message?: string;
    command?: string;
    aggregated_output?: string;
    exit_code?: number | null;
    status?: string;
    changes?: { path?: string; kind?: string }[];
  };
}

/** What a codex run told guild so far: its last message, its first error, its token use. */
export interface CodexState {
  lastMessage: string;
  firstError?: string;
  failed?: string;
  usage: TokenUsage;
}

/** Parses one JSONL line; undefined for anything that is not a codex event (log noise, partial lines). */
export function parseCodexLine(line: string): CodexEvent | undefined {
  if (!line.startsWith("{")) return undefined;
  try {
    const value = JSON.parse(line) as unknown;
    return value && typeof value === "object" && typeof (value as CodexEvent).type === "string"
      ? (value as CodexEvent)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The steps one codex event stands for (file changes, commands with exit codes, messages, errors, usage). */
export function codexSteps(event: CodexEvent, state: CodexState): BrainStep[] {
  const item = event.item;
  const id = item?.id ?? "";
  if (event.type === "turn.completed" && event.usage) {
    const usage = {
      inputTokens: event.usage.input_tokens ?? 0,
      outputTokens: event.usage.output_tokens ?? 0,
    };
    state.usage = {
      inputTokens: state.usage.inputTokens + usage.inputTokens,
      outputTokens: state.usage.outputTokens + usage.outputTokens,
    };
    return [
      { kind: "thought", text: `codex: turn used ${usage.inputTokens + usage.outputTokens} tokens`, usage },
    ];
  }
  if (event.type === "turn.failed" || event.type === "error") {
    const message = event.error?.message ?? event.message ?? event.type;
    // "Reconnecting… n/5" is codex retrying, not the cause; keep it only if nothing better comes.
    if (event.type === "turn.failed") state.failed = message;
    state.firstError ??= message;
    return [{ kind: "thought", text: `codex ${event.type}: ${message}` }];
  }
  if (!item) return [];
  if (event.type === "item.started" && item.type === "command_execution")
    return [{ kind: "tool_call", id, tool: "command", input: { command: item.command ?? "" } }];
  if (event.type !== "item.completed") return [];
  switch (item.type) {
    case "command_execution":
      return [
        {
          kind: "tool_result",
          id,
          tool: "command",
          ok: item.exit_code === 0,
          output: `exit code ${item.exit_code ?? "none"}\n${item.aggregated_output ?? ""}`,
        },
      ];
    case "file_change": {
      const changes = (item.changes ?? []).map((c) => `${c.kind ?? "update"} ${c.path ?? ""}`);
      return [
        { kind: "tool_call", id, tool: "file_change", input: { changes } },
        {
          kind: "tool_result",
          id,
          tool: "file_change",
          ok: item.status !== "failed",
          output: changes.join("\n"),
        },
      ];
    }
    case "agent_message":
      state.lastMessage = item.text ?? "";
      return [{ kind: "thought", text: item.text ?? "" }];
    case "reasoning":
      return item.text ? [{ kind: "thought", text: item.text }] : [];
    case "error":
      return [{ kind: "thought", text: `codex warning: ${item.message ?? ""}` }];
    default:
      return [];
  }
}
