import { describe, expect, it } from "vitest";
import { commandEnv, createToolSet, isAllowedCommand } from "../../../../src/agents/tools/index.js";
import { tempRepo } from "../../../helpers/git-repo.js";
import { backendOwnsSrc } from "./ownership-fixture.js";

const SCRIPTS = {
  "tools/env.mjs": "console.log(Object.keys(process.env).sort().join(','));\n",
  "tools/hang.mjs": "setInterval(() => {}, 1000);\n",
  "tools/loud.mjs": "process.stdout.write('a'.repeat(100000) + 'END');\n",
  "tools/fail.mjs": "console.error('boom sk-abcdefghijklmnop'); process.exit(3);\n",
};

describe("run_command", () => {
  it("matches argv prefixes word for word", () => {
    expect(isAllowedCommand(["npm", "test", "--", "-t", "x"], [["npm", "test"]])).toBe(true);
    expect(isAllowedCommand(["npm", "install"], [["npm", "test"]])).toBe(false);
    expect(isAllowedCommand(["npmx", "test"], [["npm"]])).toBe(false);
  });

  it("passes no API keys, only the names the role passes on, and puts extra paths first", () => {
    const env = commandEnv(
      { extraPath: ["/x/bin"], passEnv: ["DB_HOST"] },
      {
        PATH: "/usr/bin",
        OPENAI_API_KEY: "k",
        HOME: "/h",
        NATS_TOKEN: "t",
        DATABASE_URL: "pg://u:pw@x",
        DB_HOST: "db",
      },
    );
    expect(env).toEqual({
      CI: "1",
      NO_COLOR: "1",
      FORCE_COLOR: "0",
      DB_HOST: "db",
      TMPDIR: "/tmp",
      PATH: "/x/bin:/usr/bin",
    });
  });

  it("runs sandboxed with a clean environment, a timeout, truncated and redacted output", async () => {
    using repo = tempRepo(SCRIPTS);
    const previous = process.env.OPENAI_API_KEY;
    process.env.OPENAI_API_KEY = "sk-test-should-not-leak";
    try {
      const tools = createToolSet({
        workdir: repo.path,
        role: "backend",
        ownership: backendOwnsSrc,
        allowCommands: [["node"], ["node-does-not-exist"]],
        limits: { commandTimeoutMs: 3000, maxOutputChars: 1000 },
      });
      const env = await tools.call("run_command", { argv: ["node", "tools/env.mjs"] });
      expect(env.ok).toBe(true);
      expect(env.output).not.toContain("OPENAI_API_KEY");
      expect(env.output).toContain("PATH");
      const hang = await tools.call("run_command", { argv: ["node", "tools/hang.mjs"] });
      expect(hang).toMatchObject({ ok: false });
      expect(hang.output).toContain("timed out after 3000 ms");
      const loud = await tools.call("run_command", { argv: ["node", "tools/loud.mjs"] });
      expect(loud.output).toMatch(/characters truncated/);
      expect(loud.output).toMatch(/END\n<<<END UNTRUSTED REPOSITORY DATA>>>$/);
      expect(loud.output.length).toBeLessThan(1200);
      const fail = await tools.call("run_command", { argv: ["node", "tools/fail.mjs"] });
      expect(fail.ok).toBe(false);
      expect(fail.output).toContain("exit code 3");
      expect(fail.output).toContain("boom [Redacted]");
      const missing = await tools.call("run_command", { argv: ["node-does-not-exist"] });
      expect(missing).toMatchObject({ ok: false, output: expect.stringMatching(/^could not start/) });
    } finally {
      if (previous === undefined) delete process.env.OPENAI_API_KEY;
      else process.env.OPENAI_API_KEY = previous;
    }
  }, 60_000);
});
