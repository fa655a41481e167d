import { describe, expect, it } from "vitest";
import type { GuildEvent, TaskSpec } from "../../src/protocol/index.js";
import type { ScriptedTurn } from "../helpers/scripted-llm/index.js";
import { withLiveGoal } from "./live-scenario.js";

const AUTH = `export function hash(text) {
  return \`h:\${text}\`;
}
`;
// The provider's change as declared, and one exporting another shape than it declared.
const AUTH_AS_DECLARED = `${AUTH}
export function login(user, password) {
  return hash(\`\${user}:\${password}\`);
}
`;
const AUTH_OTHER_SHAPE = `${AUTH}
export function login({ user, password }) {
  return hash(\`\${user}:\${password}\`);
}
`;
// The dependent, written against the declaration; and adapted to the shape the provider exports.
const SESSION = `import { login } from "../lib/auth.js";

export function session(user, password) {
  return { token: login(user, password) };
}
`;
const SESSION_ADAPTED = SESSION.replace("login(user, password)", "login({ user, password })");
const CHECK = `import { session } from "./src/routes/session.js";
if (session("a", "b").token !== "h:a:b") process.exit(1);
`;

const plan = (): TaskSpec[] => [
  {
    taskId: "auth",
    role: "security",
    title: "add login",
    instructions: "add login to src/lib/auth.js",
    expectedPaths: ["src/lib/auth.js"],
    dependsOn: [],
    provides: [{ path: "src/lib/auth.js", symbol: "login", signature: "login(user, password)" }],
  },
  {
    taskId: "route",
    role: "backend",
    title: "add session",
    instructions: "add session to src/routes/session.js, using login",
    expectedPaths: ["src/routes/session.js"],
    dependsOn: ["auth"],
  },
];

/** Resolvers for the events a script waits on, keyed by a name the test chooses. */
function signals(names: string[]) {
  const resolvers = new Map<string, () => void>();
  const promises = new Map<string, Promise<void>>();
  for (const name of names) promises.set(name, new Promise<void>((resolve) => resolvers.set(name, resolve)));
  return {
    wait: (name: string) => () => promises.get(name) as Promise<void>,
    fire: (name: string) => resolvers.get(name)?.(),
  };
}

async function runGoal(security: ScriptedTurn[], backend: ScriptedTurn[], on: (e: GuildEvent) => void) {
  const files = {
    "package.json": '{ "type": "module" }\n',
    "src/lib/auth.js": AUTH,
    "src/routes/user.js": "export const user = 1;\n",
    "check.mjs": CHECK,
  };
  const yaml = 'testCommand: ["node", "check.mjs"]\nlive: { progressMs: 300 }\n';
  return withLiveGoal(
    { name: "live-contracts", goalId: "g-contract", security, backend, files, yaml, on },
    async (live) => {
      const { events, of } = await live.run("add login and a session route using it", plan());
      return { events, of, backendRequests: live.backend.requests, securityRequests: live.security.requests };
    },
  );
}

