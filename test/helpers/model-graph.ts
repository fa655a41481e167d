import { getAdjacencyMap } from "@xstate/graph";
import type { AnyMachineSnapshot, AnyStateMachine, EventObject } from "xstate";

/** One edge of the explored state graph: abstract source, the event, abstract target. */
export interface ModelEdge<S> {
  from: string;
  event: EventObject;
  to: string;
  prev: S;
  next: S;
}

export interface ModelGraph<S> {
  initial: string;
  states: Map<string, S>;
  edges: ModelEdge<S>[];
  /** The shortest event sequence from the initial state to `key`, with the abstract state after each event. */
  pathTo(key: string): { events: EventObject[]; expected: string[] };
}

/**
 * Explores a machine with @xstate/graph's adjacency map (pure transitions, invoked actors never run; their
 * done/error events are part of `events`), and indexes the result for path generation.
 */
export function exploreModel<S extends AnyMachineSnapshot>(options: {
  machine: AnyStateMachine;
  input?: unknown;
  events(snapshot: S): EventObject[];
  serialize(snapshot: S): string;
  limit?: number;
}): ModelGraph<S> {
  const adj = getAdjacencyMap(options.machine, {
    input: options.input,
    limit: options.limit ?? 100_000,
    events: (s) => options.events(s as S),
    serializeState: (s) => options.serialize(s as S),
  });
  const states = new Map<string, S>();
  const edges: ModelEdge<S>[] = [];
  for (const [key, value] of Object.entries(adj)) {
    states.set(key, value.state as S);
    for (const t of Object.values(value.transitions) as { event: EventObject; state: unknown }[]) {
      const next = t.state as S;
      edges.push({ from: key, event: t.event, to: options.serialize(next), prev: value.state as S, next });
    }
  }
  const initial = Object.keys(adj)[0] as string;
  // Breadth-first parents give shortest paths; the adjacency map lists states in discovery order.
  const parent = new Map<string, { from: string; event: EventObject }>();
  const queue = [initial];
  const bySource = groupBy(edges, (e) => e.from);
  for (let i = 0; i < queue.length; i++) {
    const key = queue[i] as string;
    for (const e of bySource.get(key) ?? []) {
      if (e.to === initial || parent.has(e.to)) continue;
      parent.set(e.to, { from: key, event: e.event });
      queue.push(e.to);
    }
  }
  return {
    initial,
    states,
    edges,
    pathTo(key) {
      const events: EventObject[] = [];
      const expected: string[] = [];
      for (let k = key; k !== initial; ) {
        const p = parent.get(k);
        if (!p) throw new Error(`state not reachable: ${k}`);
        events.unshift(p.event);
        expected.unshift(k);
        k = p.from;
      }
      return { events, expected };
    },
  };
}

// Map.groupBy arrives in Node 21; guild supports Node 20.
function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

/** Keys of the states from which some state satisfying `isEnd` is reachable along edges `usable` allows. */
export function canReach<S>(
  graph: ModelGraph<S>,
  isEnd: (s: S) => boolean,
  usable: (e: ModelEdge<S>) => boolean,
): Set<string> {
  const reach = new Set([...graph.states].filter(([, s]) => isEnd(s)).map(([k]) => k));
  const byTarget = groupBy(
    graph.edges.filter((e) => usable(e)),
    (e) => e.to,
  );
  const queue = [...reach];
  for (let i = 0; i < queue.length; i++) {
    for (const e of byTarget.get(queue[i] as string) ?? []) {
      if (reach.has(e.from)) continue;
      reach.add(e.from);
      queue.push(e.from);
    }
  }
  return reach;
}
