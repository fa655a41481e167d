import { readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

// A merge driver that is git's own three-way text merge: what a path gets when its attributes name no
// driver. Run by git through the shell with git's placeholders; exit status > 0 means conflicts, as git expects.
const NEUTRAL_MERGE_DRIVER = "git merge-file --marker-size=%L -L ours -L base -L theirs %A %O %B";

/**
 * Settings that switch off every program a repository's config names for `.gitattributes` to pick: the
 * filters' clean, smudge and process commands (content goes through as it is) and merge drivers (git's
 * own text merge instead). Diff drivers' textconv and command are switched off by flags ({@link withoutDiffPrograms}).
 * @example neutralSettings(["filter.lfs.clean"]) // [["filter.lfs.clean", ""], ["filter.lfs.smudge", ""], …]
 */
export function neutralSettings(names: readonly string[]): [key: string, value: string][] {
  const filters = new Set<string>();
  const drivers = new Set<string>();
  for (const name of names) {
    const filter = /^filter\.(.+)\.(clean|smudge|process|required)$/i.exec(name);
    if (filter?.[1] !== undefined) filters.add(filter[1]);
    const merge = /^merge\.(.+)\.driver$/i.exec(name);
    if (merge?.[1] !== undefined) drivers.add(merge[1]);
  }
  const settings: [string, string][] = [];
  for (const x of filters) {
    for (const key of ["clean", "smudge", "process"]) settings.push([`filter.${x}.${key}`, ""]);
    // A required filter without a command would fail the operation; the content passes as it is instead.
    settings.push([`filter.${x}.required`, "false"]);
  }
  for (const x of drivers) settings.push([`merge.${x}.driver`, NEUTRAL_MERGE_DRIVER]);
  return settings;
}

/**
 * `env` with `settings` added to the config it gives git through the environment (`GIT_CONFIG_COUNT`,
 * `GIT_CONFIG_KEY_<n>`, `GIT_CONFIG_VALUE_<n>`), where no `=` in a driver's name can split key from value as it
 * would in `-c`. The settings `env` already gives come after, so they win where both name a key.
 */
export function withConfigEnv(
  env: Readonly<Record<string, string>> | undefined,
  settings: readonly [string, string][],
): Record<string, string> {
  const rest: Record<string, string> = { ...env };
  const given: [string, string][] = [];
  const count = Number(rest.GIT_CONFIG_COUNT ?? 0);
  for (let i = 0; i < count; i++)
    given.push([rest[`GIT_CONFIG_KEY_${i}`] ?? "", rest[`GIT_CONFIG_VALUE_${i}`] ?? ""]);
  for (const name of Object.keys(rest))
    if (/^GIT_CONFIG_(COUNT|KEY_\d+|VALUE_\d+)$/.test(name)) delete rest[name];
  const all = [...settings, ...given];
  if (all.length === 0) return rest;
  rest.GIT_CONFIG_COUNT = String(all.length);
  all.forEach(([key, value], i) => {
    rest[`GIT_CONFIG_KEY_${i}`] = key;
    rest[`GIT_CONFIG_VALUE_${i}`] = value;
  });
  return rest;
}

// Porcelain that runs a diff driver's textconv or external command unless told not to.
const DIFF_PROGRAM_FLAGS: Record<string, readonly string[]> = {
  diff: ["--no-ext-diff", "--no-textconv"],
  log: ["--no-ext-diff", "--no-textconv"],
  show: ["--no-ext-diff", "--no-textconv"],
  whatchanged: ["--no-ext-diff", "--no-textconv"],
  blame: ["--no-textconv"],
};

/** `args` with the flags that stop a diff driver's textconv and external diff right after the subcommand. */
export function withoutDiffPrograms(args: readonly string[]): string[] {
  let i = 0;
  // Options before the subcommand: `-c key=value` and `-C dir` take the next word.
  while (i < args.length && args[i]?.startsWith("-")) i += args[i] === "-c" || args[i] === "-C" ? 2 : 1;
  const flags = DIFF_PROGRAM_FLAGS[args[i] ?? ""];
  return flags ? [...args.slice(0, i + 1), ...flags, ...args.slice(i + 1)] : [...args];
}

// The git directory git would find from `dir` (a worktree's `.git` file points at it; a bare one is itself).
function gitDirOf(dir: string): string | undefined {
  for (let at = resolve(dir); ; at = dirname(at)) {
    const dot = join(at, ".git");
    try {
      const stat = statSync(dot);
      if (stat.isDirectory()) return dot;
      const linked = /^gitdir: (.+)$/m.exec(readFileSync(dot, "utf8"))?.[1]?.trim();
      return linked ? resolve(at, linked) : undefined;
    } catch {}
    try {
      if (statSync(join(at, "objects")).isDirectory() && statSync(join(at, "HEAD")).isFile()) return at;
    } catch {}
    if (dirname(at) === at) return undefined;
  }
}

// The files a repository's config is read from, and a stamp that changes when any of them does.
function configStamp(cwd: string): string | undefined {
  const gitDir = gitDirOf(cwd);
  if (!gitDir) return undefined;
  let common = gitDir;
  try {
    common = resolve(gitDir, readFileSync(join(gitDir, "commondir"), "utf8").trim());
  } catch {}
  const files = [join(common, "config"), join(common, "config.worktree"), join(gitDir, "config.worktree")];
  return [
    gitDir,
    ...files.map((file) => {
      try {
        const s = statSync(file);
        return `${s.ino}:${s.size}:${s.mtimeMs}`;
      } catch {
        return "-";
      }
    }),
  ].join("|");
}

const MAX_CACHED = 256;
const cache = new Map<string, { stamp: string; settings: [string, string][] }>();

function remembered(cwd: string): { stamp: string | undefined; settings?: [string, string][] } {
  const stamp = configStamp(cwd);
  const known = stamp === undefined ? undefined : cache.get(cwd);
  return known && known.stamp === stamp ? { stamp, settings: known.settings } : { stamp };
}

function remember(cwd: string, stamp: string | undefined, names: string[]): [string, string][] {
  const settings = neutralSettings(names);
  if (stamp !== undefined && !names.some((n) => /^include(if)?\./i.test(n))) {
    cache.delete(cwd);
    cache.set(cwd, { stamp, settings });
    if (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value as string);
  }
  return settings;
}

/**
 * The settings that switch off the programs the repository at `cwd` configures, from its config's
 * names (`list`, a `git config --list --name-only`); remembered while its config files stay as they are.
 * Config that includes other files is listed every time, since those files may change unseen.
 */
export async function repositoryProgramSettings(
  cwd: string,
  list: () => Promise<string[]>,
): Promise<[string, string][]> {
  const { stamp, settings } = remembered(cwd);
  return settings ?? remember(cwd, stamp, await list());
}

/** {@link repositoryProgramSettings} for callers that run git synchronously. */
export function repositoryProgramSettingsSync(cwd: string, list: () => string[]): [string, string][] {
  const { stamp, settings } = remembered(cwd);
  return settings ?? remember(cwd, stamp, list());
}
