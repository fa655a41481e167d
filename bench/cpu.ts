import { readFileSync } from "node:fs";

/**
 * CPU time (ms) of this process's children that have exited and been waited for: the git processes it
 * spawned. Linux only (`/proc/self/stat` cutime + cstime, in clock ticks of 10 ms); NaN elsewhere.
 */
export function childCpuMs(): number {
  try {
    const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1]?.split(" ") ?? [];
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return Number.NaN;
  }
}
