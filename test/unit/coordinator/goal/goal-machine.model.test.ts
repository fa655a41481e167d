import { describe, expect, it } from "vitest";
import { type EventObject, getInitialSnapshot, getMicrosteps, getNextSnapshot } from "xstate";
import { goalMachine } from "../../../../src/coordinator/goal/goal-machine.js";
import type { TaskRecord } from "../../../../src/coordinator/goal/goal-types.js";
import type { TaskSpec } from "../../../../src/protocol/index.js";
import { CoverageRecorder, definitionEdges, leafStates, valueName } from "../../../helpers/model-coverage.js";
import {
  type GoalModelEvent,
  type GoalSnapshot,
  goalEvents,
  goalInput,
  INVOKE,
  MODEL_PLAN,
  proposalFor,
  serializeGoal,
  WINDOWED_PLAN,
  WINDOWS,
} from "../../../helpers/model-goal.js";
import { goalStepViolations } from "../../../helpers/model-goal-invariants.js";
import { canReach, exploreModel } from "../../../helpers/model-graph.js";
import { replayPath } from "../../../helpers/model-replay.js";

const model = exploreModel<GoalSnapshot>({
  machine: goalMachine,
  input: goalInput(),
  events: goalEvents,
  serialize: serializeGoal,
});
// One agent per role and a third task competing for the tests agent: slots kept for a task whose
// dependency is in review or about to finish must never leave a goal waiting forever.
const windowedInput = { ...goalInput(), dispatchWindow: WINDOWS };
const windowed = exploreModel<GoalSnapshot>({
  machine: goalMachine,
  input: windowedInput,
  events: (s) => goalEvents(s, WINDOWED_PLAN),
  serialize: serializeGoal,
});
const isFinal = (s: GoalSnapshot) => s.status === "done";

/** The state the last microstep left and its event (`always` for eventless ones), computed purely. */
function lastMicrostep(prev: GoalSnapshot, event: EventObject): { from: string; event: string } {
  const steps = getMicrosteps(goalMachine, prev, event as never);
  const chain = [valueName(prev.value), ...steps.map(([s]) => valueName(s.value))];
  return { from: chain.at(-2) ?? chain[0] ?? "", event: steps.length > 1 ? "always" : event.type };
}

/** Every invariant an edge of the explored graph breaks, as `from --EVENT--> violation`. */
function brokenInvariants(graph: typeof model): string[] {
  const broken: string[] = [];
  for (const e of graph.edges) {
    const left = isFinal(e.next) && !isFinal(e.prev) ? lastMicrostep(e.prev, e.event) : undefined;
    for (const v of goalStepViolations(e.prev, e.event, e.next, left))
      broken.push(`${e.from} --${e.event.type}--> ${v}`);
  }
  return broken;
}

describe("goal machine (model-based)", () => {
  it("explores a finite state graph from planning that reaches every end state", () => {
    const ends = new Set([...model.states.values()].filter(isFinal).map((s) => valueName(s.value)));
    expect([...ends].sort()).toEqual(["cancelled", "done", "failed"]);
    expect(model.edges.length).toBeGreaterThan(model.states.size);
  });

  it("can end from every reachable state without being cancelled (no state waits forever)", () => {
    const live = canReach(model, isFinal, (e) => e.event.type !== "CANCEL");
    const stuck = [...model.states.keys()].filter((k) => !live.has(k));
    expect(stuck).toEqual([]);
  });

  it("keeps every invariant on every edge of the state graph", () => {
    expect(brokenInvariants(model).slice(0, 10)).toEqual([]);
  });

  it("replays a path for every (state, event, next state) class of both models on a real actor, covering every transition", async () => {
    const coverage = new CoverageRecorder();
    const broken: string[] = [];
    const classes = new Set<string>();
    for (const [graph, input] of [
      [model, goalInput()],
      [windowed, windowedInput],
    ] as const) {
      const firsts = new Map<string, (typeof graph.edges)[number]>();
      for (const e of graph.edges) {
        const key = `${valueName(e.prev.value)}|${e.event.type}|${valueName(e.next.value)}`;
        if (!firsts.has(key)) firsts.set(key, e);
        classes.add(key);
      }
      for (const edge of firsts.values()) {
        const head = graph.pathTo(edge.from);
        const recorder = await replayPath<GoalSnapshot>({
          machine: goalMachine,
          input,
          events: [...head.events, edge.event],
          expected: [...head.expected, edge.to],
          serialize: serializeGoal,
          check(prev, event, next, microsteps) {
            const last = microsteps.at(-1);
            const left = last ? { from: last.from, event: last.events[0] ?? "?" } : undefined;
            for (const v of goalStepViolations(prev, event, next, left)) broken.push(`${event.type}: ${v}`);
          },
        });
        coverage.merge(recorder);
      }
    }
    expect(broken.slice(0, 10)).toEqual([]);
    const missing = [...definitionEdges(goalMachine)].filter((k) => !coverage.edges.has(k));
    expect(missing).toEqual([]);
    const unvisited = [...leafStates(goalMachine)].filter((s) => !coverage.states.has(s));
    expect(unvisited).toEqual([]);
    // CANCEL is declared once on the root; it must work from every state that is not an end.
    const cancelledFrom = new Set(
      [...classes].filter((k) => k.split("|")[1] === "CANCEL").map((k) => k.split("|")[0]),
    );
    const open = [...leafStates(goalMachine)].filter((s) => !["done", "failed", "cancelled"].includes(s));
    expect(open.filter((s) => !cancelledFrom.has(s))).toEqual([]);
  });
});