describe("contracts: a dependent starts against what its provider declared", () => {
  it("the dependent is dispatched and proposes before its provider, and merges after it; the goal is done", async () => {
    const s = signals(["route proposed"]);
    const run = await runGoal(
      [
        {
          toolCalls: [{ name: "write_file", input: { path: "src/lib/auth.js", content: AUTH_AS_DECLARED } }],
        },
        // The provider finishes only once its dependent has sent its proposal.
        {
          toolCalls: [{ name: "finish", input: { summary: "login added" } }],
          waitFor: s.wait("route proposed"),
        },
      ],
      [
        { toolCalls: [{ name: "write_file", input: { path: "src/routes/session.js", content: SESSION } }] },
        { toolCalls: [{ name: "finish", input: { summary: "session, against the login contract" } }] },
      ],
      (e) => {
        if (e.type === "proposal.published" && e.payload.taskId === "route") s.fire("route proposed");
      },
    );
    const { events, of } = run;
    expect(events.at(-1)?.type).toBe("goal.done");
    const at = (pred: (e: GuildEvent) => boolean) => events.findIndex(pred);
    const routeDispatched = at((e) => e.type === "task.dispatched" && e.payload.taskId === "route");
    const authProposed = at((e) => e.type === "proposal.published" && e.payload.taskId === "auth");
    const routeProposed = at((e) => e.type === "proposal.published" && e.payload.taskId === "route");
    expect(routeDispatched).toBeGreaterThanOrEqual(0);
    expect(routeDispatched).toBeLessThan(authProposed);
    expect(routeProposed).toBeLessThan(authProposed);
    // The integration holds the provider before its dependent, and its tests passed at once.
    expect(of("merge.completed").map((e) => e.payload.taskId)).toEqual(["auth", "route"]);
    expect(of("verify.finished").map((e) => e.payload.passed)).toEqual([true]);
    expect(of("contract.broken")).toEqual([]);
    // The dependent's prompt carried the contract; the provider's its own promise.
    const firstBackend = JSON.stringify(run.backendRequests[0]?.body.messages);
    expect(firstBackend).toContain("task auth (security) exports login(user, password) from src/lib/auth.js");
    expect(JSON.stringify(run.securityRequests[0]?.body.messages)).toContain(
      "This task declared that it provides",
    );
  }, 120_000);

  it("a provider exporting another signature than declared: both sides are told, the dependent adapts, the goal is done with passing tests", async () => {
    const s = signals(["route told", "auth told"]);
    const run = await runGoal(
      [
        {
          toolCalls: [{ name: "write_file", input: { path: "src/lib/auth.js", content: AUTH_OTHER_SHAPE } }],
        },
        {
          toolCalls: [{ name: "read_file", input: { path: "src/lib/auth.js" } }],
          waitFor: s.wait("auth told"),
        },
        { toolCalls: [{ name: "finish", input: { summary: "login takes one object; backend was told" } }] },
      ],
      [
        { toolCalls: [{ name: "write_file", input: { path: "src/routes/session.js", content: SESSION } }] },
        {
          toolCalls: [{ name: "read_file", input: { path: "src/lib/auth.js" } }],
          waitFor: s.wait("route told"),
        },
        {
          toolCalls: [
            { name: "write_file", input: { path: "src/routes/session.js", content: SESSION_ADAPTED } },
          ],
        },
        { toolCalls: [{ name: "finish", input: { summary: "session, adapted to login's shape" } }] },
      ],
      (e) => {
        if (e.type === "peer.told" && e.payload.topic === "contract") s.fire(`${e.payload.taskId} told`);
      },
    );
    const { events, of } = run;
    const broken = of("contract.broken");
    expect(broken).toHaveLength(1);
    expect(broken[0]?.payload).toMatchObject({
      provider: { taskId: "auth", role: "security" },
      dependents: [{ taskId: "route", role: "backend" }],
      path: "src/lib/auth.js",
      symbol: "login",
      change: "changed",
      declared: "exports login(user, password) from src/lib/auth.js",
      actual: "function login({ user, password })",
    });
    const told = of("peer.told").filter((e) => e.payload.overlapId === broken[0]?.payload.contractId);
    expect(told.map((e) => e.payload.taskId).sort()).toEqual(["auth", "route"]);
    // Each side's next request to its model carried the note.
    expect(JSON.stringify(run.backendRequests[2]?.body.messages)).toContain("Contract broken");
    expect(JSON.stringify(run.backendRequests[2]?.body.messages)).toContain("login({ user, password })");
    expect(JSON.stringify(run.securityRequests[2]?.body.messages)).toContain("Contract broken");
    expect(events.at(-1)?.type).toBe("goal.done");
    expect(of("verify.finished").map((e) => e.payload.passed)).toEqual([true]);
    expect(of("proposal.revision_requested")).toEqual([]);
  }, 120_000);
});
