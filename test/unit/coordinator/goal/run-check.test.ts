import { describe, expect, it } from "vitest";
import { runCheck } from "../../../../src/coordinator/goal/run-check.js";
import { sandboxPolicy } from "../../../../src/sandbox/index.js";

describe("runCheck", () => {
  it("runs the test command with colour turned off, so its output carries no escape codes", async () => {
    const script =
      "console.log(JSON.stringify([process.env.NO_COLOR, process.env.FORCE_COLOR, process.env.CI]))";
    const run = await runCheck([process.execPath, "-e", script], {
      cwd: process.cwd(),
      policy: sandboxPolicy(undefined),
    });
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.output)).toEqual(["1", "0", "true"]);
  });
});
