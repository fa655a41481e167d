import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { GuildError } from "../protocol/index.js";
import { bwrapArgs } from "./bwrap-args.js";
import { treeUsage } from "./process-tree.js";
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

const WATCH_MS = 100;
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
  let limit: SandboxLimit | undefined;
  let aborted = false;
  let seen: number[] = [];
  const killAll = () => {
    // The group, then (in `none` mode) every process seen in the tree, for a setsid child; under bubblewrap
    // the PID namespace dies with its init, and a pid seen earlier may have been reused.
    const strays = bubblewrap ? [] : seen;
    for (const pid of [-(child.pid ?? 0), child.pid ?? 0, ...strays]) {
      if (pid === 0) continue;
      try {
        process.kill(pid, "SIGKILL");
      } catch {}
    }
  };
  const stop = (why: SandboxLimit | "aborted") => {
    if (why === "aborted") aborted = true;
    else limit ??= why;
    killAll();
  };
  // bubblewrap's own init is one process of the tree; in `none` mode the command is the tree's root.
  const own = bubblewrap ? -1 : 1;
  const watch = setInterval(() => {
    if (child.pid === undefined) return;
    const usage = treeUsage(child.pid);
    seen = usage.pids;
    if (usage.pids.length + own > limits.processes) stop("processes");
    else if (usage.rssBytes > limits.memoryBytes) stop("memory");
  }, WATCH_MS);
  const wall = setTimeout(() => stop("wall-time"), limits.wallMs);
  const onAbort = () => stop("aborted");
  run.signal?.addEventListener("abort", onAbort, { once: true });
  if (run.signal?.aborted) onAbort();
  const exited = new Promise<SandboxExit>((resolve) => {
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      clearInterval(watch);
      clearTimeout(wall);
      run.signal?.removeEventListener("abort", onAbort);
      // Whatever the command left running (a background or setsid child) ends with it.
      killAll();
      limit ??= kernelLimitOf(code, signal);
      resolve({
        code,
        signal,
        ...(limit ? { limit, reason: describeLimit(limit, limits) } : {}),
        aborted,
      });
    };
    child.once("exit", finish);
    child.once("error", () => finish(null, null));
  });
  return { child, exited, kill: () => stop("aborted") };
}
