import { execFile } from "node:child_process";
import type { SpawnerUsage, SpawnRequest, SpawnResult } from "./git-spawner.js";

/** What runs guild's git processes: plain `execFile` by default, a helper process when one is set. */
export interface GitRunner {
  /** Runs one git process; `priority` ranks it when runs wait (a runner may ignore it). */
  run(request: SpawnRequest, priority: number): Promise<SpawnResult>;
  /** CPU of the runner's own process and the git it ran, where it keeps one (benchmarks add it). */
  usage?(): Promise<SpawnerUsage | undefined>;
  /** Stops whatever the runner keeps running. */
  close?(): void;
}

/** Runs git straight from this process with execFile, no shell: the default for library use. */
export const execFileRunner: GitRunner = {
  run(request) {
    return new Promise((resolve) => {
      const child = execFile(
        request.file,
        request.args,
        { cwd: request.cwd, env: request.env, encoding: "buffer", maxBuffer: 1 << 30 },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === "number" ? error.code : 128) : 0;
          resolve({ stdout, stderr: stderr.toString("utf8"), code });
        },
      );
      child.stdin?.on("error", () => {});
      child.stdin?.end(request.input);
    });
  },
};

let current: GitRunner = execFileRunner;

/**
 * Sets what runs guild's git processes from now on, and returns the one it replaces.
 * @example setGitRunner(new GitSpawner()) // `guild up`: git from a small helper process
 */
export function setGitRunner(runner: GitRunner): GitRunner {
  const previous = current;
  current = runner;
  return previous;
}

/** The runner in use. */
export function gitRunner(): GitRunner {
  return current;
}
