import { existsSync, readFileSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, dirname, isAbsolute, join, resolve, sep } from "node:path";

/** The directories a sandboxed command may change and whether it reaches the network. */
export interface BwrapLayout {
  /** The worktree: writable, its `.git` read-only. */
  cwd: string;
  /** Further writable directories (absolute, or relative to `cwd`); missing ones are left out. */
  writable: readonly string[];
  /** Directories guild knows the command needs, mounted read-only (a checkout's dependencies hidden under HOME). */
  readable?: readonly string[];
  network: boolean;
  /** The command's HOME inside the sandbox (under the private /tmp). */
  home: string;
  /** The command's TMPDIR inside the sandbox (under the private /tmp, beside HOME). */
  tmp: string;
  /** PATH as the command sees it: its directories under the hidden real HOME are mounted back read-only. */
  path: string;
}

// `.git` of a linked worktree is a file naming `<repository>/worktrees/<name>`.
function linkedRepository(git: string): string | undefined {
  try {
    if (!statSync(git).isFile()) return undefined;
    const dir = /^gitdir: (.+)$/m.exec(readFileSync(git, "utf8"))?.[1]?.trim();
    return dir && isAbsolute(dir) ? dirname(dirname(dir)) : undefined;
  } catch {
    return undefined;
  }
}

function under(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir.endsWith(sep) ? dir : dir + sep);
}

/**
 * bubblewrap's arguments up to the command: the root read-only, /tmp, /run and the user's HOME private
 * and empty, the worktree and `writable` bound read-write with the worktree's `.git` read-only again,
 * every namespace unshared (the network too unless allowed), no capabilities, killed with its parent.
 */
export function bwrapArgs(layout: BwrapLayout): string[] {
  const args = ["--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp"];
  // /run holds sockets of host daemons (docker, dbus); a read-only mount does not stop connect() on them.
  // With network allowed it stays, since name resolution may live there.
  if (!layout.network && existsSync("/run")) args.push("--tmpfs", "/run");
  const realHome = homedir();
  if (realHome && realHome !== "/" && existsSync(realHome)) {
    args.push("--tmpfs", realHome);
    // Tools installed under HOME (nvm's node, ~/.local/bin) must still run: their prefix comes back read-only.
    for (const entry of new Set(layout.path.split(delimiter))) {
      if (!isAbsolute(entry) || !under(entry, realHome) || entry === realHome) continue;
      const prefix = entry.endsWith(`${sep}bin`) ? dirname(entry) : entry;
      if (prefix !== realHome) args.push("--ro-bind-try", prefix, prefix);
    }
  }
  for (const dir of layout.readable ?? []) if (isAbsolute(dir)) args.push("--ro-bind-try", dir, dir);
  args.push("--dir", layout.home, "--dir", layout.tmp, "--bind", layout.cwd, layout.cwd);
  for (const dir of layout.writable) {
    const full = resolve(layout.cwd, dir);
    args.push("--bind-try", full, full);
  }
  // Last, so no writable directory above the worktree makes its .git writable again.
  const git = join(layout.cwd, ".git");
  if (existsSync(git)) args.push("--ro-bind", git, git);
  // A linked worktree's repository may sit under a hidden directory (/tmp, HOME): it comes back read-only,
  // so `git status` or `git diff` in a test command still work.
  const common = linkedRepository(git);
  if (common) args.push("--ro-bind-try", common, common);
  args.push("--unshare-all", ...(layout.network ? ["--share-net"] : []));
  args.push("--die-with-parent", "--new-session", "--cap-drop", "ALL", "--chdir", layout.cwd, "--");
  return args;
}
