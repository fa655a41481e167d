import { describe, expect, it } from "vitest";
import { liveTask, signal, sources, withLiveGoal } from "./live-scenario.js";

const CHECK = `import { user, userKey } from "./src/routes/user.js";
if (user("a") !== "h:a") process.exit(1);
if (typeof userKey === "function" && !String(userKey("a")).startsWith("h:")) process.exit(1);
`;

/** What the security task does to legacyHash, and how the backend adapts once told. */
const VARIANTS = [
  {
    name: "removal",
    auth: sources.authWithoutLegacy,
    adapted: sources.userAdapted,
    change: "removed",
  },
  {
    name: "rename",
    auth: sources.auth.replace("export function legacyHash(text)", "export function hashLegacy(text)"),
    adapted: sources.userWithOld.replaceAll("legacyHash", "hashLegacy"),
    change: "renamed",
  },
  {
    name: "changed signature",
    auth: sources.auth.replace(
      "legacyHash(text) {\n  return hash(text);",
      "legacyHash(text, salt) {\n  return hash(salt + text);",
    ),
    adapted: sources.userWithOld.replace("return legacyHash(name)", 'return legacyHash(name, "")'),
    change: "changed",
  },
] as const;

describe("agents told of each other's changes while they work", () => {
  it.each(VARIANTS)(
    "security's $name of an export backend starts to use: backend is told at its next step, adapts, and the goal is done with no failed verify",
    async (variant) => {
      const told = signal();
      await withLiveGoal(
        {
          name: "live-overlap",
          goalId: "g-live",
          security: [
            {
              toolCalls: [{ name: "write_file", input: { path: "src/lib/auth.js", content: variant.auth } }],
            },
            { toolCalls: [{ name: "finish", input: { summary: "dropped the deprecated export" } }] },
          ],
          backend: [
            {
              toolCalls: [
                { name: "write_file", input: { path: "src/routes/user.js", content: sources.userWithOld } },
              ],
            },
            // Still working (reading) when the overlap is found; the next request carries the note.
            {
              toolCalls: [{ name: "read_file", input: { path: "src/lib/auth.js" } }],
              waitFor: () => told.fired,
            },
            {
              toolCalls: [
                { name: "write_file", input: { path: "src/routes/user.js", content: variant.adapted } },
              ],
            },
            { toolCalls: [{ name: "finish", input: { summary: "userKey, adapted to security's change" } }] },
          ],
          files: {
            "package.json": '{ "type": "module" }\n',
            "src/lib/auth.js": sources.auth,
            "src/routes/user.js": sources.user,
            "check.mjs": CHECK,
          },
          yaml: 'testCommand: ["node", "check.mjs"]\nlive: { progressMs: 500 }\n',
          on: (event) => {
            if (
              event.type === "peer.told" &&
              event.payload.taskId === "back" &&
              event.payload.topic === "overlap"
            )
              told.fire();
          },
        },
        async ({ backend, run }) => {
          const result = await run("drop the deprecated hash; add userKey", [
            liveTask("sec", "security", ["src/lib/auth.js"]),
            liveTask("back", "backend", ["src/routes/user.js"]),
          ]);
          const { of } = result;
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
        },
      );
    },
    120_000,
  );
});
