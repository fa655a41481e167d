import { GuildError, redactText, type TokenUsage } from "../../protocol/index.js";
import { replyLimitOf } from "./bounded-fetch.js";
import type { BrainRunContext, BrainStep } from "./brain.js";
import { type BudgetBreach, BudgetTracker, budgetExceeded, estimateCost, type PriceTable } from "./budget.js";
import { composeSystemPrompt, composeTaskPrompt } from "./charter.js";
import type { ChatModel, LoopMessage, ModelToolCall, ToolOutcome } from "./chat-model.js";

export interface ToolLoopOptions {
  model: ChatModel;
  context: BrainRunContext;
  /** Prices per million tokens; when the model has one, the loop reports the estimated cost. */
  prices?: PriceTable;
}

// A refused oversized call must not ride along in the history and be resent with every request.
const MAX_HISTORY_ARGUMENT_CHARS = 100_000;

function forHistory(call: ModelToolCall): ModelToolCall {
  if (call.arguments.length <= MAX_HISTORY_ARGUMENT_CHARS) return call;
  return {
    ...call,
    arguments: JSON.stringify({ omitted: `${call.arguments.length} characters of arguments` }),
  };
}

const NUDGE = "Continue with a tool call, or call finish with a summary if the task is done.";

/** The call's input, or its raw text when that is not JSON, which the tool set refuses and reports. */
function inputOf(call: ModelToolCall): unknown {
  try {
    return JSON.parse(call.arguments.trim() === "" ? "{}" : call.arguments);
  } catch {
    return call.arguments;
  }
}

function breachSummary(breach: BudgetBreach, lastText: string): BrainStep {
  const note = lastText ? ` Last note: ${lastText.slice(0, 500)}` : "";
  return {
    kind: "summary",
    text: `Stopped: the ${breach.budget} budget ran out (${breach.used}/${breach.limit}); the work so far is kept as a partial proposal.${note}`,
  };
}

/**
 * Runs a model against the tool set until it calls finish or a budget runs out; on a breach it
 * yields a summary step and then throws `budget.exceeded` (see {@link budgetBreachOf}).
 */
export async function* runToolLoop(options: ToolLoopOptions): AsyncGenerator<BrainStep, void, undefined> {
  const { model, context } = options;
  const { task, tools, signal } = context;
  const tracker = new BudgetTracker(context.budget, context.now ?? Date.now, context.meter);
  const taskText = `${task.task.title}\n${task.task.instructions}\n${task.feedback ?? ""}`;
  // Loaded here, not at import: packing parses sources with ts-morph, which only LLM brains need.
  const { packContext } = await import("./context-pack.js");
  const pack = packContext(context.workdir, task.task.expectedPaths, taskText);
  if (pack.files > 0) {
    yield {
      kind: "thought",
      text: `context: ${pack.files} file(s) packed into ${pack.packedTokens} tokens, ${pack.savedTokens} saved against whole files`,
    };
  }
  const system = composeSystemPrompt(task.charter);
  const messages: LoopMessage[] = [{ role: "user", text: composeTaskPrompt(task, pack.text) }];
  let lastText = "";
  // Notes told while the task runs (an overlap, a peer's question) reach the model at its next step.
  let toldNotes = task.notes?.length ?? 0;
  const totals = { inputTokens: 0, outputTokens: 0 };
  for (;;) {
    const breach = tracker.breach();
    if (breach) {
      yield breachSummary(breach, lastText);
      throw budgetExceeded(breach);
    }
    if (signal.aborted) throw new GuildError("brain.failed", "cancelled");
    const fresh = task.notes?.slice(toldNotes) ?? [];
    if (fresh.length > 0) {
      toldNotes += fresh.length;
      messages.push({ role: "user", text: `Told while you work:\n${fresh.map((n) => `- ${n}`).join("\n")}` });
    }
    const wall = AbortSignal.timeout(Math.max(1, tracker.remainingMs()));
    let turn: Awaited<ReturnType<ChatModel["complete"]>>;
    try {
      turn = await model.complete({
        system,
        messages,
        tools: tools.definitions,
        signal: AbortSignal.any([signal, wall]),
      });
    } catch (e) {
      if (wall.aborted && !signal.aborted) {
        const over: BudgetBreach = {
          budget: "wall_ms",
          limit: context.budget.maxWallMs,
          used: tracker.elapsedMs(),
        };
        yield breachSummary(over, lastText);
        throw budgetExceeded(over);
      }
      const limited = replyLimitOf(e);
      if (limited) {
        // Said as a step first, so the event stream shows why the task ends.
        const text = `${model.model}: reply stopped: ${limited.message}`;
        yield { kind: "thought", text };
        throw new GuildError("brain.failed", text, { cause: e, details: { bound: limited.bound } });
      }
      const message = e instanceof Error ? e.message : String(e);
      throw new GuildError("brain.failed", `${model.model}: ${redactText(message)}`, { cause: e });
    }
    tracker.record(turn.usage);
    totals.inputTokens += turn.usage.inputTokens;
    totals.outputTokens += turn.usage.outputTokens;
    messages.push({ role: "assistant", text: turn.text, toolCalls: turn.toolCalls.map(forHistory) });
    let usage: TokenUsage | undefined = turn.usage;
    const takeUsage = () => {
      const u = usage;
      usage = undefined;
      return u ? { usage: u } : {};
    };
    if (turn.text || turn.toolCalls.length === 0) {
      lastText = turn.text || lastText;
      yield { kind: "thought", text: turn.text, ...takeUsage() };
    }
    if (turn.toolCalls.length === 0) {
      messages.push({ role: "user", text: NUDGE });
      continue;
    }
    const results: ToolOutcome[] = [];
    for (const call of turn.toolCalls) {
      const input = inputOf(call);
      yield { kind: "tool_call", id: call.id, tool: call.name, input, ...takeUsage() };
      const result = await tools.call(call.name, input);
      yield { kind: "tool_result", id: call.id, tool: call.name, ok: result.ok, output: result.output };
      results.push({ callId: call.id, name: call.name, ok: result.ok, output: result.output });
      if (result.finished) {
        const cost = options.prices ? estimateCost(totals, model.model, options.prices) : undefined;
        if (cost !== undefined) {
          yield {
            kind: "thought",
            text: `usage: ${totals.inputTokens + totals.outputTokens} tokens in ${tracker.steps} steps, estimated cost ${cost.toFixed(4)}`,
          };
        }
        yield { kind: "summary", text: result.finished.summary };
        return;
      }
    }
    messages.push({ role: "tool", results });
  }
}
