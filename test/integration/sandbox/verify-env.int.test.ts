import { describe, expect, it } from "vitest";
import { runCheck } from "../../../src/coordinator/goal/run-check.js";
import { tempDir } from "../../helpers/temp-dir.js";

describe("the coordinator's verify command", () => {
  it("gets the allowlisted environment: no AWS keys, DATABASE_URL or NATS_URL", async () => {
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
      });
      expect(run.exitCode).toBe(0);
      const env = JSON.parse(run.output) as Record<string, string>;
      for (const name of ["AWS_SECRET_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "DATABASE_URL", "NATS_URL"]) {
        expect(env[name]).toBeUndefined();
      }
      expect(env.CI).toBe("true");
      expect(env.HOME).toMatch(/guild-check-home-/);
    } finally {
      for (const name of ["AWS_SECRET_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "DATABASE_URL", "NATS_URL"]) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
    }
  });
});
