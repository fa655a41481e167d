import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { NatsBus } from "../../../src/bus/index.js";
import { submitGoal } from "../../../src/cli/commands/goal.js";
import { collectOutput } from "../../../src/cli/output.js";
import { startGuild } from "../../../src/cli/runtime/start-guild.js";
import { publishBaseBundles } from "../../../src/coordinator/goal/task-bases.js";
import { repoId } from "../../../src/git/index.js";
import type { GuildEvent, TaskSpec } from "../../../src/protocol/index.js";
import { tempRepo } from "../../helpers/git-repo.js";
import { capturedLogger } from "../../helpers/log-lines.js";
import { startNats } from "../../helpers/nats.js";
import { tempDir } from "../../helpers/temp-dir.js";

// Agents in homes of their own, and a coordinator that offers no shared objects: every base travels as a
// bundle, as to an agent on another machine. A backend task waits (nobody serves it) for as long as needed.
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
const DELETED = "deleted base bundles no unfinished goal stands on";
const KEPT = "base bundles kept: a goal still stands on this base";

const task = (taskId: string, role: string, path: string, dependsOn: string[] = []): TaskSpec => ({
  taskId,
  role,
  title: `write ${path}`,
  instructions: "scripted",
  expectedPaths: [path],
  dependsOn,
});
// The second web task starts from the first's head: it needs the bundle of what lies after the base too.
const webChain = [task("w1", "frontend", "web/one.txt"), task("w2", "frontend", "web/two.txt", ["w1"])];

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
  const home = tempDir("guild-gc-home-");
  const { logger, lines } = capturedLogger("debug");
  const bus = await NatsBus.connect({ url: server.url, name: "coordinator", manage: true });
  const baseKeys = async () => (await bus.blobs.list("base.")).map((b) => b.key).sort();
  const logged = (msg: string, ended?: string) =>
    lines.filter((l) => l.msg === msg && (ended === undefined || l.ended === ended));
  return {
    server,
    repo,
    home,
    logger,
    bus,
    baseKeys,
    logged,
    fullKey: async () => `base.${await repoId(repo.path, repo.head())}.${repo.head()}`,
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

describe("base bundles in the blob store", () => {
  it("are deleted when the goal that published them ends, and published again for the next goal on that base", async () => {
    await using t = await setup();
    await using secondHome = tempDir("guild-gc-home-");
    const coordinator = await startGuild({ bus: t.bus, logger: t.logger, roles: [] });
    const agents = (home: string) =>
      startGuild({ bus: t.bus, logger: t.logger, roles: ["frontend"], home, coordinator: false });
    let frontend = await agents(t.home.path);
    try {
      const result = await submitGoal(
        t.bus,
        "two web files",
        { repo: t.repo.path, plan: webChain, goalId: "g-one", wait: true, timeoutMs: 90_000 },
        collectOutput(),
      );
      expect(result.status, story(result.events)).toBe("done");
      // The agents worked in their mirror, so the bases did come as bundles: the full one and the one after w1.
      const ready = result.events.flatMap((e) => (e.type === "workspace.ready" ? [e.payload.dir] : []));
      expect(ready.length).toBe(2);
      for (const dir of ready) expect(dir.startsWith(join(t.home.path, "repos"))).toBe(true);
      await vi.waitFor(() => expect(t.logged(DELETED, "g-one")).toHaveLength(1), { timeout: 20_000 });
      const keys = t.logged(DELETED, "g-one")[0]?.keys as string[];
      const full = await t.fullKey();
      expect(keys).toContain(full);
      expect(keys.some((k) => k.startsWith(`${full}.`))).toBe(true);
      expect(await t.baseKeys()).toEqual([]);

      // The coordinator remembered storing the full bundle; it must not trust that once it deleted it. An
      // agent with an empty mirror needs it at the first attempt.
      await frontend.stop();
      frontend = await agents(secondHome.path);
      const next = await submitGoal(
        t.bus,
        "one more web file",
        {
          repo: t.repo.path,
          plan: [task("w3", "frontend", "web/three.txt")],
          goalId: "g-two",
          wait: true,
          timeoutMs: 90_000,
        },
        collectOutput(),
      );
      expect(next.status, story(next.events)).toBe("done");
      expect(next.events.filter((e) => e.type === "task.failed")).toEqual([]);
      await vi.waitFor(() => expect(t.logged(DELETED, "g-two")).toHaveLength(1), { timeout: 20_000 });
      expect(t.logged(DELETED, "g-two")[0]?.keys).toEqual([full]);
      expect(await t.baseKeys()).toEqual([]);
    } finally {
      await frontend.stop();
      await coordinator.stop();
    }
  }, 180_000);

  it("stay while another unfinished goal stands on the same base, and go when it ends", async () => {
    await using t = await setup();
    const guild = await startGuild({ bus: t.bus, logger: t.logger, roles: ["frontend"], home: t.home.path });
    await using backendHome = tempDir("guild-gc-home-");
    let backend: Awaited<ReturnType<typeof startGuild>> | undefined;
    try {
      // The API goal is dispatched first and waits: nobody serves backend yet.
      const api = await submitGoal(
        t.bus,
        "an api file",
        { repo: t.repo.path, plan: [task("a1", "backend", "api/one.txt")], goalId: "g-api" },
        collectOutput(),
      );
      expect(api.status).toBe("submitted");
      await vi.waitFor(async () => expect(await t.baseKeys()).toEqual([await t.fullKey()]), {
        timeout: 20_000,
      });
      const web = await submitGoal(
        t.bus,
        "two web files",
        { repo: t.repo.path, plan: webChain, goalId: "g-web", wait: true, timeoutMs: 90_000 },
        collectOutput(),
      );
      expect(web.status, story(web.events)).toBe("done");
      await vi.waitFor(() => expect(t.logged(KEPT, "g-web")).toHaveLength(1), { timeout: 20_000 });
      expect(t.logged(KEPT, "g-web")[0]?.user).toBe("g-api");
      expect(t.logged(DELETED)).toEqual([]);
      expect(await t.baseKeys()).toContain(await t.fullKey());

      // A backend agent with an empty mirror now needs the full bundle the web goal's end kept.
      backend = await startGuild({
        bus: t.bus,
        logger: t.logger,
        roles: ["backend"],
        home: backendHome.path,
        coordinator: false,
      });
      const events: GuildEvent[] = [];
      const sub = await t.bus.events.follow({ subject: "guild.evt.g-api.>", fromSeq: 1 }, (e) => {
        events.push(e);
      });
      try {
        await vi.waitFor(() => expect(events.some((e) => e.type === "goal.done")).toBe(true), {
          timeout: 90_000,
          interval: 200,
        });
      } finally {
        await sub.unsubscribe();
      }
      expect(events.filter((e) => e.type === "task.failed")).toEqual([]);
      await vi.waitFor(() => expect(t.logged(DELETED, "g-api")).toHaveLength(1), { timeout: 20_000 });
      expect(await t.baseKeys()).toEqual([]);
    } finally {
      await backend?.stop();
      await guild.stop();
    }
  }, 180_000);

  it("deleted behind the coordinator's back fail the task clearly, and its retry publishes them again", async () => {
    await using t = await setup();
    const guild = await startGuild({ bus: t.bus, logger: t.logger, roles: ["frontend"], home: t.home.path });
    try {
      // This coordinator stored the full bundle and remembers it; another coordinator's sweep deletes it.
      const repository = await repoId(t.repo.path, t.repo.head());
      const goal = { goalId: "g-retry", repo: t.repo.path, repoId: repository, goalBase: t.repo.head() };
      await publishBaseBundles(t.bus, goal, t.repo.head());
      await t.bus.blobs.delete(await t.fullKey());
      const result = await submitGoal(
        t.bus,
        "one web file",
        {
          repo: t.repo.path,
          plan: [webChain[0] as TaskSpec],
          goalId: "g-retry",
          wait: true,
          timeoutMs: 90_000,
        },
        collectOutput(),
      );
      const failed = result.events.flatMap((e) => (e.type === "task.failed" ? [e.payload] : []));
      expect(failed).toHaveLength(1);
      expect(failed[0]?.reason).toContain(`base bundle ${await t.fullKey()} is missing from the blob store`);
      expect(result.status, story(result.events)).toBe("done");
      await vi.waitFor(() => expect(t.logged(DELETED, "g-retry")).toHaveLength(1), { timeout: 20_000 });
      expect(await t.baseKeys()).toEqual([]);
    } finally {
      await guild.stop();
    }
  }, 120_000);

  it("left by goals no one collected are swept by a coordinator that starts, but not an unfinished goal's", async () => {
    await using t = await setup();
    const text = (s: string) => new TextEncoder().encode(s);
    // Left by goals that ended with no coordinator to collect them (their records are gone or final).
    const orphans = [
      `base.gone-0123456789abcdef.${"a".repeat(40)}`,
      `base.gone-0123456789abcdef.${"a".repeat(40)}.${"b".repeat(40)}`,
    ];
    for (const key of orphans) await t.bus.blobs.put(key, text(key));
    // A proposal's bundle is not a base bundle: the sweep leaves it.
    await t.bus.blobs.put("g-old.t1.1.frontend-1", text("proposal"));
    const first = await startGuild({ bus: t.bus, logger: t.logger, roles: [] });
    try {
      const waiting = await submitGoal(
        t.bus,
        "an api file",
        { repo: t.repo.path, plan: [task("a1", "backend", "api/one.txt")], goalId: "g-waiting" },
        collectOutput(),
      );
      expect(waiting.status).toBe("submitted");
      await vi.waitFor(async () => expect(await t.baseKeys()).toContain(await t.fullKey()), {
        timeout: 20_000,
      });
    } finally {
      await first.stop();
    }
    // A new coordinator process: a connection and a memory of its own.
    const bus = await NatsBus.connect({ url: t.server.url, name: "coordinator-2", manage: true });
    const second = await startGuild({ bus, logger: t.logger, roles: [] });
    try {
      const swept = t.logged(DELETED).flatMap((l) => l.keys as string[]);
      expect(swept.sort()).toEqual(orphans);
      expect(await t.baseKeys()).toEqual([await t.fullKey()]);
      expect(await bus.blobs.info("g-old.t1.1.frontend-1")).not.toBeNull();
    } finally {
      await second.stop();
      await bus.close();
    }
  }, 120_000);
});
