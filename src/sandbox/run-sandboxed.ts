import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GuildError } from "../protocol/index.js";
import { bwrapArgs } from "./bwrap-args.js";
import {
  describeLimit,
  kernelLimitOf,
  type LimitOverrides,
  mergeLimits,
  prlimitArgs,
  type SandboxLimit,
  type SandboxLimits,
} from "./sandbox-limits.js";
import { type SandboxMode, sandboxAvailability } from "./sandbox-mode.js";
import { findProgram, hasPrlimit, SANDBOX_DIRS } from "./sandbox-start.js";
import { watchSandbox } from "./sandbox-watch.js";

/** How one role's commands are confined: the mode, network, extra writable directories and limits. */
export interface SandboxPolicy {
  mode: SandboxMode;
  network: boolean;
  writable: readonly string[];
  limits?: LimitOverrides;
}

/** One command to run confined. */
export interface SandboxRun {
  argv: readonly string[];
  /** The worktree: the working directory, writable, its `.git` read-only. */
  cwd: string;
  policy: SandboxPolicy;
  /** The environment (build it with `childEnv`); HOME and TMPDIR are the sandbox's own. */
  env: Record<string, string>;
  input?: string | Uint8Array;
  signal?: AbortSignal;
  /** Limits for this run, over the policy's (e.g. a tool's own timeout as `wallMs`). */
  limits?: LimitOverrides;
  /**
   * Directories mounted read-only, named by guild, never by the command (a worktree's dependency links
   * point at the checkout's `node_modules`, which may sit under the hidden HOME).
   */
  readable?: readonly string[];
}

/** How a sandboxed command ended, with which limit stopped it, if one did. */
export interface SandboxResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved as they arrived. */
  output: string;
  limit?: SandboxLimit;
  /** A sentence naming the limit, when one stopped the command. */
  reason?: string;
  /** Stopped because the caller's signal aborted. */
  aborted: boolean;
  ms: number;
}

function start(run: SandboxRun, limits: SandboxLimits, dirs: { home: string; tmp: string }): ChildProcess {
  const { home, tmp } = dirs;
  const prlimit = hasPrlimit() ? ["prlimit", ...prlimitArgs(limits)] : [];
  const env: Record<string, string> = {
    ...run.env,
    HOME: home,
    TMPDIR: tmp,
  };
  const stdio = [run.input === undefined ? "ignore" : "pipe", "pipe", "pipe"] as const;
  if (run.policy.mode === "none") {
    const [file, ...args] = [...prlimit, ...run.argv] as [string, ...string[]];
    return spawn(file, args, { cwd: run.cwd, env, stdio: [...stdio], detached: true });
  }
  const layout = {
    cwd: run.cwd,
    writable: run.policy.writable,
    readable: run.readable ?? [],
    network: run.policy.network,
    home,
    tmp,
    path: env.PATH ?? "",
  };
  return spawn("bwrap", [...bwrapArgs(layout), ...prlimit, ...run.argv], {
    cwd: run.cwd,
    env,
    stdio: [...stdio],
    detached: true,
  });
}

/**
 * Runs one argv confined (bubblewrap, or unconfined where config says `sandbox: none`), with its limits
 * enforced and every process it started killed when it ends; refuses (`sandbox.denied`) where no sandbox exists.
 */
export async function runSandboxed(run: SandboxRun): Promise<SandboxResult> {
  if (run.policy.mode === "bubblewrap") {
    const availability = sandboxAvailability();
    if (!availability.available) {
      throw new GuildError("sandbox.denied", `refused to run ${run.argv[0]}: ${availability.reason}`, {
        details: { kind: "unavailable" },
      });
    }
  }
  const program = run.argv[0] ?? "";
  if (!findProgram(program, run.cwd, run.env.PATH ?? "")) {
    throw Object.assign(new Error(`${program}: not found on PATH`), { code: "ENOENT" });
  }
  const limits = mergeLimits(run.policy.limits, run.limits);
  const ownHome = run.policy.mode === "none" ? mkdtempSync(join(tmpdir(), "guild-home-")) : undefined;
  const ownDirs = ownHome ? { home: join(ownHome, "home"), tmp: join(ownHome, "tmp") } : undefined;
  if (ownDirs) for (const dir of Object.values(ownDirs)) mkdirSync(dir);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    let child: ChildProcess;
    try {
      child = start(run, limits, ownDirs ?? SANDBOX_DIRS);
    } catch (error) {
      if (ownHome) rmSync(ownHome, { recursive: true, force: true });
      reject(error);
      return;
    }
    const chunks: { err: boolean; data: Buffer }[] = [];
    let bytes = 0;
    const watch = watchSandbox(child, {
      bubblewrap: run.policy.mode === "bubblewrap",
      limits,
      signal: run.signal,
    });
    const take = (err: boolean) => (data: Buffer) => {
      const room = limits.outputBytes - bytes;
      if (room > 0) chunks.push({ err, data: data.length > room ? data.subarray(0, room) : data });
      bytes += data.length;
      if (bytes > limits.outputBytes) watch.stop("output");
    };
    child.stdout?.on("data", take(false));
    child.stderr?.on("data", take(true));
    child.stdin?.on("error", () => {});
    if (run.input !== undefined) child.stdin?.end(run.input);
    const finish = () => {
      watch.dispose();
      if (ownHome) rmSync(ownHome, { recursive: true, force: true });
    };
    // Whatever the command left running (a background or setsid child) ends with it.
    child.on("exit", () => watch.killAll());
    child.on("error", (error) => {
      finish();
      reject(error);
    });
    child.on("close", (code, signal) => {
      finish();
      const limit = watch.limit ?? kernelLimitOf(code, signal);
      const text = (pick: (c: { err: boolean }) => boolean) =>
        Buffer.concat(chunks.filter(pick).map((c) => c.data)).toString("utf8");
      resolve({
        code,
        signal,
        stdout: text((c) => !c.err),
        stderr: text((c) => c.err),
        output: text(() => true),
        ...(limit ? { limit, reason: describeLimit(limit, limits) } : {}),
        aborted: watch.aborted,
        ms: Math.round(performance.now() - started),
      });
    });
  });
}
