import type { ServerResponse } from "node:http";

/** Ends `res` with `status` and `body` as JSON, as every provider API answers a plain request or an error. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

/**
 * Starts a server-sent events reply on `res`. `data` writes a bare `data:` frame (OpenAI chat completions);
 * `event` a named frame whose JSON repeats the name as `type` (Anthropic messages, OpenAI responses).
 */
export function openEventStream(res: ServerResponse) {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  return {
    data: (payload: unknown) => res.write(`data: ${JSON.stringify(payload)}\n\n`),
    event: (type: string, payload: Record<string, unknown>) =>
      res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...payload })}\n\n`),
  };
}
