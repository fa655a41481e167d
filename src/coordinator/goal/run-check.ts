import { isGuildError } from "../../protocol/index.js";
import { childEnv, runSandboxed, type SandboxLimit, type SandboxPolicy } from "../../sandbox/index.js";

export interface CheckRun {
  exitCode: number | null;
  output: string;
  timedOut: boolean;
  /** The sandbox limit that stopped the command, if one did (its sentence ends `output`). */
  limit?: SandboxLimit;
}

export interface CheckOptions {
  /** The checkout the command verifies: writable, its `.git` read-only. */
  cwd: string;
  /** How the command is confined: the config's top-level `sandbox:` (bubblewrap unless `none`). */
  policy: SandboxPolicy;
  timeoutMs?: number;
  extraPath?: readonly string[];
  /** Directories mounted read-only besides the root (the checkout's dependencies). */
  readable?: readonly string[];
  /** The tail of the output kept, in characters. */
  maxOutput?: number;
}

// No colour codes: test output is read in events and terminals.
const QUIET = { CI: "true", NO_COLOR: "1", FORCE_COLOR: "0" };

/**
 * Runs an argv without a shell in the OS sandbox, with the child environment policy (allowlist, private
 * HOME and TMPDIR) and the policy's limits, every process it started killed when it ends. Throws
 * `sandbox.denied` where the policy needs a sandbox this machine lacks: nothing runs then.
 */
export async function runCheck(argv: readonly string[], options: CheckOptions): Promise<CheckRun> {
  const [file] = argv;
  if (!file) return { exitCode: null, output: "empty command", timedOut: false };
  // Only the allowlist reaches the merged code: no AWS_*, DATABASE_URL, NATS_URL or keys of any name.
  const env = childEnv({ extraPath: options.extraPath ?? [], set: QUIET });
  let result: Awaited<ReturnType<typeof runSandboxed>>;
  try {
    result = await runSandboxed({
      argv,
      cwd: options.cwd,
      policy: options.policy,
      env,
      ...(options.readable ? { readable: options.readable } : {}),
      ...(options.timeoutMs !== undefined ? { limits: { wallMs: options.timeoutMs } } : {}),
    });
  } catch (e) {
    if (isGuildError(e, "sandbox.denied")) throw e;
    return { exitCode: null, output: `could not start ${file}: ${(e as Error).message}`, timedOut: false };
  }
  const max = options.maxOutput ?? 60_000;
  const output = result.output.length > max ? `…${result.output.slice(-max)}` : result.output;
  // The reason a limit stopped the command comes last, so a trimmed output still says it.
  const stopped = result.reason ? `${output.endsWith("\n") || !output ? "" : "\n"}${result.reason}\n` : "";
  return {
    exitCode: result.code ?? null,
    output: output + stopped,
    timedOut: result.limit === "wall-time",
    ...(result.limit ? { limit: result.limit } : {}),
  };
}
