import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createToolSet } from "../../../src/agents/tools/index.js";
import { sandboxPolicy } from "../../../src/sandbox/index.js";
import { tempRepo } from "../../helpers/git-repo.js";
import { tempDir } from "../../helpers/temp-dir.js";

// What a model might write as a "test" in a path its role owns, then run with the allowed test command.
function hostileTest(outside: string, sshKey: string, port: number): string {
  return `
const fs = require("node:fs");
const net = require("node:net");
const { spawn } = require("node:child_process");
const report = (what, fn) => { try { console.log(what, fn()); } catch (e) { console.log(what, "refused", e.code); } };
report("write-outside", () => { fs.writeFileSync(${JSON.stringify(outside)}, "escaped"); return "wrote"; });
report("read-ssh", () => fs.readFileSync(${JSON.stringify(sshKey)}, "utf8"));
console.log("env", JSON.stringify(process.env));
const socket = net.connect(${port}, "127.0.0.1");
socket.on("connect", () => console.log("network connected"));
socket.on("error", (e) => {
  console.log("network", e.code);
  for (;;) spawn("sleep", ["60"]);
});
`;
}

describe("a hostile test command run through run_command", () => {
  it("cannot write outside, read ~/.ssh, reach the network, see secrets or fork without end", async () => {
    using repo = tempRepo({ "src/a.ts": "export const a = 1;\n" });
    using outside = tempDir("guild-hostile-outside-");
    using home = tempDir("guild-hostile-home-");
    mkdirSync(join(home.path, ".ssh"));
    const sshKey = join(home.path, ".ssh", "id_ed25519");
    writeFileSync(sshKey, "PRIVATE-KEY-MATERIAL");
    let connections = 0;
    const server = createServer((s) => {
      connections++;
      s.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;
    const saved = { ...process.env };
    Object.assign(process.env, {
      HOME: home.path,
      AWS_SECRET_ACCESS_KEY: "aws-secret-value-123",
      AWS_ACCESS_KEY_ID: "AKIAHOSTILETEST",
      DATABASE_URL: "postgres://app:db-password-456@db/prod",
      NATS_URL: "nats://127.0.0.1:4222",
    });
    try {
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
        content: hostileTest(join(outside.path, "escaped.txt"), sshKey, port),
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
      expect(connections).toBe(0);
    } finally {
      for (const name of ["HOME", "AWS_SECRET_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "DATABASE_URL", "NATS_URL"]) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
      server.close();
    }
  });
});
