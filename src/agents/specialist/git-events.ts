import type { EventEmitter } from "../../bus/index.js";
import type { GitEvent } from "../../git/index.js";

/** Reports git room events on the bus, each under the goal it names, else under `goalId`; one with neither is dropped. */
export function gitEventReporter(events: EventEmitter, goalId?: string): (e: GitEvent) => void {
  return (e) => {
    const goal = e.payload.goalId ?? goalId;
    if (goal) void events.emit(e.type, e.payload, goal);
  };
}
