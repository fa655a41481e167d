import { Writable } from "node:stream";
import { createLogger, type Logger } from "../../src/protocol/index.js";

/** A real pino logger whose JSON lines are kept in `lines`, for tests that assert what was logged. */
export function capturedLogger(level: "info" | "debug" = "info"): {
  logger: Logger;
  lines: Array<Record<string, unknown>>;
} {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString("utf8").split("\n"))
        if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger({ name: "test", level, destination }), lines };
}
