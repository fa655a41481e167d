import { describe, expect, it } from "vitest";
import { NatsBus, writeIdentities } from "../../../src/bus/index.js";
import { startGuild } from "../../../src/cli/runtime/start-guild.js";
import {
  createLogger,
  type GuildEvent,
  isGuildError,
  makeEnvelope,
  subjects,
  TaskAssignment,
} from "../../../src/protocol/index.js";
import { startNats } from "../../helpers/nats.js";
import { tempDir } from "../../helpers/temp-dir.js";
import { task } from "./conformance-fixtures.js";
import { publishRefused, subscribeRefused } from "./refusals.js";

function failed(goalId: string, source: string): GuildEvent {
  return makeEnvelope({
    type: "task.failed",
    source,
    goalId,
    payload: { taskId: "t-doc", attempt: 1, reason: "x" },
  }) as GuildEvent;
}

describe("a key per replica (`creds init --replica-keys`, `guild agent --replica n`)", () => {
  it("agent-docs-2 works the role's queue and speaks as docs-2 only; the role's key still speaks for both", async () => {
    await using dir = tempDir();
    const written = writeIdentities(dir.path, { roles: ["docs"], replicas: 2, replicaKeys: true });
    expect(Object.keys(written.files).filter((k) => k.startsWith("agent-"))).toEqual([
      "agent-docs",
      "agent-docs-1",
      "agent-docs-2",
    ]);
    await using server = await startNats({ configFile: written.config });
    const opened: NatsBus[] = [];
    const as = async (identity: string, manage = false) => {
      const creds = written.files[identity as "agent-docs"] ?? "";
      const bus = await NatsBus.connect({ url: server.url, creds, name: identity, manage });
      opened.push(bus);
      return bus;
    };
    try {
      const coordinator = await as("coordinator", true);
      const second = await as("agent-docs-2");
      const queue = await second.consumer("tasks", {
        durable: "tasks-docs",
        subject: subjects.task("docs"),
        schema: TaskAssignment,
      });
      await coordinator.enqueue("tasks", subjects.task("docs"), task("t-doc", "docs"));
      const item = await queue.next({ expiresMs: 10_000 });
      expect(item?.data.payload.task.taskId).toBe("t-doc");
      await item?.ack();
      await queue.close();
      expect(await second.events.append(failed("g1", "docs-2"))).toBeGreaterThan(0);
      await second.presence.put("docs-2", new TextEncoder().encode("{}"));
      // Its sibling's subjects, presence and inbox are refused by the server.
      const nc = second.connection;
      await publishRefused(
        nc,
        subjects.event("g1", "docs-1", "task.failed"),
        JSON.stringify(failed("g1", "docs-1")),
      );
      await publishRefused(nc, subjects.proposal("g1", "docs-1"));
      await publishRefused(nc, "$KV.guild-presence.docs-1");
      await subscribeRefused(nc, subjects.agentInbox("docs-1"));
      // The role's key is what `guild agent --replicas N` holds for all N replicas in one process.
      const role = await as("agent-docs");
      expect(await role.events.append(failed("g1", "docs-1"))).toBeGreaterThan(0);
      expect(await role.events.append(failed("g1", "docs-2"))).toBeGreaterThan(0);

      // `guild agent --role docs --replica 2` runs docs-2 alone, on its own key.
      const own = await as("agent-docs-2");
      const logger = createLogger({ level: "silent" });
      const runtime = await startGuild({
        bus: own,
        logger,
        roles: ["docs"],
        replicas: 1,
        firstReplica: 2,
        coordinator: false,
      });
      try {
        expect(runtime.agents.map((a) => a.agentId)).toEqual(["docs-2"]);
        let seen = await coordinator.presence.get("docs-2");
        for (let i = 0; i < 50 && !seen; i++) {
          await new Promise((r) => setTimeout(r, 100));
          seen = await coordinator.presence.get("docs-2");
        }
        expect(seen).not.toBeNull();
      } finally {
        await runtime.stop();
      }
    } finally {
      for (const bus of opened.reverse()) await bus.close().catch(() => undefined);
    }
  });

  it("refuses a role whose key would be a replica's key too", () => {
    using dir = tempDir();
    const error = (() => {
      try {
        writeIdentities(dir.path, { roles: ["api", "api-2"], replicas: 2, replicaKeys: true });
      } catch (e) {
        return e;
      }
    })();
    expect(isGuildError(error, "config.invalid")).toBe(true);
    expect(String(error)).toContain("agent-api-2");
  });
});
