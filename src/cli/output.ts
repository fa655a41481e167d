/** Where commands write; tests pass a collecting sink instead of the process streams. */
export interface Output {
  out(line: string): void;
  err(line: string): void;
  color: boolean;
}

export const processOutput: Output = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
};

/** An Output that keeps lines in memory. */
export function collectOutput(): Output & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (l) => lines.push(l), err: (l) => errors.push(l), color: false };
}

/**
 * Ends the process quietly when the reader of stdout goes away (`guild owners lint | head`): the rest
 * of the output has no reader, which is what the person asked for, not an error.
 */
export function exitQuietlyOnBrokenPipe(stream: NodeJS.WriteStream = process.stdout): void {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    process.exit(process.exitCode ?? 0);
  });
}
