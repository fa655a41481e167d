import { readFileSync } from "node:fs";
import { gitHelperUsage } from "../src/git/index.js";

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

/**
 * CPU time (ms) spent running git for this process: its own exited children, plus the git helper process
 * (its own CPU and its exited children), which starts the git processes of `runGit`.
 */
export async function gitCpuMs(): Promise<number> {
  const helper = await gitHelperUsage();
  return childCpuMs() + (helper ? helper.cpuMs + helper.childCpuMs : 0);
}
