import { NatsBus } from "../../../src/bus/index.js";
import { loadOwnership } from "../../../src/ownership/index.js";
import type { BrainConfig, PlanDraft } from "../../../src/protocol/index.js";
import { demoRepo } from "../../helpers/demo-repo.js";

/** A plan for the demo app that passes the ownership check after repairs (an id slug, a role's case). */
export const GOOD_PLAN: PlanDraft = {
  tasks: [
    {
      id: "harden-auth",
      role: "security",
      title: "Use crypto randomness for session tokens",
      instructions: "Replace Math.random in token generation with crypto.randomBytes.",
      expectedPaths: ["src/lib/auth.ts", "src/lib/session.ts"],
      dependsOn: [],
    },
    {
      id: "auth-tests",
      role: "tests",
      title: "Pin token behaviour with tests",
      instructions: "Add tests for token length and alphabet.",
      expectedPaths: ["test/lib.test.ts"],
      dependsOn: ["harden-auth"],
    },
    {
      id: "Document Auth",
      role: "Docs",
      title: "Document the token API",
      instructions: "Describe the token functions in docs/API.md.",
      expectedPaths: ["docs/API.md"],
      dependsOn: ["auth-tests"],
    },
  ],
};

/** A plan whose dependencies go round: a → b → a. */
export const CYCLIC_PLAN: PlanDraft = {
  tasks: [
    { ...(GOOD_PLAN.tasks[0] as PlanDraft["tasks"][number]), id: "a", dependsOn: ["b"] },
    { ...(GOOD_PLAN.tasks[1] as PlanDraft["tasks"][number]), id: "b", dependsOn: ["a"] },
  ],
};

/** The demo app in a fresh git repository, its ownership with `planner` set to `brain`, on a bus to `url`. */
export async function plannerSetup(url: string, brain: BrainConfig) {
  const repo = demoRepo();
  const loaded = await loadOwnership({ repoDir: repo.path });
  const ownership = { config: { ...loaded.config, planner: brain }, matcher: loaded.matcher };
  const bus = await NatsBus.connect({ url, name: "planner-test" });
  return {
    repo: repo.path,
    ownership,
    bus,
    async [Symbol.asyncDispose]() {
      await bus.close();
      repo[Symbol.dispose]();
    },
  };
}
