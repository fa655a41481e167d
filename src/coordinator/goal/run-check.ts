import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { childEnv } from "../../sandbox/index.js";

export interface CheckRun {
  exitCode: number | null;
  output: string;
  timedOut: boolean;
}

/** Runs an argv without a shell, with a timeout, the child environment policy (allowlist, own HOME) and bounded output. */
export function runCheck(
  argv: string[],
  options: { cwd: string; timeoutMs?: number; extraPath?: string[]; maxOutput?: number },
): Promise<CheckRun> {
  const [file, ...args] = argv;
  if (!file) return Promise.resolve({ exitCode: null, output: "empty command", timedOut: false });
  // Only the allowlist (and no colour codes: test output is read in events and terminals) reaches the merged code: no AWS_*, DATABASE_URL, NATS_URL or keys of any name.
  const home = mkdtempSync(join(tmpdir(), "guild-check-home-"));
  const env = childEnv({
    home,
    extraPath: options.extraPath ?? [],
    set: { CI: "true", NO_COLOR: "1", FORCE_COLOR: "0" },
  });
  const max = options.maxOutput ?? 60_000;
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      {
        cwd: options.cwd,
        env,
        timeout: options.timeoutMs ?? 10 * 60_000,
        maxBuffer: 20 * 1024 * 1024,
        shell: false,
      },
      (error, stdout, stderr) => {
        rmSync(home, { recursive: true, force: true });
        const output = `${stdout}${stderr}`;
        const trimmed = output.length > max ? `…${output.slice(-max)}` : output;
        const err = error as (NodeJS.ErrnoException & { killed?: boolean; code?: number | string }) | null;
        const exitCode = err ? (typeof err.code === "number" ? err.code : null) : 0;
        resolve({ exitCode, output: err && !output ? err.message : trimmed, timedOut: Boolean(err?.killed) });
      },
    );
  });
}
