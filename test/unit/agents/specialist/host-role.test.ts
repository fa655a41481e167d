import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hostNarrowedRole, repoAskOf } from "../../../../src/agents/specialist/host-role.js";
import { loadOwnership } from "../../../../src/ownership/index.js";
import { HostConfig } from "../../../../src/protocol/index.js";
import { tempDir } from "../../../helpers/temp-dir.js";

const host = {
  source: "host.yaml",
  config: HostConfig.parse({
    roles: { docs: { brains: [{ kind: "claude-code" }], allowCommands: [["npm", "test"]], env: ["CI"] } },
  }),
};

async function ownershipOf(dir: string, yaml: string) {
  writeFileSync(join(dir, "guild.yaml"), yaml);
  return loadOwnership({ repoDir: dir });
}

describe("what a goal's guild.yaml asks for a role", () => {
  it("only the fields it writes: a role without brain or commands takes the host's, not the defaults", async () => {
    using dir = tempDir();
    const ownership = await ownershipOf(dir.path, "roles:\n  docs:\n    charter: write docs\n");
    expect(await repoAskOf(ownership, "docs", dir.path)).toEqual({});
    const narrowed = await hostNarrowedRole(host, ownership, "docs", dir.path);
    expect(narrowed).toEqual({
      ok: true,
      role: {
        brain: { kind: "claude-code" },
        allowCommands: [["npm", "test"]],
        sandbox: undefined,
        env: ["CI"],
      },
    });
  });

  it("what it writes, the top-level sandbox included", async () => {
    using dir = tempDir();
    const yaml = [
      "sandbox: { network: true }",
      "roles:",
      "  docs:",
      "    brain: { kind: offline }",
      "    allowCommands: []",
      "    env: []",
      "",
    ].join("\n");
    const ownership = await ownershipOf(dir.path, yaml);
    expect(await repoAskOf(ownership, "docs", dir.path)).toEqual({
      sandbox: { network: true, writable: [] },
      brain: { kind: "offline" },
      allowCommands: [],
      env: [],
    });
    const narrowed = await hostNarrowedRole(host, ownership, "docs", dir.path);
    expect(narrowed).toEqual({
      ok: false,
      refusals: [{ field: "sandbox", asked: "network: true", reason: "this host gives the role no network" }],
    });
  });

  it("a repository with CODEOWNERS and no guild.yaml asks nothing", async () => {
    using dir = tempDir();
    writeFileSync(join(dir.path, "CODEOWNERS"), "* @docs\n");
    const ownership = await loadOwnership({ repoDir: dir.path });
    expect(await repoAskOf(ownership, "docs", dir.path)).toEqual({});
  });
});
