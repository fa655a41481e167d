import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { BUILT_IN_HOST } from "../../../src/agents/index.js";
import { HOST_CONFIG_FILE, loadHostSetting } from "../../../src/cli/runtime/host-config.js";
import { isGuildError } from "../../../src/protocol/index.js";
import { tempDir } from "../../helpers/temp-dir.js";

const ROOT = resolve(import.meta.dirname, "../../..");

function refusal(load: () => unknown): Error {
  try {
    load();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected the host config to be refused");
}

describe("loading the host config once at start", () => {
  it("takes --config, else the home's host.yaml, else the checkout's guild.yaml, else the built-in brains", () => {
    using home = tempDir();
    using checkout = tempDir();
    const env = { GUILD_HOME: home.path };
    expect(loadHostSetting({ checkout: checkout.path, env })).toBe(BUILT_IN_HOST);

    writeFileSync(
      join(checkout.path, "guild.yaml"),
      "roles:\n  docs:\n    brain: { kind: codex }\n    allowCommands: [[npm, test]]\n",
    );
    const fromCheckout = loadHostSetting({ checkout: checkout.path, env });
    expect(fromCheckout.source).toBe(join(checkout.path, "guild.yaml"));
    expect(fromCheckout.config.roles.docs).toEqual({
      brains: [{ kind: "codex" }],
      allowCommands: [["npm", "test"]],
    });

    writeFileSync(join(home.path, HOST_CONFIG_FILE), "roles:\n  docs:\n    brains: [{ kind: offline }]\n");
    const fromHome = loadHostSetting({ checkout: checkout.path, env });
    expect(fromHome.source).toBe(join(home.path, HOST_CONFIG_FILE));
    expect(fromHome.config.roles.docs?.brains).toEqual([{ kind: "offline" }]);

    mkdirSync(join(checkout.path, "etc"));
    const file = join(checkout.path, "etc", "agent.yaml");
    writeFileSync(file, "sandbox: none\n");
    expect(loadHostSetting({ file, checkout: checkout.path, env })).toEqual({
      config: { version: 1, roles: {}, sandbox: "none" },
      source: file,
    });
  });

  it("refuses a missing file, bad YAML, an unknown key and an invalid guild.yaml as config.invalid", () => {
    using dir = tempDir();
    const at = (name: string, text: string) => {
      writeFileSync(join(dir.path, name), text);
      return join(dir.path, name);
    };
    const cases = [
      [join(dir.path, "absent.yaml"), /cannot read host config/],
      [at("bad.yaml", "roles: [unclosed\n"), /bad\.yaml: /],
      [
        at("typo.yaml", "roles:\n  docs:\n    allowComands: [[sh]]\n"),
        /typo\.yaml: roles\.docs: .*allowComands/,
      ],
      [
        at("brain.yaml", "roles:\n  docs:\n    brains: [{ kind: shell }]\n"),
        /brain\.yaml: roles\.docs\.brains\.0/,
      ],
      [at("guild.yaml", "version: 1\nrolez:\n  docs: {}\n"), /guild\.yaml:2:1: .*rolez/],
    ] as const;
    for (const [file, message] of cases) {
      const error = refusal(() =>
        loadHostSetting({ file, checkout: dir.path, env: { GUILD_HOME: dir.path } }),
      );
      expect(isGuildError(error, "config.invalid"), String(error)).toBe(true);
      expect(error.message).toMatch(message);
    }
  });

  it("`guild agent --config` with an invalid file: one line on stderr, exit code 2, before any connection", () => {
    using dir = tempDir();
    const file = join(dir.path, "host.yaml");
    writeFileSync(file, "roles:\n  docs:\n    sandbox: { network: yes-please }\n");
    const run = spawnSync(
      process.execPath,
      ["--import", "tsx", "src/cli/main.ts", "agent", "--role", "docs", "--config", file],
      // No server listens there: the config is refused before the agent tries to connect.
      {
        cwd: ROOT,
        env: { ...process.env, NATS_URL: "nats://127.0.0.1:1", GUILD_HOME: dir.path },
        encoding: "utf8",
        timeout: 60_000,
      },
    );
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(/^guild: .*host\.yaml: roles\.docs\.sandbox/);
  });
});
