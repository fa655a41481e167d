import { spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, join, resolve as resolvePath } from "node:path";

/**
 * Inside bubblewrap HOME and TMPDIR live in the private /tmp, so nothing is left behind on the host. They
 * are siblings, never one inside the other: codex refuses to put its helper binaries in a HOME under TMPDIR.
 */
export const SANDBOX_DIRS = { home: "/tmp/home", tmp: "/tmp/tmp" } as const;

let prlimitPresent: boolean | undefined;
/** Whether util-linux's prlimit is here to set CPU-time and file-size limits on the command. */
export function hasPrlimit(): boolean {
  prlimitPresent ??= spawnSync("prlimit", ["--version"], { stdio: "ignore" }).status === 0;
  return prlimitPresent;
}

/**
 * The executable a command names, found before the sandbox starts, so a missing program is "could not
 * start", not an exit code of bwrap's.
 */
export function findProgram(program: string, cwd: string, path: string): string | undefined {
  const candidates = program.includes("/")
    ? [resolvePath(cwd, program)]
    : path
        .split(delimiter)
        .filter(Boolean)
        .map((dir) => join(dir, program));
  return candidates.find((file) => {
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}
