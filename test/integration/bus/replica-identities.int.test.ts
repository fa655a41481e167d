import { describe, expect, it } from "vitest";
import { writeIdentities } from "../../../src/bus/index.js";
import { startGuild } from "../../../src/cli/runtime/start-guild.js";
import {
  createLogger,
  type GuildEvent,
  isGuildError,
  makeEnvelope,
  subjects,
} from "../../../src/protocol/index.js";
import { identityServer } from "../../helpers/identity-server.js";
import { tempDir } from "../../helpers/temp-dir.js";
import { publishRefused, subscribeRefused } from "./refusals.js";
import { pullDocsTask } from "./role-queue.js";

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
    await using ids = await identityServer({ roles: ["docs"], replicas: 2, replicaKeys: true });
    expect(Object.keys(ids.written.files).filter((k) => k.startsWith("agent-"))).toEqual([
      "agent-docs",
      "agent-docs-1",
      "agent-docs-2",
    ]);
    const coordinator = await ids.as("coordinator", true);
    const second = await ids.as("agent-docs-2");
    const { queue, item } = await pullDocsTask(coordinator, second);
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
    const role = await ids.as("agent-docs");
    expect(await role.events.append(failed("g1", "docs-1"))).toBeGreaterThan(0);
    expect(await role.events.append(failed("g1", "docs-2"))).toBeGreaterThan(0);

    // `guild agent --role docs --replica 2` runs docs-2 alone, on its own key.
    const own = await ids.as("agent-docs-2");
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
