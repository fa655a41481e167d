import { execFileSync } from "node:child_process";
import { linkSync, readFileSync, statSync, unlinkSync, utimesSync, writeFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { GuildError, SAFE_GIT_ARGS, SAFE_GIT_ENV } from "../protocol/index.js";
import { repoKey } from "./repo-facts.js";

const tails = new Map<string, Promise<unknown>>();
const lockFiles = new Map<string, string>();
const LOCK_NAME = "guild-repo.lock";
const MAX_WAIT_MS = 120_000;
// The holder touches the lock file this often; a lock not touched for STALE_MS has a holder that is
// stopped or hung (SIGSTOP, a frozen VM), which a pid check cannot see, so it is broken.
const REFRESH_MS = 5_000;
const STALE_MS = 20_000;

// One lock file per repository, in the common git dir, so every worktree and process agrees on it.
function lockFileOf(key: string): string {
  let file = lockFiles.get(key);
  if (!file) {
    const common = execFileSync("git", [...SAFE_GIT_ARGS, "rev-parse", "--git-common-dir"], {
      env: { ...process.env, ...SAFE_GIT_ENV },
      cwd: key,
      encoding: "utf8",
    }).trim();
    file = join(isAbsolute(common) ? common : join(key, common), LOCK_NAME);
    lockFiles.set(key, file);
  }
  return file;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

// The lock file appears with the holder's pid already in it (written aside, then linked into place): a
// holder killed while taking the lock leaves no empty lock file that no pid check could break.
function tryCreate(file: string): boolean {
  const aside = `${file}.${process.pid}`;
  writeFileSync(aside, String(process.pid));
  try {
    linkSync(aside, file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    return false;
  } finally {
    safeUnlink(aside);
  }
}

async function acquire(file: string): Promise<void> {
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    if (tryCreate(file)) return;
    // A holder that died (crash, kill -9) never releases; its pid tells us so on this host.
    const holder = Number.parseInt(safeRead(file), 10);
    const known = Number.isInteger(holder) && holder > 0;
    if (ageMs(file) > STALE_MS || (known && !alive(holder))) {
      safeUnlink(file);
      continue;
    }
    if (Date.now() - started > MAX_WAIT_MS) {
      throw new GuildError("git.failed", `timed out waiting for ${file} (held by pid ${holder})`, {
        details: { file },
      });
    }
    await new Promise((r) =>
      setTimeout(r, Math.min(5 * 2 ** Math.min(attempt, 5), 100) * (0.5 + Math.random())),
    );
  }
}

function ageMs(file: string): number {
  try {
    return Date.now() - statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

function safeRead(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

function safeUnlink(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // Already gone: another waiter cleaned the stale lock first.
  }
}

/**
 * Runs `fn` holding the repository's lock: after every earlier call in this process has settled,
 * and while no other guild process holds `<git-common-dir>/guild-repo.lock`. Repository-level
 * steps (worktree add/remove, ref updates, bundle import) go through it; agents' own work does not.
 */
export async function withRepoLock<T>(repoDir: string, fn: () => Promise<T>): Promise<T> {
  const key = repoKey(repoDir);
  const locked = async () => {
    const file = lockFileOf(key);
    await acquire(file);
    const lease = setInterval(() => {
      try {
        const now = new Date();
        utimesSync(file, now, now);
      } catch {
        // Broken by a waiter that thought us stuck: finish; git's own locks still guard each step.
      }
    }, REFRESH_MS);
    lease.unref();
    try {
      return await fn();
    } finally {
      clearInterval(lease);
      // Only our own lock: if ours was broken while we were stopped, the file is someone else's now.
      if (safeRead(file) === String(process.pid)) safeUnlink(file);
    }
  };
  const before = tails.get(key) ?? Promise.resolve();
  const run = before.then(locked, locked);
  const tail = run.catch(() => undefined);
  tails.set(key, tail);
  try {
    return await run;
  } finally {
    // Drop the entry once nobody queued behind us, so the map does not grow per repository forever.
    if (tails.get(key) === tail) tails.delete(key);
  }
}
