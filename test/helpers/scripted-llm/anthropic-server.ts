import { argumentsOf, modelOf, pieces, type Reply, type ReplyTurn, scriptedApi, tokensOf } from "./script.js";
import { openEventStream, sendJson } from "./wire.js";

/** The scripted calls, with a structured answer sent as a call of the tool the request forced. */
function callsOf(turn: ReplyTurn, body: Record<string, unknown>) {
  const calls = [...(turn.toolCalls ?? [])];
  const forced = (body.tool_choice as { name?: string } | undefined)?.name;
  if (turn.structured !== undefined)
    calls.push({ name: forced ?? "(no forced tool)", input: turn.structured });
  return calls;
}

function contentOf(turn: ReplyTurn, body: Record<string, unknown>, index: number) {
  const blocks: Array<Record<string, unknown>> = [];
  if (turn.text) blocks.push({ type: "text", text: turn.text });
  callsOf(turn, body).forEach((c, i) => {
    blocks.push({
      type: "tool_use",
      id: c.id ?? `toolu_${index}_${i}`,
      name: c.name,
      input: c.input ?? {},
      raw: argumentsOf(c),
    });
  });
  return blocks;
}

function stopReason(turn: ReplyTurn, body: Record<string, unknown>): string {
  return callsOf(turn, body).length > 0 ? "tool_use" : "end_turn";
}

const replyJson: Reply = (turn, body, res, index) => {
  const usage = tokensOf(turn);
  sendJson(res, 200, {
    id: `msg_${index}`,
    type: "message",
    role: "assistant",
    model: modelOf(body),
    content: contentOf(turn, body, index).map(({ raw: _raw, ...block }) => block),
    stop_reason: stopReason(turn, body),
    stop_sequence: null,
    usage: { input_tokens: usage.input, output_tokens: usage.output },
  });
};

const replyStream: Reply = (turn, body, res, index) => {
  const usage = tokensOf(turn);
  const { event } = openEventStream(res);
  event("message_start", {
    message: {
      id: `msg_${index}`,
      type: "message",
      role: "assistant",
      model: modelOf(body),
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: usage.input, output_tokens: 1 },
    },
  });
  contentOf(turn, body, index).forEach((block, i) => {
    if (block.type === "text") {
      event("content_block_start", { index: i, content_block: { type: "text", text: "" } });
      for (const piece of pieces(String(block.text)))
        event("content_block_delta", { index: i, delta: { type: "text_delta", text: piece } });
    } else {
      event("content_block_start", {
        index: i,
        content_block: { type: "tool_use", id: block.id, name: block.name, input: {} },
      });
      for (const piece of pieces(String(block.raw))) {
        event("content_block_delta", { index: i, delta: { type: "input_json_delta", partial_json: piece } });
      }
    }
    event("content_block_stop", { index: i });
  });
  event("message_delta", {
    delta: { stop_reason: stopReason(turn, body), stop_sequence: null },
    usage: { output_tokens: usage.output },
  });
  event("message_stop", {});
  res.end();
};

/** A localhost server speaking the Anthropic messages API (JSON and SSE), one scripted turn per request. */
export const startScriptedAnthropic = scriptedApi("/v1/messages", "", {
  stream: replyStream,
  json: replyJson,
});
