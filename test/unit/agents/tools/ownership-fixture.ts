import type { OwnershipCheck } from "../../../../src/agents/tools/index.js";

/** A tiny ownership rule set for tool tests: `backend` owns `src/`, `package.json` is protected. */
export const backendOwnsSrc: OwnershipCheck = {
  canWrite: (role, path) => role === "backend" && (path.startsWith("src/") || path === "package.json"),
  isProtected: (path) => path === "package.json",
};
