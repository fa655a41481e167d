import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { isFullOid } from "./repo-facts.js";

/**
 * Points a linked worktree's HEAD (`adminDir` is its git dir) at the commit its branch holds, as
 * `checkout --detach` does when the index and files already are that commit: the new HEAD is written
 * beside it and renamed over it, under git's own lock file name. False, with nothing changed, when git
 * holds the lock or the branch is not a loose ref; the caller then leaves it to git.
 */
export function detachHead(adminDir: string): boolean {
  const head = readText(join(adminDir, "HEAD"));
  if (!head.startsWith("ref: ")) return isFullOid(head);
  const ref = head.slice(5);
  if (!ref.startsWith("refs/heads/") || ref.split("/").includes("..")) return false;
  const commondir = readText(join(adminDir, "commondir"));
  if (commondir === "") return false;
  const common = resolve(adminDir, commondir);
  const oid = readText(join(common, ref));
  if (!isFullOid(oid)) return false;
  const lock = join(adminDir, "HEAD.lock");
  try {
    writeFileSync(lock, `${oid}\n`, { flag: "wx" });
  } catch {
    return false;
  }
  try {
    renameSync(lock, join(adminDir, "HEAD"));
    return true;
  } catch {
    rmSync(lock, { force: true });
    return false;
  }
}

/** A small file of git's (HEAD, a loose ref, a pointer file), trimmed; "" when it cannot be read. */
export function readText(file: string): string {
  try {
    return readFileSync(file, "utf8").trim();
  } catch {
    return "";
  }
}
