import { realpathSync } from "node:fs";
import { resolve } from "node:path";

const tails = new Map<string, Promise<unknown>>();

function keyOf(repoDir: string): string {
  try {
    return realpathSync(repoDir);
  } catch {
    return resolve(repoDir);
  }
}

/**
 * Runs `fn` after every earlier `withRepoLock` call on the same repository has settled.
 * Repository-level steps (worktree add/remove, ref updates, bundle import) go through it so that
 * concurrent agents in one process never race for git's lock files; their own work does not.
 */
export async function withRepoLock<T>(repoDir: string, fn: () => Promise<T>): Promise<T> {
  const key = keyOf(repoDir);
  const before = tails.get(key) ?? Promise.resolve();
  const run = before.then(fn, fn);
  const tail = run.catch(() => undefined);
  tails.set(key, tail);
  try {
    return await run;
  } finally {
    // Drop the entry once nobody queued behind us, so the map does not grow per repository forever.
    if (tails.get(key) === tail) tails.delete(key);
  }
}
