import { existsSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { NatsBus } from "../../../src/bus/index.js";
import { cancelGoal } from "../../../src/cli/commands/cancel.js";
import { collectOutput } from "../../../src/cli/output.js";
import { startCheckoutGuild } from "../../helpers/host-config.js";
import { startNats } from "../../helpers/nats.js";
import { durableRepo, isTerminal, recordGoal, submitDurableGoal } from "./fixtures/durable-goal.js";

describe("guild cancel <goal>", () => {
  it("stops the goal's agents, keeps their uncommitted work on salvage refs, and ends cancelled", async () => {
    await using server = await startNats();
    using repo = durableRepo({ brainSeconds: 120, writeFirst: true });
    const bus = await NatsBus.connect({ url: server.url, name: "test" });
    const guild = await startCheckoutGuild(bus, repo.path, { roles: ["frontend", "backend"] });
    try {
      const goalId = "g-cancel";
      await using goal = await recordGoal(bus, goalId);
      await submitDurableGoal(bus, repo.path, goalId);
      const ready = await goal.waitFor((e) => e.type === "workspace.ready" && e.payload.taskId === "t-web");
      const dir = ready.type === "workspace.ready" ? ready.payload.dir : "";
      // The agent's brain has written its file but not committed it.
      while (!existsSync(join(dir, "web/a.txt"))) await sleep(50);

      const output = collectOutput();
      expect(await cancelGoal(bus, goalId, { reason: "changed my mind" }, output)).toBe(0);
      expect(output.lines.join("\n")).toMatch(/cancel/);

      const end = await goal.waitFor(isTerminal);
      expect(end.type === "goal.cancelled" && end.payload.reason).toBe("changed my mind");
      const salvaged = await goal.waitFor(
        (e) => e.type === "workspace.salvaged" && e.payload.taskId === "t-web",
      );
      const ref = salvaged.type === "workspace.salvaged" ? salvaged.payload.ref : "";
      expect(repo.git("show", `${ref}:web/a.txt`)).toBe("web/a.txt");
      for (const agentId of ["frontend-1", "backend-1"]) {
        await goal.waitFor(
          (e) => e.type === "agent.state.changed" && e.source === agentId && e.payload.to === "cancelled",
        );
      }
      while (existsSync(dir)) await sleep(50);
      expect(repo.git("for-each-ref", "--format=%(refname)", "refs/guild/salvage/")).toContain(ref);
      expect(await cancelGoal(bus, "g-unknown", {}, collectOutput())).toBe(1);
    } finally {
      await guild.stop();
      await bus.close();
    }
  }, 120_000);
});
