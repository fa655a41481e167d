import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";

/** A guild process (coordinator or agent) run by tsx as a child, killed for real in tests. */
export interface GuildProcess {
  readonly pid: number;
  readonly output: () => string;
  /** Resolves with the exit code or signal once the child is gone. */
  readonly exited: Promise<string>;
  kill(signal?: NodeJS.Signals): Promise<string>;
  [Symbol.asyncDispose](): Promise<void>;
}

const ROOT = join(import.meta.dirname, "..", "..");

/**
 * Spawns `node --import tsx <script> [args]` with `env` added and waits until its output (stdout or stderr)
 * has a line matching `ready` (default: the line `ready`). Use with `await using`; disposal kills it with
 * SIGKILL if it is still running.
 */
export async function spawnGuildProcess(
  script: string,
  env: Record<string, string>,
  options: {
    readyTimeoutMs?: number;
    /** A command the process runs under (e.g. bubblewrap's argv, ending before the program). */
    wrap?: string[];
    cwd?: string;
    /** Arguments after the script. */
    args?: string[];
    /** What the output shows once the process serves. */
    ready?: RegExp;
  } = {},
): Promise<GuildProcess> {
  // Node itself with tsx's loader, not the tsx CLI: the CLI forks a second process a signal would miss.
  // The loader by its path, so the process may run in any folder.
  const argv = [
    process.execPath,
    "--import",
    join(ROOT, "node_modules", "tsx", "dist", "loader.mjs"),
    script,
    ...(options.args ?? []),
  ];
  const [command, ...args] = [...(options.wrap ?? []), ...argv] as [string, ...string[]];
  const child: ChildProcess = spawn(command, args, {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const take = (d: Buffer) => {
    output = (output + d.toString()).slice(-20_000);
  };
  child.stdout?.on("data", take);
  child.stderr?.on("data", take);
  const exited = new Promise<string>((resolve) =>
    child.once("exit", (code, signal) => resolve(signal ?? String(code))),
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${script} was not ready in time:\n${output}`)),
      options.readyTimeoutMs ?? 30_000,
    );
    const ready = options.ready ?? /^ready$/m;
    const onData = () => {
      if (!ready.test(output)) return;
      clearTimeout(timer);
      child.stdout?.off("data", onData);
      child.stderr?.off("data", onData);
      resolve();
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    void exited.then((how) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited (${how}) before it was ready:\n${output}`));
    });
  });
  const kill = async (signal: NodeJS.Signals = "SIGKILL") => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };
  return {
    pid: child.pid as number,
    output: () => output,
    exited,
    kill,
    async [Symbol.asyncDispose]() {
      await kill("SIGKILL");
    },
  };
}
