/**
 * The pairs of proposals that could conflict: those sharing a changed path, or where one changes a
 * file at a path the other uses as a directory; every other pair merges trivially and is skipped.
 */
export function candidatePairs(changed: readonly (readonly string[])[]): [number, number][] {
  const byPath = new Map<string, number[]>();
  changed.forEach((paths, i) => {
    for (const p of paths) byPath.set(p, [...(byPath.get(p) ?? []), i]);
  });
  const pairs = new Set<string>();
  const result: [number, number][] = [];
  changed.forEach((paths, i) => {
    for (const p of paths) {
      for (const key of [p, ...ancestors(p)]) {
        for (const j of byPath.get(key) ?? []) {
          if (j === i) continue;
          const [a, b] = i < j ? [i, j] : [j, i];
          const id = `${a}:${b}`;
          if (!pairs.has(id)) {
            pairs.add(id);
            result.push([a, b]);
          }
        }
      }
    }
  });
  return result.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
}

function ancestors(path: string): string[] {
  const parts = path.split("/");
  return parts.slice(1).map((_, k) => parts.slice(0, k + 1).join("/"));
}
