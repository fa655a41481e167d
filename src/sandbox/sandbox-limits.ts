/** What stopped a sandboxed command before it ended by itself. */
export type SandboxLimit = "cpu" | "memory" | "processes" | "output" | "file-size" | "wall-time";

/** Resource limits of one command; the OS enforces CPU and file size, guild the rest. */
export interface SandboxLimits {
  /** CPU seconds of each process. */
  cpuSeconds: number;
  /** Resident memory of all the command's processes together. */
  memoryBytes: number;
  /** Processes alive at once, the command included. */
  processes: number;
  /** stdout and stderr together; past it the command is stopped. */
  outputBytes: number;
  /** The largest file any process may write. */
  fileBytes: number;
  /** Wall-clock time of the whole command. */
  wallMs: number;
}

export const DEFAULT_SANDBOX_LIMITS: SandboxLimits = {
  cpuSeconds: 600,
  memoryBytes: 4 * 1024 ** 3,
  processes: 256,
  outputBytes: 16 * 1024 ** 2,
  fileBytes: 1024 ** 3,
  wallMs: 10 * 60_000,
};

/** Some limits; an undefined value keeps the default. */
export type LimitOverrides = { [K in keyof SandboxLimits]?: number | undefined };

/** The defaults with each defined override applied in order. */
export function mergeLimits(...overrides: (LimitOverrides | undefined)[]): SandboxLimits {
  const limits = { ...DEFAULT_SANDBOX_LIMITS };
  for (const o of overrides) {
    for (const [k, v] of Object.entries(o ?? {})) if (v !== undefined) limits[k as keyof SandboxLimits] = v;
  }
  return limits;
}

/** `prlimit` arguments that make the kernel stop a process past its CPU time or file size. */
export function prlimitArgs(limits: SandboxLimits): string[] {
  // Soft below hard: SIGXCPU at the soft limit names the cause, where SIGKILL at the hard one would not.
  return [
    `--cpu=${limits.cpuSeconds}:${limits.cpuSeconds + 1}`,
    `--fsize=${limits.fileBytes}`,
    `--nproc=${limits.processes}`,
    "--core=0",
    "--",
  ];
}

const SIGXCPU = 24;
const SIGXFSZ = 25;

/** The limit the kernel enforced, read from how the command ended (a signal, or bwrap's 128 + signal). */
export function kernelLimitOf(code: number | null, signal: NodeJS.Signals | null): SandboxLimit | undefined {
  if (signal === "SIGXCPU" || code === 128 + SIGXCPU) return "cpu";
  if (signal === "SIGXFSZ" || code === 128 + SIGXFSZ) return "file-size";
  return undefined;
}

/** A sentence for a person: which limit stopped the command, at what value. */
export function describeLimit(limit: SandboxLimit, limits: SandboxLimits): string {
  switch (limit) {
    case "cpu":
      return `stopped: CPU time limit (${limits.cpuSeconds} s per process) reached`;
    case "memory":
      return `stopped: memory limit (${Math.round(limits.memoryBytes / 1024 ** 2)} MB) reached`;
    case "processes":
      return `stopped: process limit (${limits.processes} at once) reached`;
    case "output":
      return `stopped: output limit (${limits.outputBytes} bytes) reached`;
    case "file-size":
      return `stopped: file size limit (${limits.fileBytes} bytes) reached`;
    case "wall-time":
      return `stopped: time limit (${limits.wallMs} ms) reached`;
  }
}
