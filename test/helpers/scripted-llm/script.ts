import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { sendJson } from "./wire.js";

/** A tool call the scripted model makes; `rawArguments` sends exactly that text (e.g. malformed JSON). */
export interface ScriptedToolCall {
  name: string;
  input?: unknown;
  rawArguments?: string;
  id?: string;
}

/** One reply of the scripted model: text and/or tool calls, or an HTTP error for retry tests. */
export type ScriptedTurn =
  | {
      text?: string;
      toolCalls?: ScriptedToolCall[];
      /**
       * A structured answer, sent the way the request asked for it: OpenAI message content under
       * `response_format` json_schema, Anthropic a `tool_use` block of the forced tool. Asking for it
       * without such a request is a script error.
       */
      structured?: unknown;
      usage?: { input: number; output: number };
      delayMs?: number;
      /** Holds the reply until this resolves (e.g. until the test saw an event), after `delayMs`. */
      waitFor?: () => Promise<unknown>;
      /** A hostile reply: one streamed line carrying a tool call this many bytes long (OpenAI only). */
      floodBytes?: number;
      /** A hostile reply: a text delta every 100 ms that never ends (OpenAI only). */
      drip?: boolean;
    }
  | { error: 429 | 500 | 503; retryAfterMs?: number }
  /** A turn made from the request it answers (e.g. to name a path only the request shows). */
  | ((body: Record<string, unknown>) => ScriptedTurn);

export interface RecordedRequest {
  path: string;
  headers: IncomingMessage["headers"];
  body: Record<string, unknown>;
}

/** A running scripted server; `assertDone` fails when a turn was left unconsumed or a request was unexpected. */
export interface ScriptedServer {
  baseURL: string;
  requests: RecordedRequest[];
  assertDone(): void;
  close(): Promise<void>;
  /** Closes the server, then fails like `assertDone` if the script was not used up. */
  [Symbol.asyncDispose](): Promise<void>;
}

export type ReplyTurn = Exclude<
  ScriptedTurn,
  { error: number } | ((body: Record<string, unknown>) => ScriptedTurn)
>;

/** Answers one scripted turn on `res`; `index` counts the turns answered before it. */
export type Reply = (
  turn: ReplyTurn,
  body: Record<string, unknown>,
  res: ServerResponse,
  index: number,
) => void;

/** How a provider's server answers: streamed when the request asks `stream: true`, else as JSON. */
export interface Replies {
  stream: Reply;
  /** Absent for an API that only streams: every request gets `stream`. */
  json?: Reply;
}

/** The tokens a turn reports (its own, or a small default every provider's usage fields are made from). */
export function tokensOf(turn: ReplyTurn): { input: number; output: number } {
  return turn.usage ?? { input: 10, output: 5 };
}

/** The model the request named, echoed in the reply as real servers do. */
export function modelOf(body: Record<string, unknown>): string {
  return String(body.model ?? "scripted");
}

export function argumentsOf(call: ScriptedToolCall): string {
  return call.rawArguments ?? JSON.stringify(call.input ?? {});
}

/** Splits text into small pieces so streamed replies arrive as many deltas, as real servers send them. */
export function pieces(text: string, size = 7): string[] {
  // Huge payloads (the 50 MB write test) go in at most ~64 deltas so the stream stays cheap.
  size = Math.max(size, Math.ceil(text.length / 64));
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/** How a scripted server behaves beyond its turns. */
export interface ScriptedServerOptions {
  /**
   * Behave like a server that lacks structured output: a request asking for it (OpenAI `response_format`,
   * Anthropic a forced `tool_choice`) gets a 400 unsupported-parameter error and consumes no turn.
   */
  lacksStructuredOutput?: boolean;
}

/** The parameter a request uses to ask for structured output, if any. */
export function structuredParameter(body: Record<string, unknown>): string | undefined {
  if (body.response_format !== undefined) return "response_format";
  const choice = body.tool_choice as { type?: string } | undefined;
  return choice?.type === "tool" ? "tool_choice" : undefined;
}

/** Starts a localhost server that answers `path` requests with the next turn via `replies`. */
async function startScriptedServer(
  turns: readonly ScriptedTurn[],
  path: string,
  basePath: string,
  replies: Replies,
  options: ScriptedServerOptions = {},
): Promise<ScriptedServer> {
  const queue = [...turns];
  const requests: RecordedRequest[] = [];
  const problems: string[] = [];
  let index = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = req.url ?? "";
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as Record<string, unknown>;
      } catch {
        problems.push(`request to ${url} had a body that is not JSON`);
      }
      requests.push({ path: url, headers: req.headers, body });
      const param = options.lacksStructuredOutput ? structuredParameter(body) : undefined;
      if (param) {
        sendJson(res, 400, {
          type: "error",
          error: {
            type: "invalid_request_error",
            code: "unsupported_parameter",
            param,
            message: `Unsupported parameter: '${param}' is not supported by this server.`,
          },
        });
        return;
      }
      let turn = queue.shift();
      while (typeof turn === "function") turn = turn(body);
      // Claude Code adds `?beta=true`; the query does not choose the endpoint.
      if (url.split("?")[0] !== path || turn === undefined) {
        problems.push(
          turn === undefined ? `unexpected request ${url}: script exhausted` : `unexpected path ${url}`,
        );
        sendJson(res, 400, { error: { type: "invalid_request_error", message: "unexpected request" } });
        return;
      }
      if ("error" in turn) {
        const headers: Record<string, string> =
          turn.retryAfterMs === undefined ? {} : { "retry-after-ms": String(turn.retryAfterMs) };
        sendJson(
          res,
          turn.error,
          { type: "error", error: { type: "api_error", message: `scripted ${turn.error}` } },
          headers,
        );
        return;
      }
      const at = index++;
      if (turn.structured !== undefined && !structuredParameter(body)) {
        problems.push(`turn ${at} answers with structured output, but the request did not ask for it`);
      }
      const reply = body.stream === true ? replies.stream : (replies.json ?? replies.stream);
      const send = () => {
        if (!turn.waitFor) return reply(turn, body, res, at);
        turn.waitFor().then(
          () => reply(turn, body, res, at),
          (error: unknown) => {
            problems.push(
              `waitFor of turn ${at} failed: ${error instanceof Error ? error.message : String(error)}`,
            );
            res.writeHead(500).end();
          },
        );
      };
      if (turn.delayMs) setTimeout(send, turn.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  const assertDone = () => {
    const left = queue.length > 0 ? [`${queue.length} scripted turn(s) left unconsumed`] : [];
    const all = [...problems, ...left];
    if (all.length > 0) throw new Error(`scripted LLM: ${all.join("; ")}`);
  };
  return {
    baseURL: `http://127.0.0.1:${port}${basePath}`,
    requests,
    assertDone,
    close,
    // Disposing also asserts, so a test that forgets `assertDone` still fails on unconsumed turns.
    async [Symbol.asyncDispose]() {
      await close();
      assertDone();
    },
  };
}

/** The starter of one provider API's scripted servers: `path` is its endpoint, `basePath` what clients are given. */
export function scriptedApi(path: string, basePath: string, replies: Replies) {
  return (turns: readonly ScriptedTurn[], options: ScriptedServerOptions = {}): Promise<ScriptedServer> =>
    startScriptedServer(turns, path, basePath, replies, options);
}
