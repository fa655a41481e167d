import { randomUUID } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gitPath, repoKey } from "./repo-facts.js";

const FILE = "guild-object-store";
const known = new Map<string, string>();

/**
 * A random id naming a repository's object store, kept in its common git directory: the main checkout
 * and every linked worktree give the same id, a clone (on this machine or another) a different one. An
 * agent whose repository names the coordinator's store commits straight into it and needs no bundle.
 */
export async function objectStoreId(repoDir: string): Promise<string> {
  const key = repoKey(repoDir);
  const cached = known.get(key);
  if (cached) return cached;
  const file = join(await gitPath(repoDir, "--git-common-dir"), FILE);
  try {
    // Exclusive create: of two processes naming the store at once, the first one's id holds.
    writeFileSync(file, `${randomUUID()}\n`, { flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  const id = readFileSync(file, "utf8").trim();
  known.set(key, id);
  return id;
}
