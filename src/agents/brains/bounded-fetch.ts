/** Which bound a model's reply broke. */
export type ReplyBound = "bytes" | "line" | "deadline";

/** A model reply stopped by guild: too large, one streamed line too long, or too slow to finish. */
export class ReplyLimitError extends Error {
  override readonly name = "ReplyLimitError";
  constructor(
    readonly bound: ReplyBound,
    message: string,
  ) {
    super(message);
  }
}

/** How much of one model reply guild reads, and for how long. */
export interface ReplyLimits {
  /** Bytes of one reply body. */
  maxBytes: number;
  /** Bytes of one line of a streamed (SSE) reply; a client's line decoder is slow on one huge line. */
  maxLineBytes: number;
  /** From the request to the reply's last byte: a slow-drip reply ends here. */
  deadlineMs: number;
}

export const DEFAULT_REPLY_LIMITS: ReplyLimits = {
  maxBytes: 8 * 1024 ** 2,
  maxLineBytes: 1024 ** 2,
  deadlineMs: 5 * 60_000,
};

/** The reply limit an error came from, looking through `cause`s (SDKs wrap what `fetch` throws). */
export function replyLimitOf(error: unknown): ReplyLimitError | undefined {
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof ReplyLimitError) return e;
  }
  return undefined;
}

// The longest run of bytes without a newline, continuing the run the previous chunk ended with.
function longestLine(chunk: Uint8Array, carried: number): { longest: number; tail: number } {
  let longest = 0;
  let start = 0;
  let run = carried;
  for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
    longest = Math.max(longest, run + nl - start);
    run = 0;
    start = nl + 1;
  }
  const tail = run + chunk.length - start;
  return { longest: Math.max(longest, tail), tail };
}

/**
 * A `fetch` for the model SDKs that stops a reply past `maxBytes`, past one streamed line of
 * `maxLineBytes`, or at `deadlineMs`, before the SDK decodes it: the request is aborted and the
 * body fails with a {@link ReplyLimitError}.
 */
export function boundedFetch(limits: ReplyLimits, base: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    const abort = new AbortController();
    const signal = init?.signal ? AbortSignal.any([init.signal, abort.signal]) : abort.signal;
    let failed: ReplyLimitError | undefined;
    let fail: (e: ReplyLimitError) => void = () => {};
    const stop = (e: ReplyLimitError) => {
      failed ??= e;
      clearTimeout(timer);
      abort.abort(failed);
      fail(failed);
    };
    const timer = setTimeout(
      () =>
        stop(
          new ReplyLimitError("deadline", `the model's reply did not finish within ${limits.deadlineMs} ms`),
        ),
      limits.deadlineMs,
    );
    timer.unref?.();
    let response: Response;
    try {
      response = await base(input, { ...init, signal });
    } catch (error) {
      clearTimeout(timer);
      throw failed ?? error;
    }
    if (!response.body) {
      clearTimeout(timer);
      return response;
    }
    const streamed = response.headers.get("content-type")?.includes("text/event-stream") ?? false;
    const reader = response.body.getReader();
    let bytes = 0;
    let line = 0;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        fail = (e) => {
          try {
            controller.error(e);
          } catch {}
        };
      },
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (done) {
            clearTimeout(timer);
            controller.close();
            return;
          }
          bytes += value.byteLength;
          if (bytes > limits.maxBytes) {
            throw new ReplyLimitError("bytes", `the model's reply passed ${limits.maxBytes} bytes`);
          }
          if (streamed) {
            const { longest, tail } = longestLine(value, line);
            line = tail;
            if (longest > limits.maxLineBytes) {
              throw new ReplyLimitError(
                "line",
                `one line of the model's reply passed ${limits.maxLineBytes} bytes`,
              );
            }
          }
          controller.enqueue(value);
        } catch (error) {
          if (error instanceof ReplyLimitError) stop(error);
          else if (failed) fail(failed);
          else {
            clearTimeout(timer);
            controller.error(error);
          }
        }
      },
      cancel(reason) {
        clearTimeout(timer);
        return reader.cancel(reason);
      },
    });
    return new Response(body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}
