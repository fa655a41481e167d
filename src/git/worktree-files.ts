import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { inflateSync } from "node:zlib";
import { isFullOid } from "./repo-facts.js";

// Answers read from a linked worktree's own git files where git's file formats make them certain; every
// function returns undefined (or false) where only git can tell (a packed ref or object, a lock held),
// and the caller then asks git.

/** A small file of git's (HEAD, a loose ref, a pointer file), trimmed; "" when it cannot be read. */
export function readText(file: string): string {
  try {
    return readFileSync(file, "utf8").trim();
  } catch {
    return "";
  }
}

/** The repository's common git dir, from a linked worktree's admin dir (`adminDir`). */
function commonDirOf(adminDir: string): string | undefined {
  const commondir = readText(join(adminDir, "commondir"));
  return commondir === "" ? undefined : resolve(adminDir, commondir);
}

/** The commit a linked worktree's HEAD names, and the branch it names it through, if any. */
export function headCommit(adminDir: string): { oid: string; ref?: string } | undefined {
  const head = readText(join(adminDir, "HEAD"));
  if (!head.startsWith("ref: ")) return isFullOid(head) ? { oid: head } : undefined;
  const ref = head.slice(5);
  const common = commonDirOf(adminDir);
  if (!common || !ref.startsWith("refs/heads/") || ref.split("/").includes("..")) return undefined;
  const oid = readText(join(common, ref));
  return isFullOid(oid) ? { oid, ref } : undefined;
}

/** The parents of a commit stored as a loose object (as a commit just made is). */
export function looseCommitParents(adminDir: string, oid: string): string[] | undefined {
  const common = commonDirOf(adminDir);
  if (!common || !isFullOid(oid)) return undefined;
  let raw: Buffer;
  try {
    raw = inflateSync(readFileSync(join(common, "objects", oid.slice(0, 2), oid.slice(2))));
  } catch {
    return undefined;
  }
  const nul = raw.indexOf(0);
  if (nul < 0 || !raw.subarray(0, nul).toString("latin1").startsWith("commit ")) return undefined;
  const body = raw.subarray(nul + 1).toString("latin1");
  const end = body.indexOf("\n\n");
  const header = (end < 0 ? body : body.slice(0, end)).split("\n");
  return header.filter((l) => l.startsWith("parent ")).map((l) => l.slice("parent ".length));
}

/**
 * Points a linked worktree's HEAD (`adminDir` is its git dir) at the commit its branch holds, as
 * `checkout --detach` does when the index and files already are that commit: the new HEAD is written
 * beside it and renamed over it, under git's own lock file name. False, with nothing changed, when git
 * holds the lock or the branch is not a loose ref; the caller then leaves it to git.
 */
export function detachHead(adminDir: string): boolean {
  const head = headCommit(adminDir);
  if (!head) return false;
  if (!head.ref) return true;
  const lock = join(adminDir, "HEAD.lock");
  try {
    writeFileSync(lock, `${head.oid}\n`, { flag: "wx" });
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
