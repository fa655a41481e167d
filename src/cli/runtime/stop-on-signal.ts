/** How {@link stopOnSignal} ends things; the defaults are the real process's. */
export interface StopOnSignalOptions {
  /** How long a graceful stop may take before the process exits anyway. */
  graceMs?: number;
  exit?: (code: number) => void;
  say?: (line: string) => void;
}

/**
 * Waits for SIGINT or SIGTERM, then runs `stop`. The process exits when `stop` ends, when it takes longer
 * than `graceMs` (NATS gone, a pull that never returns, a stuck brain), or at once on a second signal;
 * sandboxed children die with it (bubblewrap's --die-with-parent).
 */
export async function stopOnSignal(
  stop: () => Promise<void>,
  options: StopOnSignalOptions = {},
): Promise<void> {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const say = options.say ?? ((line: string) => process.stderr.write(`${line}\n`));
  const graceMs = options.graceMs ?? 8_000;
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once("SIGINT", () => resolve("SIGINT"));
    process.once("SIGTERM", () => resolve("SIGTERM"));
  });
  const again = (second: NodeJS.Signals) => {
    say(`${second} again: exiting now`);
    exit(130);
  };
  process.once("SIGINT", again);
  process.once("SIGTERM", again);
  say(`${signal}: stopping (again to exit at once)`);
  const timer = setTimeout(() => {
    say(`not stopped within ${graceMs} ms; exiting`);
    exit(1);
  }, graceMs);
  try {
    await stop();
    exit(0);
  } catch (error) {
    say(`stop failed: ${error instanceof Error ? error.message : String(error)}`);
    exit(1);
  } finally {
    clearTimeout(timer);
  }
}
