import { AsyncLocalStorage } from "node:async_hooks";
import { GuildError, SAFE_GIT_ARGS, SAFE_GIT_ENV } from "../protocol/index.js";
import { gitRunner } from "./git-runner.js";
import { repositoryProgramSettings, withConfigEnv, withoutDiffPrograms } from "./repo-programs.js";

/** The identity guild commits with when the caller gives none, so commits work without git config. */
export const GUILD_IDENTITY = { name: "guild", email: "guild@localhost" } as const;

export interface GitRunOptions {
  input?: string | Uint8Array;
  env?: Record<string, string>;
  /** Exit codes that are answers rather than failures (e.g. 1 from `merge-tree` on conflict). */
  okCodes?: number[];
}

export interface GitResult {
  stdout: Buffer;
  stderr: string;
  code: number;
}

// Auto-gc and background maintenance take repository-wide locks at unpredictable moments, which
// is exactly what concurrent worktrees must not see; guild runs them never, the user's git may.
// Hooks, fsmonitor and user/system config are off (SAFE_GIT_ARGS): a planted hook must never run as guild.
const GLOBAL_ARGS = [
  "-c",
  "gc.auto=0",
  "-c",
  "maintenance.auto=false",
  "-c",
  "core.quotepath=false",
  ...SAFE_GIT_ARGS,
];
const LOCK_RETRIES = 6;

/** The environment every guild git process gets: no inherited GIT_* (a hook's GIT_DIR would redirect us), no user or system config, a fixed identity, no prompts. */
export function gitEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !k.toUpperCase().startsWith("GIT_")) env[k] = v;
  }
  return {
    ...env,
    LC_ALL: "C",
    ...SAFE_GIT_ENV,
    GIT_TERMINAL_PROMPT: "0",
    GIT_AUTHOR_NAME: GUILD_IDENTITY.name,
    GIT_AUTHOR_EMAIL: GUILD_IDENTITY.email,
    GIT_COMMITTER_NAME: GUILD_IDENTITY.name,
    GIT_COMMITTER_EMAIL: GUILD_IDENTITY.email,
    ...extra,
  };
}

const priorities = new AsyncLocalStorage<number>();

/**
 * Runs `fn` with its git processes ranked at `priority` (default 0): when more git runs wait than there are
 * cores, the highest go first. Guild ranks a task's work by how many tasks wait on it.
 */
export function withGitPriority<T>(priority: number, fn: () => T): T {
  return priorities.run(priority, fn);
}

/** CPU time of the git helper process and the git processes it ran (benchmarks add it to this process's). */
export function gitHelperUsage() {
  return gitRunner().usage?.() ?? Promise.resolve(undefined);
}

// The names the repository's config sets (reading config runs nothing), for the programs it may name.
async function configNames(cwd: string, priority: number): Promise<string[]> {
  const request = {
    file: "git",
    args: [...GLOBAL_ARGS, "config", "--list", "--name-only", "-z"],
    cwd,
    env: gitEnv(),
    input: "",
  };
  const result = await gitRunner().run(request, priority);
  return result.code === 0 ? splitNul(result.stdout) : [];
}

// The one place a git process's argv and environment are built; the runner only starts it. Filters and merge
// drivers the repository's config names are switched off, and diff drivers' programs by flags.
async function once(cwd: string, args: string[], opts: GitRunOptions): Promise<GitResult> {
  const priority = priorities.getStore() ?? 0;
  const neutral = await repositoryProgramSettings(cwd, () => configNames(cwd, priority));
  const request = {
    file: "git",
    args: [...GLOBAL_ARGS, ...withoutDiffPrograms(args)],
    cwd,
    env: gitEnv(withConfigEnv(opts.env, neutral)),
    input: opts.input ?? "",
  };
  return gitRunner().run(request, priority);
}

// Lock files held by another process, and a worktree entry another process is still writing.
function isTransient(stderr: string): boolean {
  return /\.lock': File exists|cannot lock ref|Unable to create .*\.lock|failed to read .*worktrees\//.test(
    stderr,
  );
}

/** Runs git without a shell; retries while another process holds a git lock file, throws `git.failed` otherwise. */
export async function runGit(cwd: string, args: string[], opts: GitRunOptions = {}): Promise<GitResult> {
  const ok = new Set([0, ...(opts.okCodes ?? [])]);
  for (let attempt = 0; ; attempt++) {
    const result = await once(cwd, args, opts);
    if (ok.has(result.code)) return result;
    // A lock held by another process (another guild, the user's IDE) is usually released within
    // milliseconds; the failed command changed nothing, so running it again is safe.
    if (attempt < LOCK_RETRIES && isTransient(result.stderr)) {
      await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
      continue;
    }
    throw new GuildError(
      "git.failed",
      `git ${args[0] ?? ""} failed: ${result.stderr.trim() || `exit ${result.code}`}`,
      {
        details: { args, cwd, code: result.code, stderr: result.stderr.slice(0, 4000) },
      },
    );
  }
}

/** Runs git and returns its trimmed stdout as text. */
export async function gitText(cwd: string, args: string[], opts: GitRunOptions = {}): Promise<string> {
  return (await runGit(cwd, args, opts)).stdout.toString("utf8").trim();
}

/** Splits NUL-separated git output into its fields, dropping the empty tail. */
export function splitNul(out: Buffer | string): string[] {
  const parts = out.toString().split("\0");
  if (parts.at(-1) === "") parts.pop();
  return parts;
}
