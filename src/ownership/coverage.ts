import type { OwnershipMatcher } from "./ownership-matcher.js";

/** A folder none of whose tracked files has an owner. */
export interface UnownedFolder {
  folder: string;
  files: number;
}

/** How much of the repository's tracked files the rules give an owner. */
export interface Coverage {
  total: number;
  owned: number;
  /** `owned / total` as a percentage; 100 for an empty repository. */
  percent: number;
  /** The largest folders whose files are all unowned (outermost such folder only), largest first. */
  largestUnowned: UnownedFolder[];
  /** Unowned files at the repository root, which no folder groups. */
  unownedTopLevelFiles: number;
}

/** Measures ownership coverage of `files` and finds the largest wholly unowned folders. */
export function measureCoverage(matcher: OwnershipMatcher, files: readonly string[], limit = 10): Coverage {
  const totals = new Map<string, number>();
  const unowned = new Map<string, number>();
  let owned = 0;
  let unownedTopLevelFiles = 0;
  for (const file of files) {
    const isOwned = matcher.ownerOf(file).length > 0;
    if (isOwned) owned++;
    const parts = file.split("/");
    if (parts.length === 1 && !isOwned) unownedTopLevelFiles++;
    for (let depth = 1; depth < parts.length; depth++) {
      const folder = parts.slice(0, depth).join("/");
      totals.set(folder, (totals.get(folder) ?? 0) + 1);
      if (!isOwned) unowned.set(folder, (unowned.get(folder) ?? 0) + 1);
    }
  }
  const whollyUnowned = (folder: string) => unowned.get(folder) === totals.get(folder);
  const largestUnowned = [...unowned.keys()]
    .filter(whollyUnowned)
    .filter((folder) => {
      const parent = folder.includes("/") ? folder.slice(0, folder.lastIndexOf("/")) : undefined;
      return parent === undefined || !whollyUnowned(parent);
    })
    .map((folder) => ({ folder, files: unowned.get(folder) ?? 0 }))
    .sort((a, b) => b.files - a.files || a.folder.localeCompare(b.folder))
    .slice(0, limit);
  const total = files.length;
  return {
    total,
    owned,
    percent: total === 0 ? 100 : (owned / total) * 100,
    largestUnowned,
    unownedTopLevelFiles,
  };
}