describe("goal machine with dispatch windows (model-based)", () => {
  // One agent per role and a third task competing for the tests agent: slots held for a task whose
  // dependency is in review must never leave a goal waiting forever, nor break an invariant.

  it("can end from every reachable state and keeps every invariant on every edge", () => {
    const live = canReach(windowed, isFinal, (e) => e.event.type !== "CANCEL");
    expect([...windowed.states.keys()].filter((k) => !live.has(k))).toEqual([]);
    expect(brokenInvariants(windowed).slice(0, 10)).toEqual([]);
  });

  // Waiting for events with a in `aStatus`, b and c both pending.
  const bAndCWait = (s: GoalSnapshot, aStatus: string) => {
    const t = s.context.tasks;
    return (
      s.matches({ running: "reviewing" }) &&
      t.a?.status === aStatus &&
      t.b?.status === "pending" &&
      t.c?.status === "pending"
    );
  };

  it("reaches a state where the tests agent is kept for b while a is in review and c waits", () => {
    const held = [...windowed.states.values()].filter(
      (s) =>
        bAndCWait(s, "proposed") &&
        !Object.values(s.context.tasks).some((x) => x.spec.role === "tests" && x.status === "dispatched"),
    );
    expect(held.length).toBeGreaterThan(0);
  });
});

/** Drives the pure machine through events (no effects run), as the model does. */
function drive(events: GoalModelEvent[]): GoalSnapshot {
  let s = getInitialSnapshot(goalMachine, goalInput());
  for (const e of events) s = getNextSnapshot(goalMachine, s, e as never);
  return s;
}

const planned: GoalModelEvent = { type: `xstate.done.actor.${INVOKE.plan}`, output: MODEL_PLAN };
const dispatched = (ids: string[]): GoalModelEvent => ({
  type: `xstate.done.actor.${INVOKE.dispatch}`,
  output: { taskIds: ids, at: 0 },
});

describe("goal machine: stale verdicts", () => {
  it("ignores an acceptance reviewed against an attempt that is no longer current", () => {
    // The intake reads the snapshot, awaits the bundle import, then sends the verdict built from that old
    // snapshot; meanwhile the agent reported attempt 1 failed and attempt 2 went out.
    const s1 = drive([planned, dispatched(["a"])]);
    const old = s1.context.tasks.a as TaskRecord;
    const s2 = drive([
      planned,
      dispatched(["a"]),
      { type: "TASK.FAILED", taskId: "a", attempt: 1, reason: "worker crashed" },
      dispatched(["a"]),
      {
        type: "PROPOSAL.ACCEPTED",
        taskId: "a",
        record: { ...old, status: "accepted", proposal: proposalFor(old) },
      },
    ]);
    const a = s2.context.tasks.a as TaskRecord;
    expect(a.attempt).toBe(2);
    expect(a.status).toBe("dispatched");
  });
});

describe("goal machine: defects found by the model, fixed", () => {
  it("ends a goal whose chain of three lost its first link (blocking must be transitive)", () => {
    // Seen in bench/coordinator.bench.ts: t02 rejected, t03 (after t02) blocked, t04 (after t03) neither ready
    // nor blocked, so running.reviewing waits forever.
    const chain = [...MODEL_PLAN, { ...(MODEL_PLAN[1] as TaskSpec), taskId: "c", dependsOn: ["b"] }];
    const s = drive([
      { type: `xstate.done.actor.${INVOKE.plan}`, output: chain },
      dispatched(["a"]),
      { type: "PROPOSAL.REJECTED", taskId: "a", attempt: 1, reason: "bundle refused", retry: false },
    ]);
    expect(valueName(s.value)).not.toBe("running.reviewing");
  });
});
