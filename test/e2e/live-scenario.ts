// The live-coordination scenarios' shared setup: a security and a backend agent, each on a scripted OpenAI
// server, over a real nats-server, on a repository where security owns src/lib/auth.js and backend the rest.
import { NatsBus } from "../../src/bus/index.js";
import { submitGoal } from "../../src/cli/commands/goal.js";
import { collectOutput } from "../../src/cli/output.js";
import type { GuildEvent, TaskSpec } from "../../src/protocol/index.js";
import { tempRepo } from "../helpers/git-repo.js";
import { startCheckoutGuild } from "../helpers/host-config.js";
import { startNats } from "../helpers/nats.js";
import {
  type ScriptedServer,
  type ScriptedTurn,
  startScriptedOpenAI,
} from "../helpers/scripted-llm/index.js";

const AUTH = `export function hash(text) {
  return \`h:\${text}\`;
}

/** @deprecated use hash */
export function legacyHash(text) {
  return hash(text);
}
`;
const USER_WITH_OLD = `import { hash, legacyHash } from "../lib/auth.js";

export function user(name) {
  return hash(name);
}

export function userKey(name) {
  return legacyHash(name);
}
`;

/** The overlap scenario's sources: security removes (or changes) `legacyHash` while backend starts to use it. */
export const sources = {
  /** security's module at the base; legacyHash is deprecated. */
  auth: AUTH,
  /** auth with legacyHash removed. */
  authWithoutLegacy: AUTH.slice(0, AUTH.indexOf("\n/** @deprecated") + 1),
  /** backend's module at the base. */
  user: `import { hash } from "../lib/auth.js";

export function user(name) {
  return hash(name);
}
`,
  /** backend's first change: a new caller of legacyHash. */
  userWithOld: USER_WITH_OLD,
  /** userWithOld adapted to legacyHash's removal. */
  userAdapted: USER_WITH_OLD.replace("hash, legacyHash", "hash").replace(
    "return legacyHash(name)",
    "return hash(name)",
  ),
};

/** A promise and the function that resolves it: a script turn waits on it until the test saw an event. */
export function signal() {
  let fire: () => void = () => {};
  const fired = new Promise<void>((resolve) => {
    fire = resolve;
  });
  return { fire, fired };
}

/** A task whose title is its id and whose instructions point at the goal. */
export function liveTask(taskId: string, role: string, paths: string[]): TaskSpec {
  return { taskId, role, title: taskId, instructions: "see the goal", expectedPaths: paths, dependsOn: [] };
}

/** The events of one type among `events`, typed. */
export function eventsOf(events: GuildEvent[]) {
  return <T extends GuildEvent["type"]>(type: T) =>
    events.filter((e): e is Extract<GuildEvent, { type: T }> => e.type === type);
}

export interface LiveSetup {
  /** The bus connection's name. */
  name: string;
  goalId: string;
  /** The security and backend agents' model turns. */
  security: ScriptedTurn[];
  backend: ScriptedTurn[];
  /** The repository's files besides guild.yaml. */
  files: Record<string, string>;
  /** guild.yaml's lines after the roles (`testCommand`, `live`). */
  yaml: string;
  /** Sees each of the goal's events as it is published. */
  on?: (event: GuildEvent) => void;
}

export interface LiveGoal {
  bus: NatsBus;
  repo: { path: string };
  security: ScriptedServer;
  backend: ScriptedServer;
  /** Submits the goal with `plan` and waits for its end. */
  run(
    text: string,
    plan: TaskSpec[],
    timeoutMs?: number,
  ): Promise<{ events: GuildEvent[]; of: ReturnType<typeof eventsOf> }>;
}

/** Starts the scenario's guild (as `guild up` in the checkout would), runs `body` on it, then stops it all. */
export async function withLiveGoal<T>(setup: LiveSetup, body: (live: LiveGoal) => Promise<T>): Promise<T> {
  await using server = await startNats();
  const bus = await NatsBus.connect({ url: server.url, name: setup.name });
  await using security = await startScriptedOpenAI(setup.security);
  await using backend = await startScriptedOpenAI(setup.backend);
  using repo = tempRepo({
    ...setup.files,
    "guild.yaml": `version: 1
rules:
  - { pattern: "src/**", owners: ["@backend"] }
  - { pattern: "src/lib/auth.js", owners: ["@security"] }
roles:
  security: { brain: { kind: openai, model: m, baseURL: "${security.baseURL}" } }
  backend: { brain: { kind: openai, model: m, baseURL: "${backend.baseURL}" } }
${setup.yaml}`,
  });
  const watch = await bus.events.follow({ subject: `guild.evt.${setup.goalId}.>` }, (event) =>
    setup.on?.(event),
  );
  const guild = await startCheckoutGuild(bus, repo.path, { roles: ["security", "backend"] });
  try {
    return await body({
      bus,
      repo,
      security,
      backend,
      async run(text, plan, timeoutMs = 90_000) {
        const result = await submitGoal(
          bus,
          text,
          { repo: repo.path, wait: true, goalId: setup.goalId, timeoutMs, plan },
          collectOutput(),
        );
        return { events: result.events, of: eventsOf(result.events) };
      },
    });
  } finally {
    await watch.unsubscribe();
    await guild.stop();
    await bus.close();
  }
}
