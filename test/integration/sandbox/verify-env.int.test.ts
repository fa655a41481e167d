import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCheck } from "../../../src/coordinator/goal/run-check.js";
import { sandboxPolicy } from "../../../src/sandbox/index.js";
import { tempDir } from "../../helpers/temp-dir.js";

const confined = sandboxPolicy(undefined);

describe("the coordinator's verify command", () => {
  it("gets the allowlisted environment in the sandbox: no AWS keys, DATABASE_URL or NATS_URL", async () => {
    using dir = tempDir();
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_SECRET_ACCESS_KEY: "aws-secret-verify",
      AWS_ACCESS_KEY_ID: "AKIAVERIFY",
      DATABASE_URL: "postgres://u:verify-pw@db/x",
      NATS_URL: "nats://127.0.0.1:4999",
    });
    try {
      const run = await runCheck([process.execPath, "-e", "console.log(JSON.stringify(process.env))"], {
        cwd: dir.path,
        policy: confined,
      });
      expect(run.exitCode).toBe(0);
      const env = JSON.parse(run.output) as Record<string, string>;
      for (const name of ["AWS_SECRET_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "DATABASE_URL", "NATS_URL"]) {
        expect(env[name]).toBeUndefined();
      }
      expect(env.CI).toBe("true");
      expect(env.HOME).toBe("/tmp/home");
    } finally {
      for (const name of ["AWS_SECRET_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "DATABASE_URL", "NATS_URL"]) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
    }
  });

  it("ends with the reason when a limit stops the command, after the trimmed output", async () => {
    using dir = tempDir();
    const run = await runCheck(["sh", "-c", "yes | head -c 5000; sleep 30"], {
      cwd: dir.path,
      policy: { ...confined, limits: { wallMs: 500 } },
      maxOutput: 1000,
    });
    expect(run.exitCode).not.toBe(0);
    expect(run.timedOut).toBe(true);
    expect(run.limit).toBe("wall-time");
    expect(run.output.startsWith("…y\n")).toBe(true);
    expect(run.output.endsWith("\nstopped: time limit (500 ms) reached\n")).toBe(true);
  });

  it("reads the checkout's dependencies it is given, hidden under HOME, and cannot change them", async () => {
    // A checkout under the user's HOME, which the sandbox hides: its node_modules come back read-only.
    using home = tempDir(".home-", import.meta.dirname);
    using work = tempDir();
    const deps = join(home.path, "app", "node_modules");
    mkdirSync(join(deps, "dep"), { recursive: true });
    writeFileSync(join(deps, "dep", "index.js"), "module.exports = 'dep loaded';\n");
    const saved = process.env.HOME;
    process.env.HOME = home.path;
    try {
      const script = `console.log(require(${JSON.stringify(join(deps, "dep"))}));
try { require("node:fs").writeFileSync(${JSON.stringify(join(deps, "x"))}, "x"); } catch (e) { console.log(e.code); }`;
      const hidden = await runCheck([process.execPath, "-e", script], { cwd: work.path, policy: confined });
      expect(hidden.output).toContain("Cannot find module");
      const run = await runCheck([process.execPath, "-e", script], {
        cwd: work.path,
        policy: confined,
        readable: [deps],
      });
      expect(run.output).toBe("dep loaded\nEROFS\n");
    } finally {
      process.env.HOME = saved;
    }
  });
});
