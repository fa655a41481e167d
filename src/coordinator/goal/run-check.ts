import { execFile } from "node:child_process";
import { delimiter } from "node:path";

export interface CheckRun {
  exitCode: number | null;
  output: string;
  timedOut: boolean;
}

const SECRET_ENV = /(_API_KEY|_TOKEN|_SECRET|PASSWORD)$/i;

/** Runs an argv without a shell, with a timeout, a clean environment (no API keys) and bounded output. */
export function runCheck(
  argv: string[],
  options: { cwd: string; timeoutMs?: number; extraPath?: string[]; maxOutput?: number },
): Promise<CheckRun> {
  const [file, ...args] = argv;
  if (!file) return Promise.resolve({ exitCode: null, output: "empty command", timedOut: false });
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!SECRET_ENV.test(k)) env[k] = v;
  env.PATH = [...(options.extraPath ?? []), process.env.PATH ?? ""].join(delimiter);
  env.CI = "true";
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
        const output = `${stdout}${stderr}`;
        const trimmed = output.length > max ? `…${output.slice(-max)}` : output;
        const err = error as (NodeJS.ErrnoException & { killed?: boolean; code?: number | string }) | null;
        const exitCode = err ? (typeof err.code === "number" ? err.code : null) : 0;
        resolve({ exitCode, output: err && !output ? err.message : trimmed, timedOut: Boolean(err?.killed) });
      },
    );
  });
}
