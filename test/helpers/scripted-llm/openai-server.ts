import { argumentsOf, modelOf, pieces, type Reply, type ReplyTurn, scriptedApi, tokensOf } from "./script.js";
import { openEventStream, sendJson } from "./wire.js";

function usageOf(turn: ReplyTurn) {
  const u = tokensOf(turn);
  return { prompt_tokens: u.input, completion_tokens: u.output, total_tokens: u.input + u.output };
}

/** The message content: the structured answer as JSON (what `response_format` makes a server send), else the text. */
function contentOf(turn: ReplyTurn): string | undefined {
  return turn.structured !== undefined ? JSON.stringify(turn.structured) : turn.text;
}

function callsOf(turn: ReplyTurn, index: number) {
  return (turn.toolCalls ?? []).map((c, i) => ({
    id: c.id ?? `call_${index}_${i}`,
    type: "function" as const,
    function: { name: c.name, arguments: argumentsOf(c) },
  }));
}

const replyJson: Reply = (turn, body, res, index) => {
  const calls = callsOf(turn, index);
  sendJson(res, 200, {
    id: `chatcmpl-${index}`,
    object: "chat.completion",
    created: 1_700_000_000,
    model: modelOf(body),
    choices: [
      {
        index: 0,
        message: {
          role: "assistant",
          content: contentOf(turn) ?? null,
          refusal: null,
          ...(calls.length > 0 ? { tool_calls: calls } : {}),
        },
        logprobs: null,
        finish_reason: calls.length > 0 ? "tool_calls" : "stop",
      },
    ],
    usage: usageOf(turn),
  });
};

const replyStream: Reply = (turn, body, res, index) => {
  const base = {
    id: `chatcmpl-${index}`,
    object: "chat.completion.chunk",
    created: 1_700_000_000,
    model: modelOf(body),
  };
  const { data } = openEventStream(res);
  const send = (choices: unknown[], extra: Record<string, unknown> = {}) =>
    data({ ...base, choices, ...extra });
  const delta = (d: Record<string, unknown>, finish: string | null = null) =>
    send([{ index: 0, delta: d, logprobs: null, finish_reason: finish }]);
  delta({ role: "assistant", content: "" });
  if (turn.drip) {
    const timer = setInterval(() => delta({ content: "." }), 100);
    res.on("close", () => clearInterval(timer));
    return;
  }
  if (turn.floodBytes) {
    const huge = JSON.stringify({ path: "src/a.ts", content: "x".repeat(turn.floodBytes) });
    delta({
      tool_calls: [
        { index: 0, id: "flood", type: "function", function: { name: "write_file", arguments: huge } },
      ],
    });
    res.end("data: [DONE]\n\n");
    return;
  }
  for (const piece of pieces(contentOf(turn) ?? "")) delta({ content: piece });
  const calls = callsOf(turn, index);
  calls.forEach((call, i) => {
    // The real format: the first delta names the call, later ones carry only argument fragments.
    delta({
      tool_calls: [
        { index: i, id: call.id, type: "function", function: { name: call.function.name, arguments: "" } },
      ],
    });
    for (const piece of pieces(call.function.arguments))
      delta({ tool_calls: [{ index: i, function: { arguments: piece } }] });
  });
  delta({}, calls.length > 0 ? "tool_calls" : "stop");
  const options = body.stream_options as { include_usage?: boolean } | undefined;
  if (options?.include_usage) send([], { usage: usageOf(turn) });
  res.end("data: [DONE]\n\n");
};

/** A localhost server speaking OpenAI chat completions (JSON and SSE), one scripted turn per request. */
export const startScriptedOpenAI = scriptedApi("/v1/chat/completions", "/v1", {
  stream: replyStream,
  json: replyJson,
});
