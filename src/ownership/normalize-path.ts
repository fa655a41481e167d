/** A repository-relative path as the matchers expect it: `/`-separated, no leading `./` or `/`, no trailing `/`. */
export function normalizeRepoPath(path: string): string {
  let p = path.replace(/\\/g, "/").replace(/\/{2,}/g, "/");
  while (p.startsWith("./")) p = p.slice(2);
  if (p.startsWith("/")) p = p.slice(1);
  if (p.endsWith("/")) p = p.slice(0, -1);
  return p;
}
