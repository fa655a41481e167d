import { readdirSync, readFileSync } from "node:fs";

/** The processes below one process, counted, with their resident memory. */
export interface TreeUsage {
  pids: number[];
  rssBytes: number;
}

const PAGE = 4096;

function statOf(pid: string): { ppid: number; rss: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name may hold spaces and parentheses; the fields after its last ")" do not.
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return { ppid: Number(fields[1]), rss: Number(fields[21]) * PAGE };
  } catch {
    return undefined;
  }
}

/**
 * Every live descendant of `root` (root excluded) and their memory, from /proc; empty where /proc is
 * missing. A process that left the tree (reparented to init) is no longer counted, which the PID
 * namespace of the bubblewrap sandbox prevents.
 */
export function treeUsage(root: number): TreeUsage {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return { pids: [], rssBytes: 0 };
  }
  const children = new Map<number, { pid: number; rss: number }[]>();
  for (const name of entries) {
    if (name.charCodeAt(0) > 57) continue;
    const stat = statOf(name);
    if (!stat) continue;
    const list = children.get(stat.ppid) ?? [];
    list.push({ pid: Number(name), rss: stat.rss });
    children.set(stat.ppid, list);
  }
  const pids: number[] = [];
  let rssBytes = 0;
  const queue = [root];
  while (queue.length > 0) {
    for (const child of children.get(queue.pop() as number) ?? []) {
      pids.push(child.pid);
      rssBytes += child.rss;
      queue.push(child.pid);
    }
  }
  return { pids, rssBytes };
}
