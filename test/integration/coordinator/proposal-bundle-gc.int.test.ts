import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { NatsBus } from "../../../src/bus/index.js";
import { cancelGoal } from "../../../src/cli/commands/cancel.js";
import { submitGoal } from "../../../src/cli/commands/goal.js";
import { collectOutput } from "../../../src/cli/output.js";
import { startGuild } from "../../../src/cli/runtime/start-guild.js";
import type { GoalRecord } from "../../../src/coordinator/goal/goal-store.js";
import type { GuildEvent, TaskSpec } from "../../../src/protocol/index.js";
import { tempRepo } from "../../helpers/git-repo.js";
import { capturedLogger } from "../../helpers/log-lines.js";
import { startNats } from "../../helpers/nats.js";
import { acceptedBundleKeys, publishedBundleKeys } from "../../helpers/proposal-bundles.js";
import { tempDir } from "../../helpers/temp-dir.js";

// Agents in homes of their own, and a coordinator that offers no shared objects: every proposal travels
// as a bundle, as from an agent on another machine. A backend task waits (nobody serves it) for as long as needed.
const GUILD_YAML = `version: 1
rules:
  - { pattern: "web/**", owners: ["@frontend"] }
  - { pattern: "api/**", owners: ["@backend"] }
roles:
  frontend: { brain: { kind: scripted, delayMs: 10 } }
  backend: { brain: { kind: scripted, delayMs: 10 } }
testCommand: ["true"]
unservedWaitMs: 600000
`;
const DELETED = "deleted the proposal bundles of a goal that ended";
const encoder = new TextEncoder();

const task = (taskId: string, role: string, path: string, dependsOn: string[] = []): TaskSpec => ({
  taskId,
  role,
  title: `write ${path}`,
  instructions: "scripted",
  expectedPaths: [path],
  dependsOn,
});

let sharedBefore: string | undefined;
beforeAll(() => {
  sharedBefore = process.env.GUILD_SHARED_OBJECTS;
  process.env.GUILD_SHARED_OBJECTS = "0";
});
afterAll(() => {
  if (sharedBefore === undefined) delete process.env.GUILD_SHARED_OBJECTS;
  else process.env.GUILD_SHARED_OBJECTS = sharedBefore;
});

async function setup() {
  const server = await startNats();
  const repo = tempRepo({ "guild.yaml": GUILD_YAML, "web/.keep": "", "api/.keep": "" });
  const home = tempDir("guild-propgc-home-");
  const { logger, lines } = capturedLogger("debug");
  const bus = await NatsBus.connect({ url: server.url, name: "coordinator", manage: true });
  const keysOf = async (goalId: string) => (await bus.blobs.list(`${goalId}.`)).map((b) => b.key).sort();
  const deleted = (goalId: string) =>
    lines.filter((l) => l.msg === DELETED && l.goalId === goalId).flatMap((l) => l.keys as string[]);
  return {
    server,
    repo,
    home,
    logger,
    bus,
    keysOf,
    deleted,
    async [Symbol.asyncDispose]() {
      await bus.close();
      home[Symbol.dispose]();
      repo[Symbol.dispose]();
      await server[Symbol.asyncDispose]();
    },
  };
}

const story = (events: GuildEvent[]) =>
  events
    .filter((e) => e.type !== "agent.step")
    .slice(-12)
    .map((e) => `${e.type} ${JSON.stringify(e.payload).slice(0, 300)}`)
    .join("\n");

/** A goal's record as a coordinator stores it, with only what the sweep reads filled in. */
function finalRecord(goalId: string): GoalRecord {
  return {
    goalId,
    state: "done",
    status: "done",
    context: { goalId, tasks: {} } as unknown as GoalRecord["context"],
    updatedAt: new Date().toISOString(),
    owner: "gone",
    snapshot: {},
    announced: true,
  };
}

