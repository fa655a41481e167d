import { expect } from "vitest";
import {
  type AnyMachineSnapshot,
  type AnyStateMachine,
  type AnyStateNode,
  createActor,
  type EventObject,
  fromPromise,
} from "xstate";
import { CoverageRecorder } from "./model-coverage.js";

const DONE = "xstate.done.actor.";
const ERROR = "xstate.error.actor.";

interface Pending {
  resolve(value: unknown): void;
  reject(error: unknown): void;
  input: unknown;
}

/** Invoke id → actor source name (`0.goal.planning` → `plan`), read from the machine definition. */
export function invokeSources(machine: AnyStateMachine): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (node: AnyStateNode): void => {
    for (const inv of node.invoke) if (typeof inv.src === "string") out.set(inv.id, inv.src);
    for (const child of Object.values(node.states)) visit(child);
  };
  visit(machine.root);
  return out;
}

/**
 * Promise actors that settle only when told: each invocation waits until the replay resolves or rejects it
 * with the output or error the model chose, so the real actor runs exactly the path the model generated.
 */
export function scriptedEffects(sources: Iterable<string>) {
  const pending = new Map<string, Pending>();
  const actors = Object.fromEntries(
    [...new Set(sources)].map((src) => [
      src,
      fromPromise<unknown, unknown>(
        ({ input }) =>
          new Promise((resolve, reject) => {
            pending.set(src, { resolve, reject, input });
          }),
      ),
    ]),
  );
  return {
    actors,
    /** The invocation of `src` now waiting, removed from the table. */
    take(src: string): Pending | undefined {
      const p = pending.get(src);
      pending.delete(src);
      return p;
    },
  };
}

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface ReplayOptions<S extends AnyMachineSnapshot> {
  /** The machine with its default (throwing) actors; the replay provides scripted ones. */
  machine: AnyStateMachine;
  input?: unknown;
  /** Events of one model path, done/error events of invoked actors included. */
  events: readonly EventObject[];
  /** The model's abstract state after each event, compared with the real actor's. */
  expected: readonly string[];
  serialize(snapshot: S): string;
  /** Invariants over one step of the real actor. */
  check(prev: S, event: EventObject, next: S, microsteps: CoverageRecorder["microsteps"]): void;
}

/** Runs one model path on a real actor with scripted effects, checking the state and invariants at each step. */
export async function replayPath<S extends AnyMachineSnapshot>(
  options: ReplayOptions<S>,
): Promise<CoverageRecorder> {
  const sources = invokeSources(options.machine);
  const effects = scriptedEffects(sources.values());
  const recorder = new CoverageRecorder();
  const machine = options.machine.provide({ actors: effects.actors });
  const actor = createActor(machine, { input: options.input, inspect: recorder.inspect });
  actor.start();
  await flush();
  let prev = actor.getSnapshot() as S;
  recorder.begin(prev.value);
  try {
    for (const [i, event] of options.events.entries()) {
      const seen = recorder.microsteps.length;
      const invoked = event.type.startsWith(DONE) || event.type.startsWith(ERROR);
      if (invoked) {
        const id = event.type.slice(event.type.startsWith(DONE) ? DONE.length : ERROR.length);
        const src = sources.get(id) ?? id;
        const waiting = effects.take(src);
        expect(waiting, `step ${i}: no ${src} invocation is waiting for ${event.type}`).toBeDefined();
        if (event.type.startsWith(DONE))
          waiting?.resolve((event as EventObject & { output: unknown }).output);
        else waiting?.reject((event as EventObject & { error: unknown }).error);
      } else {
        actor.send(event);
      }
      await flush();
      const next = actor.getSnapshot() as S;
      expect(options.serialize(next), `step ${i} (${event.type})`).toBe(options.expected[i]);
      options.check(prev, event, next, recorder.microsteps.slice(seen));
      prev = next;
    }
  } finally {
    actor.stop();
  }
  return recorder;
}
