import type { AnyStateMachine, AnyStateNode, InspectionEvent } from "xstate";

/** One transition of a machine definition, e.g. `goal.settling --xstate.done.actor.0.goal.settling[hasRevisions]--> goal.running`. */
export type EdgeKey = string;

interface TransitionLike {
  source: AnyStateNode;
  target?: readonly AnyStateNode[] | undefined;
  eventType: string;
  guard?: unknown;
}

function guardName(guard: unknown): string {
  if (guard === undefined) return "";
  if (typeof guard === "string") return `[${guard}]`;
  if (typeof guard === "object" && guard !== null && "type" in guard) return `[${String(guard.type)}]`;
  return "[inline]";
}

/** The stable name of one transition definition: source, event (empty for `always`), guard and targets. */
export function edgeKey(t: TransitionLike): EdgeKey {
  const targets = t.target?.map((n) => n.id).join(",") || "(self)";
  const event = t.eventType === "" ? "always" : t.eventType;
  return `${t.source.id} --${event}${guardName(t.guard)}--> ${targets}`;
}

function allNodes(node: AnyStateNode): AnyStateNode[] {
  return [node, ...Object.values(node.states).flatMap((child) => allNodes(child))];
}

/** Every transition the machine definition declares (event, eventless and invoke done/error), by key. */
export function definitionEdges(machine: AnyStateMachine): Set<EdgeKey> {
  const edges = new Set<EdgeKey>();
  for (const node of allNodes(machine.root)) {
    for (const list of node.transitions.values()) for (const t of list) edges.add(edgeKey(t));
    for (const t of node.always ?? []) edges.add(edgeKey(t));
  }
  return edges;
}

/** Dotted names of every leaf state (`running.dispatching`, `done`, …). */
export function leafStates(machine: AnyStateMachine): Set<string> {
  const rootId = machine.root.id;
  return new Set(
    allNodes(machine.root)
      .filter((n) => Object.keys(n.states).length === 0)
      .map((n) => n.id.slice(rootId.length + 1)),
  );
}

/** Dotted name of a state value (`{ running: "reviewing" }` → `running.reviewing`). */
export function valueName(value: unknown): string {
  if (typeof value === "string") return value;
  const [key, inner] = Object.entries(value as Record<string, unknown>)[0] ?? ["?", undefined];
  return inner === undefined ? key : `${key}.${valueName(inner)}`;
}

/** Collects, from an actor's inspection stream, the transitions it took and the states it passed through. */
export class CoverageRecorder {
  readonly edges = new Map<EdgeKey, number>();
  readonly states = new Set<string>();
  /** Each microstep as `from → to` with the transitions that made it, for the invariants on final states. */
  readonly microsteps: { from: string; to: string; edges: EdgeKey[]; events: string[] }[] = [];
  #last = "";

  /** Pass as `createActor(machine, { inspect: recorder.inspect })`. */
  readonly inspect = (event: InspectionEvent): void => {
    if (event.type !== "@xstate.microstep") return;
    const to = valueName((event.snapshot as unknown as { value: unknown }).value);
    const keys = event._transitions.map((t) => edgeKey(t as TransitionLike));
    for (const key of keys) this.edges.set(key, (this.edges.get(key) ?? 0) + 1);
    this.states.add(to);
    const events = event._transitions.map((t) => (t.eventType === "" ? "always" : t.eventType));
    this.microsteps.push({ from: this.#last, to, edges: keys, events });
    this.#last = to;
  };

  /** Marks the initial state, which no microstep reports with a source. */
  begin(value: unknown): void {
    this.#last = valueName(value);
    this.states.add(this.#last);
  }

  merge(other: CoverageRecorder): void {
    for (const [k, n] of other.edges) this.edges.set(k, (this.edges.get(k) ?? 0) + n);
    for (const s of other.states) this.states.add(s);
  }
}
