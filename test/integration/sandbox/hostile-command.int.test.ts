import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createToolSet } from "../../../src/agents/tools/index.js";
import { sandboxPolicy } from "../../../src/sandbox/index.js";
import { tempRepo } from "../../helpers/git-repo.js";
import { tempDir } from "../../helpers/temp-dir.js";
import { hostileHost, hostileTest } from "./hostile-fixture.js";

describe("a hostile test command run through run_command", () => {
  it("cannot write outside, read ~/.ssh, reach the network, see secrets or fork without end", async () => {
    using repo = tempRepo({ "src/a.ts": "export const a = 1;\n" });
    using outside = tempDir("guild-hostile-outside-");
    using home = tempDir("guild-hostile-home-");
    using host = await hostileHost(home.path, "PRIVATE-KEY-MATERIAL", {
      AWS_SECRET_ACCESS_KEY: "aws-secret-value-123",
      AWS_ACCESS_KEY_ID: "AKIAHOSTILETEST",
      DATABASE_URL: "postgres://app:db-password-456@db/prod",
      NATS_URL: "nats://127.0.0.1:4222",
    });
    const tools = createToolSet({
      workdir: repo.path,
      role: "backend",
      ownership: { canWrite: (_r, p) => p.startsWith("src/"), isProtected: () => false },
      allowCommands: [["node", "src/hostile.test.cjs"]],
      sandbox: { ...sandboxPolicy(undefined), limits: { processes: 24 } },
      limits: { commandTimeoutMs: 60_000 },
    });
    const written = await tools.call("write_file", {
      path: "src/hostile.test.cjs",
      content: hostileTest({
        outside: join(outside.path, "escaped.txt"),
        sshKey: host.sshKey,
        port: host.port,
        sleepArg: "60",
      }),
    });
    expect(written.ok).toBe(true);
    const run = await tools.call("run_command", { argv: ["node", "src/hostile.test.cjs"] });
    expect(run.ok).toBe(false);
    expect(run.output).toContain("stopped: process limit (24 at once) reached");
    expect(run.output).toMatch(/write-outside refused/);
    expect(run.output).toMatch(/read-ssh refused ENOENT/);
    expect(run.output).toMatch(/network ECONNREFUSED/);
    for (const secret of [
      "aws-secret-value-123",
      "AKIAHOSTILETEST",
      "db-password-456",
      "PRIVATE-KEY-MATERIAL",
      "4222",
    ]) {
      expect(run.output).not.toContain(secret);
    }
    expect(existsSync(join(outside.path, "escaped.txt"))).toBe(false);
    expect(host.connections()).toBe(0);
  });
});
