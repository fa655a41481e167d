import { describe, expect, it } from "vitest";
import { specialistMachine } from "../../../../src/agents/specialist/machine.js";
import { CoverageRecorder, definitionEdges, leafStates } from "../../../helpers/model-coverage.js";
import { canReach, exploreModel } from "../../../helpers/model-graph.js";
import { replayPath } from "../../../helpers/model-replay.js";
import {
  type SpecialistSnapshot,
  serializeSpecialist,
  specialistEvents,
  specialistStepViolations,
} from "../../../helpers/model-specialist.js";

const input = { agentId: "backend-1", role: "backend" };
const model = exploreModel<SpecialistSnapshot>({
  machine: specialistMachine,
  input,
  events: specialistEvents,
  serialize: serializeSpecialist,
});

describe("specialist machine (model-based)", () => {
  it("can get back to idle from every reachable state (nothing holds a worker forever)", () => {
    const live = canReach(
      model,
      (s) => s.value === "idle",
      () => true,
    );
    expect([...model.states.keys()].filter((k) => !live.has(k))).toEqual([]);
  });

  it("replays every edge of the state graph on a real actor, covering every declared transition", async () => {
    const coverage = new CoverageRecorder();
    const broken: string[] = [];
    for (const edge of model.edges) {
      const head = model.pathTo(edge.from);
      const recorder = await replayPath<SpecialistSnapshot>({
        machine: specialistMachine,
        input,
        events: [...head.events, edge.event],
        expected: [...head.expected, edge.to],
        serialize: serializeSpecialist,
        check: (prev, _event, next) => broken.push(...specialistStepViolations(prev, next)),
      });
      coverage.merge(recorder);
    }
    expect(model.edges.length).toBeGreaterThan(model.states.size);
    expect(broken.slice(0, 10)).toEqual([]);
    expect([...definitionEdges(specialistMachine)].filter((k) => !coverage.edges.has(k))).toEqual([]);
    expect([...leafStates(specialistMachine)].filter((s) => !coverage.states.has(s))).toEqual([]);
  });
});
