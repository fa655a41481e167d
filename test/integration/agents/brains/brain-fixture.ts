import {
  type Brain,
  type BrainRunContext,
  type BrainStep,
  createOpenAIBrain,
  type OpenAIBrainOptions,
} from "../../../../src/agents/brains/index.js";
import {
  createToolSet,
  type OwnershipCheck,
  type ToolDenial,
  type ToolSetOptions,
} from "../../../../src/agents/tools/index.js";
import { Budget } from "../../../../src/protocol/index.js";
import { tempRepo } from "../../../helpers/git-repo.js";
import type { ScriptedServer } from "../../../helpers/scripted-llm/index.js";

/** `backend` owns `src/`; `src/protected.ts` is protected. */
export const ownership: OwnershipCheck = {
  canWrite: (role, path) => role === "backend" && path.startsWith("src/"),
  isProtected: (path) => path === "src/protected.ts",
};

export const FILES = {
  "src/a.ts":
    "export function add(x: number, y: number): number {\n  return x + y;\n}\nexport const unused = 1;\n",
  "src/protected.ts": "export const secret = 1;\n",
  "README.md": "# demo\n",
};

/** The brain's assignment in both fixtures: backend's first attempt at `instructions` on src/a.ts. */
export function hardenAdd(instructions = "Change add in src/a.ts to reject NaN."): BrainRunContext["task"] {
  return {
    goalId: "g1",
    goalText: "make add robust",
    task: {
      taskId: "t1",
      role: "backend",
      title: "Harden add",
      instructions,
      expectedPaths: ["src/a.ts"],
      dependsOn: [],
    },
    attempt: 1,
    charter: "You are the backend engineer.",
  };
}

/** A real repo, a real tool set and a run context for one brain run. */
export function brainFixture(
  overrides: Partial<BrainRunContext> = {},
  budget: Partial<Budget> = {},
  toolOptions: Pick<ToolSetOptions, "sandbox" | "passEnv"> = {},
) {
  const repo = tempRepo(FILES);
  const denied: ToolDenial[] = [];
  const tools = createToolSet({
    workdir: repo.path,
    role: "backend",
    ownership,
    allowCommands: [["node", "--version"]],
    onDenied: (d) => denied.push(d),
    ...toolOptions,
  });
  const context: BrainRunContext = {
    task: hardenAdd(),
    tools,
    workdir: repo.path,
    signal: new AbortController().signal,
    budget: Budget.parse(budget),
    ...overrides,
  };
  return { repo, denied, context };
}

/** Runs a brain to the end, collecting its steps and the error it ended with, if any. */
export async function runBrain(brain: Brain, context: BrainRunContext) {
  const steps: BrainStep[] = [];
  let error: unknown;
  try {
    for await (const step of brain.run(context)) steps.push(step);
  } catch (e) {
    error = e;
  }
  return { steps, error };
}

/**
 * Runs an OpenAI brain on `server` (model gpt-test, key sk-test, unless `options` say otherwise) over a fresh
 * brainFixture; returns the fixture with the run's steps and error. The caller disposes the repo.
 */
export async function runOpenAIBrain(server: ScriptedServer, options: Partial<OpenAIBrainOptions> = {}) {
  const fixture = brainFixture();
  const brain = createOpenAIBrain({
    model: "gpt-test",
    baseURL: server.baseURL,
    apiKey: "sk-test",
    ...options,
  });
  return { ...fixture, ...(await runBrain(brain, fixture.context)) };
}