describe("proposal bundles in the blob store", () => {
  it("are stored for review while the goal runs and deleted when it ends", async () => {
    await using t = await setup();
    const guild = await startGuild({ bus: t.bus, logger: t.logger, roles: ["frontend"], home: t.home.path });
    try {
      const plan = [task("w1", "frontend", "web/one.txt"), task("w2", "frontend", "web/two.txt", ["w1"])];
      const result = await submitGoal(
        t.bus,
        "two web files",
        { repo: t.repo.path, plan, goalId: "g-web", wait: true, timeoutMs: 90_000 },
        collectOutput(),
      );
      expect(result.status, story(result.events)).toBe("done");
      // Both proposals came as bundles, and review read each from the store and imported it.
      const published = publishedBundleKeys(result.events).sort();
      expect(published).toHaveLength(2);
      expect(acceptedBundleKeys(result.events).sort()).toEqual(published);
      // The goal's end deleted exactly those: they were still there when it ended, and are gone now.
      await vi.waitFor(() => expect(t.deleted("g-web")).toHaveLength(2), { timeout: 20_000 });
      expect(t.deleted("g-web").sort()).toEqual(published);
      expect(await t.keysOf("g-web")).toEqual([]);
      // Before that, the end removed the refs review imported them under, and the task branches.
      expect(t.repo.git("for-each-ref", "--format=%(refname)", "refs/guild/proposals/")).toBe("");
      expect(t.repo.git("for-each-ref", "--format=%(refname)", "refs/heads/guild/g-web/")).toBe("");
    } finally {
      await guild.stop();
    }
  }, 120_000);

  it("are deleted when a goal ends cancelled, with its agent's proposal never reviewed", async () => {
    await using t = await setup();
    const guild = await startGuild({ bus: t.bus, logger: t.logger, roles: [] });
    try {
      const goal = await submitGoal(
        t.bus,
        "an api file",
        { repo: t.repo.path, plan: [task("a1", "backend", "api/one.txt")], goalId: "g-cancel" },
        collectOutput(),
      );
      expect(goal.status).toBe("submitted");
      // As an agent elsewhere would have shipped it before the goal was cancelled.
      await t.bus.blobs.put("g-cancel.a1.1.backend-1", encoder.encode("bundle"));
      const events: GuildEvent[] = [];
      const sub = await t.bus.events.follow({ subject: "guild.evt.g-cancel.>", fromSeq: 1 }, (e) => {
        events.push(e);
      });
      try {
        await vi.waitFor(() => expect(events.some((e) => e.type === "task.dispatched")).toBe(true), {
          timeout: 20_000,
        });
        expect(await cancelGoal(t.bus, "g-cancel", { reason: "not needed" }, collectOutput())).toBe(0);
      } finally {
        await sub.unsubscribe();
      }
      await vi.waitFor(() => expect(t.deleted("g-cancel")).toEqual(["g-cancel.a1.1.backend-1"]), {
        timeout: 20_000,
      });
      expect(await t.keysOf("g-cancel")).toEqual([]);
    } finally {
      await guild.stop();
    }
  }, 120_000);

  it("left by ended goals are swept by a coordinator that starts, but not an unfinished or unknown goal's", async () => {
    await using t = await setup();
    const first = await startGuild({ bus: t.bus, logger: t.logger, roles: [] });
    try {
      const waiting = await submitGoal(
        t.bus,
        "an api file",
        { repo: t.repo.path, plan: [task("a1", "backend", "api/one.txt")], goalId: "g-waiting" },
        collectOutput(),
      );
      expect(waiting.status).toBe("submitted");
    } finally {
      await first.stop();
    }
    // A goal that ended while no coordinator could clean up after it, and one the store never knew.
    await t.bus.kv.put("goal.g-ended", encoder.encode(JSON.stringify(finalRecord("g-ended"))));
    const ended = ["g-ended.t1.1.frontend-1", "g-ended.t1.2.frontend-2"];
    const kept = ["g-waiting.a1.1.backend-1", "g-unknown.t1.1.frontend-1"];
    for (const key of [...ended, ...kept]) await t.bus.blobs.put(key, encoder.encode(key));
    // A new coordinator process: a connection of its own.
    const bus = await NatsBus.connect({ url: t.server.url, name: "coordinator-2", manage: true });
    const second = await startGuild({ bus, logger: t.logger, roles: [] });
    try {
      expect(t.deleted("g-ended").sort()).toEqual(ended);
      expect(await t.keysOf("g-ended")).toEqual([]);
      for (const key of kept) expect(await bus.blobs.info(key)).not.toBeNull();
    } finally {
      await second.stop();
      await bus.close();
    }
  }, 120_000);
});
