import type { Bus } from "../../../src/bus/index.js";
import type { TaskSpec } from "../../../src/protocol/index.js";
import { submitWriterGoal, writerRepo, writeTask } from "../../helpers/writer-repo.js";

/** A repository whose frontend and backend roles each write one file with a slow cli brain. */
export function chaosRepo(brainSeconds: number) {
  return writerRepo({ name: "chaos", brainSeconds, test: "test -f web/a.txt && test -f api/b.txt" });
}

/** Two tasks in parallel, one per role: each goal is one round of work for each agent. */
export const chaosPlan: TaskSpec[] = [
  writeTask("t-web", "frontend", "web/a.txt"),
  writeTask("t-api", "backend", "api/b.txt"),
];

/** Submits a goal with a chosen id and the chaos plan. */
export function submitChaosGoal(bus: Bus, repo: string, goalId: string): Promise<void> {
  return submitWriterGoal(bus, repo, goalId, chaosPlan);
}
