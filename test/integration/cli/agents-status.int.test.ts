import { hostname } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { startPresence } from "../../../src/agents/specialist/presence.js";
import { NatsBus, writeIdentities } from "../../../src/bus/index.js";
import { readAgents, runAgentsStatus } from "../../../src/cli/commands/status.js";
import { collectOutput } from "../../../src/cli/output.js";
import { startGuild } from "../../../src/cli/runtime/start-guild.js";
import { createLogger } from "../../../src/protocol/index.js";
import { startNats } from "../../helpers/nats.js";
import { tempDir } from "../../helpers/temp-dir.js";

describe("guild status --agents", () => {
  it("shows who is up, where, on what and since when; an agent whose heartbeats stop is gone after the TTL", async () => {
    await using dir = tempDir();
    const written = writeIdentities(dir.path, { roles: ["docs"], replicas: 2 });
    await using server = await startNats({ configFile: written.config });
    const coordinator = await NatsBus.connect({
      url: server.url,
      creds: written.files.coordinator,
      manage: true,
      presenceTtlMs: 8000,
    });
    const agentBus = await NatsBus.connect({ url: server.url, creds: written.files["agent-docs"] ?? "" });
    const operator = await NatsBus.connect({ url: server.url, creds: written.files.operator });
    const guild = await startGuild({
      bus: agentBus,
      logger: createLogger({ level: "silent" }),
      roles: ["docs"],
      coordinator: false,
    });
    try {
      const output = collectOutput();
      await runAgentsStatus(operator, {}, output);
      expect(output.lines).toHaveLength(1);
      expect(output.lines[0]).toMatch(
        new RegExp(`^docs-1 +docs +${hostname()}:${process.pid} +up \\d+s +idle$`),
      );

      // A second agent of the identity, working on a task, whose process then stops heartbeating.
      const other = await startPresence(
        agentBus.presence,
        { agentId: "docs-2", role: "docs" },
        { heartbeatMs: 60_000 },
      );
      other.working({ goalId: "g1", taskId: "t-docs", attempt: 2 });
      await sleep(200);
      const working = collectOutput();
      await runAgentsStatus(operator, {}, working);
      expect(working.lines[1]).toMatch(/^docs-2 .* working on g1\/t-docs \(attempt 2\) for \d+s$/);
      // The server drops docs-2 once its last heartbeat is older than the TTL; docs-1 keeps beating (every 5 s).
      await sleep(9000);
      expect((await readAgents(operator)).map((a) => a.agentId)).toEqual(["docs-1"]);
      // An agent identity writes only its own agents' presence.
      await expect(agentBus.presence.put("docs-9", new Uint8Array([1]))).rejects.toThrow(
        /Permissions Violation/,
      );
    } finally {
      await guild.stop();
      expect(await readAgents(operator)).toEqual([]);
      for (const bus of [agentBus, operator, coordinator]) await bus.close();
    }
  }, 60_000);
});
