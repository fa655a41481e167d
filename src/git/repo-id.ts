import { createHash } from "node:crypto";
import { basename } from "node:path";
import { gitText } from "./git-exec.js";
import { remember, repoKey } from "./repo-facts.js";

const ids = new Map<string, string>();

/**
 * A repository's name on the bus, the same for every clone and never a path: the checkout's folder name
 * (cleaned, for people to read) and a hash of the root commits `commit` descends from (what makes two
 * clones one repository). An agent keeps its mirror of the repository under this id.
 * @example await repoId("/src/app", base) // "app-3f2a9c81d0b4e6f7"
 */
export async function repoId(repoDir: string, commit: string): Promise<string> {
  const key = `${repoKey(repoDir)}\0${commit}`;
  const known = ids.get(key);
  if (known) return known;
  const roots = (await gitText(repoDir, ["rev-list", "--max-parents=0", commit, "--"]))
    .split("\n")
    .filter(Boolean)
    .sort();
  const hash = createHash("sha256").update(roots.join("\n")).digest("hex").slice(0, 16);
  const name = basename(repoKey(repoDir))
    .replace(/\.git$/, "")
    .replace(/[^A-Za-z0-9_-]/g, "_")
    .slice(0, 40);
  const id = `${name || "repo"}-${hash}`;
  remember(ids, key, id);
  return id;
}
