/**
 * The dependency cycles of a task graph, each as the ids along it with the first repeated at the end
 * (`a → b → a`); one cycle per back edge found by a depth-first walk, so every cyclic graph reports one.
 */
export function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const seen = new Set<string>();

  const visit = (node: string): void => {
    state.set(node, "open");
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      const s = state.get(next);
      if (s === "open") {
        const cycle = [...stack.slice(stack.lastIndexOf(next)), next];
        const key = canonical(cycle);
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push(cycle);
        }
      } else if (s === undefined && graph.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, "done");
  };

  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return cycles;
}

/** The same cycle starting anywhere gives one key: rotate to the smallest id. */
function canonical(cycle: readonly string[]): string {
  const ring = cycle.slice(0, -1);
  const start = ring.indexOf([...ring].sort()[0] as string);
  return [...ring.slice(start), ...ring.slice(0, start)].join("\u0000");
}

/** Task ids in an order where every task comes after the tasks it depends on; undefined when cyclic. */
export function topologicalOrder(graph: ReadonlyMap<string, readonly string[]>): string[] | undefined {
  const order: string[] = [];
  const placed = new Set<string>();
  let progress = true;
  while (progress && placed.size < graph.size) {
    progress = false;
    for (const [node, deps] of graph) {
      if (placed.has(node) || !deps.every((d) => placed.has(d) || !graph.has(d))) continue;
      placed.add(node);
      order.push(node);
      progress = true;
    }
  }
  return placed.size === graph.size ? order : undefined;
}
