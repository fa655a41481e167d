import { describe, expect, it } from "vitest";
import { runUp } from "../../../src/cli/commands/up.js";
import { collectOutput } from "../../../src/cli/output.js";
import { startDashboard } from "../../../src/dashboard/index.js";
import { GuildError, type GuildEvent, makeEnvelope } from "../../../src/protocol/index.js";
import { tempRepo } from "../../helpers/git-repo.js";

describe("guild up with its dashboard", () => {
  it("prints the dashboard's URL with its token; read-only refuses changes; stop closes it", async () => {
    using repo = tempRepo({ "README.md": "x\n" });
    const output = collectOutput();
    const up = await runUp(
      { bus: "memory", home: repo.path, roles: [], events: false, dashboard: { readOnly: true } },
      output,
    );
    const line = output.errors.find((l) => l.startsWith("dashboard (read-only): ")) ?? "";
    const url = new URL(line.slice(line.indexOf("http")));
    try {
      expect(url.hostname).toBe("127.0.0.1");
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<meta name="guild-read-only" content="true" />');
      const token = url.searchParams.get("token") ?? "";
      const tell = await fetch(`${url.origin}/api/agents/docs-1/tell`, {
        method: "POST",
        headers: { "x-guild-token": token, origin: url.origin, "content-type": "application/json" },
        body: JSON.stringify({ text: "hi" }),
      });
      expect(tell.status).toBe(403);
      // The digest is a live fold of the log: an agent that comes online is listed at once.
      await up.connection.bus.events.append(
        makeEnvelope({
          type: "agent.online",
          source: "docs-1",
          goalId: "_",
          payload: { agentId: "docs-1", role: "docs", brain: "offline" },
        }) as GuildEvent,
      );
      await expect
        .poll(
          async () => (await (await fetch(`${url.origin}/api/agents?token=${token}`)).json()) as unknown[],
        )
        .toEqual([expect.objectContaining({ agentId: "docs-1", role: "docs", brain: "offline" })]);
    } finally {
      await up.stop();
    }
    await expect(fetch(url)).rejects.toThrow();
  });

  it("refuses a configured token too short to guess-proof", async () => {
    using repo = tempRepo({ "README.md": "x\n" });
    const up = await runUp({ bus: "memory", home: repo.path, roles: [], events: false }, collectOutput());
    try {
      await expect(startDashboard({ bus: up.connection.bus, token: "short" })).rejects.toBeInstanceOf(
        GuildError,
      );
    } finally {
      await up.stop();
    }
  });
});
