import type { GoalStatus } from "../../protocol/index.js";

/** The user-facing status of a goal machine state value (`running.reviewing` → `running`). */
export function statusOf(stateValue: unknown): GoalStatus {
  const top = typeof stateValue === "string" ? stateValue : Object.keys(stateValue as object)[0];
  switch (top) {
    case "planning":
      return "planning";
    case "merging":
      return "merging";
    case "verifying":
      return "verifying";
    case "done":
    case "failed":
    case "cancelled":
      return top;
    default:
      return "running";
  }
}

/** A state value as one dotted string (`running.reviewing`). */
export function stateName(stateValue: unknown): string {
  if (typeof stateValue === "string") return stateValue;
  const [key, inner] = Object.entries(stateValue as Record<string, unknown>)[0] ?? ["unknown", undefined];
  return inner === undefined ? key : `${key}.${stateName(inner)}`;
}
