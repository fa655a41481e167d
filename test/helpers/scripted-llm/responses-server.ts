import { argumentsOf, modelOf, pieces, type Reply, type ReplyTurn, scriptedApi, tokensOf } from "./script.js";
import { openEventStream } from "./wire.js";

function usageOf(turn: ReplyTurn) {
  const u = tokensOf(turn);
  return {
    input_tokens: u.input,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: u.output,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: u.input + u.output,
  };
}

type Item = Record<string, unknown> & { id: string; type: string };

function itemsOf(turn: ReplyTurn, index: number): Item[] {
  const items: Item[] = [];
  if (turn.text) {
    items.push({
      type: "message",
      id: `msg_${index}`,
      role: "assistant",
      status: "completed",
      content: [{ type: "output_text", text: turn.text, annotations: [] }],
    });
  }
  (turn.toolCalls ?? []).forEach((c, i) => {
    items.push({
      type: "function_call",
      id: `fc_${index}_${i}`,
      call_id: c.id ?? `call_${index}_${i}`,
      name: c.name,
      arguments: argumentsOf(c),
      status: "completed",
    });
  });
  return items;
}

/** Streams one turn as the Responses API's server-sent events: items added, deltas, items done, completed. */
const replyStream: Reply = (turn, body, res, index) => {
  const stream = openEventStream(res);
  let sequence = 0;
  const event = (type: string, data: Record<string, unknown>) =>
    stream.event(type, { sequence_number: sequence++, ...data });
  const response = {
    id: `resp_${index}`,
    object: "response",
    created_at: 1_700_000_000,
    status: "in_progress",
    model: modelOf(body),
    output: [] as Item[],
  };
  event("response.created", { response });
  const items = itemsOf(turn, index);
  items.forEach((item, outputIndex) => {
    if (item.type === "message") {
      event("response.output_item.added", { output_index: outputIndex, item: { ...item, content: [] } });
      const text = turn.text ?? "";
      for (const delta of pieces(text))
        event("response.output_text.delta", {
          output_index: outputIndex,
          item_id: item.id,
          content_index: 0,
          delta,
        });
      event("response.output_text.done", {
        output_index: outputIndex,
        item_id: item.id,
        content_index: 0,
        text,
      });
    } else {
      event("response.output_item.added", { output_index: outputIndex, item: { ...item, arguments: "" } });
      const args = String(item.arguments);
      for (const delta of pieces(args))
        event("response.function_call_arguments.delta", {
          output_index: outputIndex,
          item_id: item.id,
          delta,
        });
      event("response.function_call_arguments.done", {
        output_index: outputIndex,
        item_id: item.id,
        arguments: args,
      });
    }
    event("response.output_item.done", { output_index: outputIndex, item });
  });
  event("response.completed", {
    response: { ...response, status: "completed", output: items, usage: usageOf(turn) },
  });
  res.end();
};

/** A localhost server speaking the OpenAI Responses API (streamed), one scripted turn per request. */
export const startScriptedResponses = scriptedApi("/v1/responses", "/v1", { stream: replyStream });
