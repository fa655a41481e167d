import { describe, expect, it } from "vitest";
import { BUILTIN_ROLES } from "../../src/agents/index.js";
import { NatsBus, writeIdentities } from "../../src/bus/index.js";
import { submitGoal } from "../../src/cli/commands/goal.js";
import { collectOutput } from "../../src/cli/output.js";
import { type GuildRuntime, startGuild } from "../../src/cli/runtime/start-guild.js";
import { createLogger } from "../../src/protocol/index.js";
import { demoRepo } from "../helpers/demo-repo.js";
import { checkoutHost } from "../helpers/host-config.js";
import { startNats } from "../helpers/nats.js";
import { tempDir } from "../helpers/temp-dir.js";

describe("the demo goal on a server that enforces guild's identities", () => {
  it("the coordinator, one connection per role with its own key and the operator's submit end the goal done", async () => {
    await using dir = tempDir();
    const roles = Object.keys(BUILTIN_ROLES);
    const written = writeIdentities(dir.path, { roles, replicas: 1 });
    await using server = await startNats({ configFile: written.config });
    using repo = demoRepo();
    const logger = createLogger({ level: "silent" });
    const connect = (identity: string, manage = false) =>
      NatsBus.connect({
        url: server.url,
        creds: written.files[identity as "operator"],
        name: identity,
        manage,
      });
    const buses: NatsBus[] = [];
    const runtimes: GuildRuntime[] = [];
    try {
      // Agents first: they wait for the role consumers the coordinator creates when it dispatches.
      for (const role of roles) {
        const bus = await connect(`agent-${role}`);
        buses.push(bus);
        const host = checkoutHost(repo.path);
        runtimes.push(await startGuild({ bus, logger, roles: [role], coordinator: false, host }));
      }
      const coordinatorBus = await connect("coordinator", true);
      buses.push(coordinatorBus);
      runtimes.push(await startGuild({ bus: coordinatorBus, logger, roles: [] }));
      const operator = await connect("operator");
      buses.push(operator);
      const result = await submitGoal(
        operator,
        "harden the demo app",
        { repo: repo.path, wait: true, timeoutMs: 240_000 },
        collectOutput(),
      );
      const failed = result.events.find((e) => e.type === "goal.failed");
      expect(failed ? JSON.stringify(failed.payload) : "").toBe("");
      expect(result.status).toBe("done");
      const verify = result.events.find((e) => e.type === "verify.finished");
      expect(verify?.type === "verify.finished" && verify.payload.passed).toBe(true);
      const proposers = new Set(
        result.events.flatMap((e) => (e.type === "proposal.accepted" ? [e.payload.taskId] : [])),
      );
      expect(proposers.size).toBeGreaterThanOrEqual(3);
      // Nothing any identity sent was refused or dropped as invalid on the way.
      const rejected = (await operator.events.read()).filter((e) => e.type === "bus.message.rejected");
      expect(rejected).toEqual([]);
    } finally {
      for (const runtime of runtimes.reverse()) await runtime.stop();
      for (const bus of buses) await bus.close();
    }
  }, 300_000);
});
