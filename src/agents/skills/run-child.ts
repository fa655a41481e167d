import { childEnv, runSandboxed, type SandboxPolicy, sandboxPolicy } from "../../sandbox/index.js";

/**
 * Runs a program (no shell) over the worktree's code with stdin text, confined by `sandbox` (default
 * bubblewrap, no network) with the child environment policy; rejects when it did not end by itself.
 */
export async function runChild(
  argv: readonly string[],
  options: { cwd: string; input: string; timeoutMs: number; sandbox?: SandboxPolicy | undefined },
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const result = await runSandboxed({
    argv,
    cwd: options.cwd,
    policy: options.sandbox ?? sandboxPolicy(undefined),
    env: childEnv({}),
    input: options.input,
    limits: { wallMs: options.timeoutMs },
  });
  if (result.limit) throw new Error(`${argv.join(" ")}: ${result.reason}`);
  return { code: result.code, stdout: result.stdout, stderr: result.stderr };
}
