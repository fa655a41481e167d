import { afterAll, beforeAll } from "vitest";
import { startPlannerService } from "../../../src/agents/index.js";
import { NatsBus } from "../../../src/bus/index.js";
import { loadOwnership } from "../../../src/ownership/index.js";
import type { BrainConfig, PlanDraft } from "../../../src/protocol/index.js";
import { demoRepo } from "../../helpers/demo-repo.js";
import { type NatsServerProcess, startNats } from "../../helpers/nats.js";

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

/** A nats-server for every test of the calling file: started before the first, stopped after the last. */
export function natsPerFile(): { readonly url: string } {
  let server: NatsServerProcess | undefined;
  beforeAll(async () => {
    server = await startNats();
  });
  afterAll(async () => {
    await server?.dispose();
  });
  return {
    get url() {
      if (!server) throw new Error("the file's nats-server is not running (use it inside a test)");
      return server.url;
    },
  };
}

/**
 * Runs `body` on a plannerSetup with a planner service on `brain` (no retries unless `service` says so)
 * serving its bus; stops the service and removes the setup afterwards.
 */
export async function withPlannerService<T>(
  url: string,
  brain: BrainConfig,
  service: Omit<Parameters<typeof startPlannerService>[1], "brainConfig">,
  body: (setup: Omit<Awaited<ReturnType<typeof plannerSetup>>, typeof Symbol.asyncDispose>) => Promise<T>,
): Promise<T> {
  await using setup = await plannerSetup(url, brain);
  const subscription = await startPlannerService(setup.bus, {
    brainConfig: brain,
    maxRetries: 0,
    ...service,
  });
  try {
    return await body(setup);
  } finally {
    await subscription.unsubscribe();
  }
}
