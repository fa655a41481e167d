import { describe, expect, it } from "vitest";
import { NatsBus } from "../../src/bus/index.js";
import { submitGoal } from "../../src/cli/commands/goal.js";
import { collectOutput } from "../../src/cli/output.js";
import { startGuild } from "../../src/cli/runtime/start-guild.js";
import { createLogger, type GuildEvent } from "../../src/protocol/index.js";
import { tempRepo } from "../helpers/git-repo.js";
import { checkoutHost } from "../helpers/host-config.js";
import { startNats } from "../helpers/nats.js";
import { startScriptedOpenAI } from "../helpers/scripted-llm/index.js";

const AUTH = `export function hash(text) {
  return \`h:\${text}\`;
}

/** @deprecated use hash */
export function legacyHash(text) {
  return hash(text);
}
`;
const USER = `import { hash } from "../lib/auth.js";

export function user(name) {
  return hash(name);
}
`;
// The backend task's first change: a new caller of the export the security task removes.
const USER_WITH_OLD = `import { hash, legacyHash } from "../lib/auth.js";

export function user(name) {
  return hash(name);
}

export function userKey(name) {
  return legacyHash(name);
}
`;
const CHECK = `import { user, userKey } from "./src/routes/user.js";
if (user("a") !== "h:a") process.exit(1);
if (typeof userKey === "function" && !String(userKey("a")).startsWith("h:")) process.exit(1);
`;

/** What the security task does to legacyHash, and how the backend adapts once told. */
const VARIANTS = [
  {
    name: "removal",
    auth: AUTH.slice(0, AUTH.indexOf("\n/** @deprecated") + 1),
    adapted: USER_WITH_OLD.replace("hash, legacyHash", "hash").replace(
      "return legacyHash(name)",
      "return hash(name)",
    ),
    change: "removed",
  },
  {
    name: "rename",
    auth: AUTH.replace("export function legacyHash(text)", "export function hashLegacy(text)"),
    adapted: USER_WITH_OLD.replaceAll("legacyHash", "hashLegacy"),
    change: "renamed",
  },
  {
    name: "changed signature",
    auth: AUTH.replace(
      "legacyHash(text) {\n  return hash(text);",
      "legacyHash(text, salt) {\n  return hash(salt + text);",
    ),
    adapted: USER_WITH_OLD.replace("return legacyHash(name)", 'return legacyHash(name, "")'),
    change: "changed",
  },
] as const;

describe("agents told of each other's changes while they work", () => {
  it.each(VARIANTS)(
    "security's $name of an export backend starts to use: backend is told at its next step, adapts, and the goal is done with no failed verify",
    async (variant) => {
      await using server = await startNats();
      const bus = await NatsBus.connect({ url: server.url, name: "live-overlap" });
      let toldBackend: () => void = () => {};
      const told = new Promise<void>((resolve) => {
        toldBackend = resolve;
      });
      await using security = await startScriptedOpenAI([
        { toolCalls: [{ name: "write_file", input: { path: "src/lib/auth.js", content: variant.auth } }] },
        { toolCalls: [{ name: "finish", input: { summary: "dropped the deprecated export" } }] },
      ]);
      await using backend = await startScriptedOpenAI([
        {
          toolCalls: [{ name: "write_file", input: { path: "src/routes/user.js", content: USER_WITH_OLD } }],
        },
        // Still working (reading) when the overlap is found; the next request carries the note.
        { toolCalls: [{ name: "read_file", input: { path: "src/lib/auth.js" } }], waitFor: () => told },
        {
          toolCalls: [
            { name: "write_file", input: { path: "src/routes/user.js", content: variant.adapted } },
          ],
        },
        { toolCalls: [{ name: "finish", input: { summary: "userKey, adapted to security's change" } }] },
      ]);
      using repo = tempRepo({
        "package.json": '{ "type": "module" }\n',
        "src/lib/auth.js": AUTH,
        "src/routes/user.js": USER,
        "check.mjs": CHECK,
        "guild.yaml": `version: 1
rules:
  - { pattern: "src/**", owners: ["@backend"] }
  - { pattern: "src/lib/auth.js", owners: ["@security"] }
roles:
  security: { brain: { kind: openai, model: m, baseURL: "${security.baseURL}" } }
  backend: { brain: { kind: openai, model: m, baseURL: "${backend.baseURL}" } }
testCommand: ["node", "check.mjs"]
live: { progressMs: 500 }
`,
      });
      const watch = await bus.events.follow({ subject: "guild.evt.g-live.>" }, (event) => {
        if (
          event.type === "peer.told" &&
          event.payload.taskId === "back" &&
          event.payload.topic === "overlap"
        )
          toldBackend();
      });
      const guild = await startGuild({
        bus,
        host: checkoutHost(repo.path),
        logger: createLogger({ level: "silent" }),
        roles: ["security", "backend"],
      });
      try {
        const task = (taskId: string, role: string, paths: string[]) => ({
          taskId,
          role,
          title: taskId,
          instructions: "see the goal",
          expectedPaths: paths,
          dependsOn: [],
        });
        const result = await submitGoal(
          bus,
          "drop the deprecated hash; add userKey",
          {
            repo: repo.path,
            wait: true,
            goalId: "g-live",
            timeoutMs: 90_000,
            plan: [
              task("sec", "security", ["src/lib/auth.js"]),
              task("back", "backend", ["src/routes/user.js"]),
            ],
          },
          collectOutput(),
        );
        const of = <T extends GuildEvent["type"]>(type: T) =>
          result.events.filter((e): e is Extract<GuildEvent, { type: T }> => e.type === type);
        expect(result.events.at(-1)?.type).toBe("goal.done");
        expect(of("verify.finished").map((e) => e.payload.passed)).toEqual([true]);
        expect(of("proposal.revision_requested")).toEqual([]);
        const overlaps = of("overlap.detected");
        expect(overlaps).toHaveLength(1);
        expect(overlaps[0]?.payload).toMatchObject({
          kind: "export",
          path: "src/lib/auth.js",
          symbol: "legacyHash",
          change: variant.change,
          a: { taskId: "sec", role: "security" },
          b: { taskId: "back", role: "backend" },
        });
        // Backend was told once, and its very next request to the model carried the note.
        const toldEvents = of("peer.told").filter((e) => e.payload.taskId === "back");
        expect(toldEvents.map((e) => e.payload.overlapId)).toEqual([overlaps[0]?.payload.overlapId]);
        const third = JSON.stringify(backend.requests[2]?.body.messages);
        expect(third).toContain("Live overlap");
        expect(third).toContain("legacyHash");
        expect(JSON.stringify(backend.requests[1]?.body.messages)).not.toContain("Live overlap");
        // Debounced: a handful of progress events per task, not one per step.
        for (const taskId of ["sec", "back"])
          expect(of("work.progress").filter((e) => e.payload.taskId === taskId).length).toBeLessThanOrEqual(
            3,
          );
      } finally {
        await watch.unsubscribe();
        await guild.stop();
        await bus.close();
      }
    },
    120_000,
  );
});
