import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { GuildError } from "../protocol/index.js";
import { bwrapArgs } from "./bwrap-args.js";
import type { SandboxRun } from "./run-sandboxed.js";
import {
  describeLimit,
  kernelLimitOf,
  mergeLimits,
  prlimitArgs,
  type SandboxLimit,
} from "./sandbox-limits.js";
import { sandboxAvailability } from "./sandbox-mode.js";
import { findProgram, hasPrlimit, SANDBOX_DIRS } from "./sandbox-start.js";
import { watchSandbox } from "./sandbox-watch.js";

/**
 * One long-running process to start confined, its stdin, stdout and stderr left to the caller; `readable`
 * may name the package folder of the executable, when it sits under the hidden HOME.
 */
export type SandboxSpawn = Omit<SandboxRun, "input">;

/** How a spawned sandboxed process ended, with the limit that stopped it, if one did. */
export interface SandboxExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  limit?: SandboxLimit;
  reason?: string;
  /** Stopped because the caller's signal aborted or `kill` was called. */
  aborted: boolean;
}

/** A running sandboxed process: its pipes, how it ended, and a kill that takes every process it started. */
export interface SandboxedProcess {
  child: ChildProcessWithoutNullStreams;
  exited: Promise<SandboxExit>;
  kill(): void;
}

/**
 * Starts one argv confined like `runSandboxed` (bubblewrap, or unconfined where config says `sandbox: none`,
 * where the caller's env must name a private HOME) but streaming: for an agent that talks over its pipes.
 * Process, memory and wall-time limits are watched, CPU and file size enforced by prlimit; output is the
 * caller's to bound. A limit, the signal or `kill` ends it with every process it started.
 */
export function spawnSandboxed(run: SandboxSpawn): SandboxedProcess {
  const bubblewrap = run.policy.mode === "bubblewrap";
  if (bubblewrap) {
    const availability = sandboxAvailability();
    if (!availability.available) {
      throw new GuildError("sandbox.denied", `refused to run ${run.argv[0]}: ${availability.reason}`, {
        details: { kind: "unavailable" },
      });
    }
  }
  const program = run.argv[0] ?? "";
  if (findProgram(program, run.cwd, run.env.PATH ?? "") === undefined) {
    throw Object.assign(new Error(`${program}: not found on PATH`), { code: "ENOENT" });
  }
  const limits = mergeLimits(run.policy.limits, run.limits);
  const prlimit = hasPrlimit() ? ["prlimit", ...prlimitArgs(limits)] : [];
  const env = bubblewrap ? { ...run.env, HOME: SANDBOX_DIRS.home, TMPDIR: SANDBOX_DIRS.tmp } : run.env;
  const argv = bubblewrap
    ? [
        "bwrap",
        ...bwrapArgs({
          cwd: run.cwd,
          writable: run.policy.writable,
          network: run.policy.network,
          ...SANDBOX_DIRS,
          path: env.PATH ?? "",
          ...(run.readable ? { readable: run.readable } : {}),
        }),
        ...prlimit,
        ...run.argv,
      ]
    : [...prlimit, ...run.argv];
  const [file, ...args] = argv as [string, ...string[]];
  const child = spawn(file, args, { cwd: run.cwd, env, stdio: "pipe", detached: true });
  const watch = watchSandbox(child, { bubblewrap, limits, signal: run.signal });
  const exited = new Promise<SandboxExit>((resolve) => {
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      watch.dispose();
      // Whatever the command left running (a background or setsid child) ends with it.
      watch.killAll();
      const limit = watch.limit ?? kernelLimitOf(code, signal);
      resolve({
        code,
        signal,
        ...(limit ? { limit, reason: describeLimit(limit, limits) } : {}),
        aborted: watch.aborted,
      });
    };
    child.once("exit", finish);
    child.once("error", () => finish(null, null));
  });
  return { child, exited, kill: () => watch.stop("aborted") };
}
