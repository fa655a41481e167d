import type { ChildProcess } from "node:child_process";
import { treeUsage } from "./process-tree.js";
import type { SandboxLimit, SandboxLimits } from "./sandbox-limits.js";

const WATCH_MS = 100;

/** What ended a watched run early: a limit, or the caller's abort. */
export interface SandboxWatch {
  /** Ends the run for `why`, killing every process it started. */
  stop(why: SandboxLimit | "aborted"): void;
  /** Kills whatever the command left running (a background or setsid child). */
  killAll(): void;
  /** Stops watching (the command ended). */
  dispose(): void;
  readonly limit: SandboxLimit | undefined;
  readonly aborted: boolean;
}

/**
 * Watches a sandboxed command's process tree against its process and memory limits and its wall time,
 * and ends it on the caller's abort signal. Killing takes the group, then (in `none` mode) every process
 * seen in the tree, for a setsid child; under bubblewrap the PID namespace dies with its init, and a pid
 * seen earlier may have been reused.
 */
export function watchSandbox(
  child: ChildProcess,
  opts: { bubblewrap: boolean; limits: SandboxLimits; signal?: AbortSignal | undefined },
): SandboxWatch {
  let limit: SandboxLimit | undefined;
  let aborted = false;
  let seen: number[] = [];
  const killAll = () => {
    const strays = opts.bubblewrap ? [] : seen;
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
  const own = opts.bubblewrap ? -1 : 1;
  const watch = setInterval(() => {
    if (child.pid === undefined) return;
    const usage = treeUsage(child.pid);
    seen = usage.pids;
    if (usage.pids.length + own > opts.limits.processes) stop("processes");
    else if (usage.rssBytes > opts.limits.memoryBytes) stop("memory");
  }, WATCH_MS);
  const wall = setTimeout(() => stop("wall-time"), opts.limits.wallMs);
  const onAbort = () => stop("aborted");
  opts.signal?.addEventListener("abort", onAbort, { once: true });
  if (opts.signal?.aborted) onAbort();
  return {
    stop,
    killAll,
    dispose: () => {
      clearInterval(watch);
      clearTimeout(wall);
      opts.signal?.removeEventListener("abort", onAbort);
    },
    get limit() {
      return limit;
    },
    get aborted() {
      return aborted;
    },
  };
}
