import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runUp } from "../../../src/cli/commands/up.js";
import { collectOutput } from "../../../src/cli/output.js";
import { tempRepo } from "../../helpers/git-repo.js";
import { startNats } from "../../helpers/nats.js";

describe("guild up starts the roles guild.yaml names", () => {
  it("runs configured and rule-named roles (custom ones too) with their replicas, not only the five built-ins", async () => {
    using repo = tempRepo({
      "guild.yaml": [
        "version: 1",
        "rules:",
        "  - { pattern: '/fw/', owners: ['@firmware'] }",
        "  - { pattern: '/docs/', owners: ['@docs'] }",
        "roles:",
        "  firmware: { replicas: 2 }",
        "",
      ].join("\n"),
    });
    const up = await runUp({ bus: "memory", home: repo.path, events: false }, collectOutput());
    try {
      expect(up.runtime.agents.map((a) => a.agentId).sort()).toEqual(["docs-1", "firmware-1", "firmware-2"]);
    } finally {
      await up.stop();
    }
  });

  it("runs the five built-ins when there is no guild.yaml", async () => {
    using repo = tempRepo();
    const up = await runUp({ bus: "memory", home: repo.path, events: false }, collectOutput());
    try {
      expect(up.runtime.agents.map((a) => a.agentId).sort()).toEqual([
        "backend-1",
        "docs-1",
        "frontend-1",
        "security-1",
        "tests-1",
      ]);
    } finally {
      await up.stop();
    }
  });

  it("writes .guild/nats.url only when it started its own nats-server", async () => {
    await using server = await startNats();
    using repo = tempRepo();
    const url = join(repo.path, ".guild", "nats.url");
    const joined = await runUp(
      { natsUrl: server.url, home: repo.path, roles: [], events: false },
      collectOutput(),
    );
    try {
      expect(existsSync(url)).toBe(false);
    } finally {
      await joined.stop();
    }
    const own = await runUp({ bus: "nats", home: repo.path, roles: [], events: false }, collectOutput());
    try {
      expect(existsSync(url)).toBe(true);
    } finally {
      await own.stop();
    }
    expect(existsSync(url)).toBe(false);
  });
});
