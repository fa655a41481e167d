import { rejected } from "./bundle-rejection.js";
import { gitText, runGit, splitNul } from "./git-exec.js";
import { symlinkEscapeReason, unsafePathReason } from "./path-safety.js";
import { changedBetween } from "./repo-facts.js";

/** Size limits of a proposal, per file and for all new content together. */
export interface SizeLimits {
  maxFileBytes: number;
  maxTotalBytes: number;
}

/** Default limits: 5 MiB per file, 50 MiB in total. */
export const DEFAULT_LIMITS: SizeLimits = { maxFileBytes: 5 << 20, maxTotalBytes: 50 << 20 };

/** Options of {@link checkProposal}. */
export interface CheckProposalOptions {
  base: string;
  head: string;
  isProtected?: (path: string) => boolean;
  approvedProtected?: boolean;
  limits?: SizeLimits;
  /** Extra environment, e.g. a quarantine object directory holding a bundle not yet accepted. */
  env?: Record<string, string>;
}

interface Change {
  mode: string;
  oid: string;
  status: string;
  path: string;
}

/**
 * Refuses (throwing `git.bundle_rejected`) a commit range that is not based on `base`, writes
 * outside the tree or into `.git`, adds an escaping symlink, is too large, or touches protected
 * paths without approval; every commit in the range is checked, not only the net result.
 */
export async function checkProposal(
  repoDir: string,
  opts: CheckProposalOptions,
): Promise<{ changedPaths: string[]; tipIsCommit: boolean }> {
  const env = opts.env ?? {};
  const range = await rangeCommits(repoDir, opts.base, opts.head, env);
  // One commit straight on the base (what an agent's proposal nearly always is) needs no ancestry
  // query, and its own diff is the net diff; anything else is asked of git.
  const single = range.length === 1 && range[0]?.parents.length === 1 && range[0].parents[0] === opts.base;
  if (!single) {
    const ancestor = await runGit(repoDir, ["merge-base", "--is-ancestor", opts.base, opts.head], {
      env,
      okCodes: [1],
    });
    if (ancestor.code !== 0) {
      throw rejected(
        "not_based_on_base",
        `${opts.head} is not based on the goal's base commit ${opts.base}`,
        {
          base: opts.base,
          head: opts.head,
        },
      );
    }
  }
  const changes = await rangeChanges(repoDir, range, env);
  for (const c of changes) {
    const reason = unsafePathReason(c.path);
    if (reason) throw rejected("unsafe_path", `${reason}: ${JSON.stringify(c.path)}`, { path: c.path });
  }
  const written = changes.filter((c) => c.status !== "D" && c.mode !== "160000");
  for (const link of written.filter((c) => c.mode === "120000")) {
    const target = await gitText(repoDir, ["cat-file", "blob", link.oid], { env });
    const reason = symlinkEscapeReason(link.path, target);
    if (reason)
      throw rejected("symlink_escape", `${reason}: ${link.path} -> ${target}`, { path: link.path, target });
  }
  await checkSizes(repoDir, written, opts.limits ?? DEFAULT_LIMITS, env);
  const touched = [...new Set(changes.map((c) => c.path))].sort();
  const guarded = opts.isProtected ? touched.filter((p) => opts.isProtected?.(p)) : [];
  if (guarded.length > 0 && !opts.approvedProtected) {
    throw rejected("protected_paths", `touches protected paths without approval: ${guarded.join(", ")}`, {
      paths: guarded,
    });
  }
  const changedPaths = await changedBetween(repoDir, opts.base, opts.head, {
    env,
    ...(single ? { known: touched } : {}),
  });
  // rev-list names commits: a tip listed first is a commit itself (not a tag pointing at one).
  return { changedPaths, tipIsCommit: range[0]?.id === opts.head };
}

interface RangeCommit {
  id: string;
  parents: string[];
}

async function rangeCommits(
  repoDir: string,
  base: string,
  head: string,
  env: Record<string, string>,
): Promise<RangeCommit[]> {
  const out = await gitText(repoDir, ["rev-list", "--parents", `${base}..${head}`], { env });
  if (out === "") return [];
  return out.split("\n").map((line) => {
    const [id = "", ...parents] = line.split(" ");
    return { id, parents };
  });
}

async function rangeChanges(
  repoDir: string,
  range: RangeCommit[],
  env: Record<string, string>,
): Promise<Change[]> {
  const commits = range.map((c) => c.id).join("\n");
  if (commits === "") return [];
  // -m: a merge commit is checked against each parent, so nothing hides inside a merge.
  const out = await runGit(
    repoDir,
    ["diff-tree", "-r", "-z", "-m", "--no-renames", "--no-commit-id", "--stdin"],
    {
      env,
      input: `${commits}\n`,
    },
  );
  const fields = splitNul(out.stdout);
  const changes: Change[] = [];
  for (let i = 0; i < fields.length; i++) {
    const meta = /^:(\d{6}) (\d{6}) ([0-9a-f]+) ([0-9a-f]+) ([A-Z])\d*$/.exec(fields[i] ?? "");
    if (!meta) continue;
    const path = fields[++i] ?? "";
    changes.push({ mode: meta[2] ?? "", oid: meta[4] ?? "", status: meta[5] ?? "", path });
  }
  return changes;
}

async function checkSizes(
  repoDir: string,
  written: Change[],
  limits: SizeLimits,
  env: Record<string, string>,
): Promise<void> {
  const oids = [...new Set(written.map((c) => c.oid))];
  if (oids.length === 0) return;
  const out = await gitText(repoDir, ["cat-file", "--batch-check=%(objectname) %(objectsize)"], {
    env,
    input: `${oids.join("\n")}\n`,
  });
  const sizes = new Map(out.split("\n").map((l) => [l.split(" ")[0] ?? "", Number(l.split(" ")[1])]));
  let total = 0;
  for (const c of written) {
    const size = sizes.get(c.oid) ?? 0;
    if (size > limits.maxFileBytes) {
      throw rejected(
        "file_too_large",
        `${c.path} is ${size} bytes, over the ${limits.maxFileBytes}-byte limit`,
        {
          path: c.path,
          size,
          limit: limits.maxFileBytes,
        },
      );
    }
  }
  for (const oid of oids) total += sizes.get(oid) ?? 0;
  if (total > limits.maxTotalBytes) {
    throw rejected(
      "total_too_large",
      `new content is ${total} bytes, over the ${limits.maxTotalBytes}-byte limit`,
      {
        size: total,
        limit: limits.maxTotalBytes,
      },
    );
  }
}
