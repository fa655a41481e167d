import { AsyncLocalStorage } from "node:async_hooks";
import { execFileSync } from "node:child_process";
import { GuildError, SAFE_GIT_ARGS, SAFE_GIT_ENV } from "../protocol/index.js";
import { gitRunner } from "./git-runner.js";
import {
  repositoryProgramSettings,
  repositoryProgramSettingsSync,
  withConfigEnv,
  withoutDiffPrograms,
} from "./repo-programs.js";

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

const LIST_CONFIG_NAMES = [...GLOBAL_ARGS, "config", "--list", "--name-only", "-z"];

// The names the repository's config sets (reading config runs nothing), for the programs it may name.
async function configNames(cwd: string, priority: number): Promise<string[]> {
  const request = { file: "git", args: LIST_CONFIG_NAMES, cwd, env: gitEnv(), input: "" };
  const result = await gitRunner().run(request, priority);
  return result.code === 0 ? splitNul(result.stdout) : [];
}

function configNamesSync(cwd: string): string[] {
  try {
    return splitNul(
      execFileSync("git", LIST_CONFIG_NAMES, { cwd, env: gitEnv(), stdio: ["ignore", "pipe", "ignore"] }),
    );
  } catch {
    return [];
  }
}

/** How guild's git starts in a directory: the arguments after `git` and the environment. */
export interface GitCommand {
  args: string[];
  env: Record<string, string>;
}

// The one place a git process's argv and environment are built. Filters and merge drivers the repository's
// config names are switched off, and diff drivers' programs by flags.
function commandWith(args: readonly string[], env: GitRunOptions["env"], neutral: [string, string][]) {
  return { args: [...GLOBAL_ARGS, ...withoutDiffPrograms(args)], env: gitEnv(withConfigEnv(env, neutral)) };
}

/**
 * The command line and environment guild's git runs `args` with in `cwd`, for callers that start git
 * themselves (a timeout, streamed input): hooks, fsmonitor, user config and every program the repository's
 * config names are off, as in {@link runGit}.
 */
export async function gitCommand(
  cwd: string,
  args: readonly string[],
  env?: Record<string, string>,
): Promise<GitCommand> {
  const priority = priorities.getStore() ?? 0;
  return commandWith(args, env, await repositoryProgramSettings(cwd, () => configNames(cwd, priority)));
}

/** {@link gitCommand} for callers that must run git synchronously. */
export function gitCommandSync(
  cwd: string,
  args: readonly string[],
  env?: Record<string, string>,
): GitCommand {
  return commandWith(
    args,
    env,
    repositoryProgramSettingsSync(cwd, () => configNamesSync(cwd)),
  );
}

/** Runs guild's git synchronously (see {@link gitCommandSync}); returns stdout, throws on a non-zero exit. */
export function gitSync(cwd: string, args: readonly string[], opts: { maxBuffer?: number } = {}): string {
  const command = gitCommandSync(cwd, args);
  return execFileSync("git", command.args, {
    cwd,
    env: command.env,
    encoding: "utf8",
    maxBuffer: opts.maxBuffer ?? 256 * 1024 * 1024,
    stdio: ["ignore", "pipe", "pipe"],
  });
}

async function once(cwd: string, args: string[], opts: GitRunOptions): Promise<GitResult> {
  const priority = priorities.getStore() ?? 0;
  const command = await gitCommand(cwd, args, opts.env);
  const request = { file: "git", ...command, cwd, input: opts.input ?? "" };
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
