import { describe, expect, it } from "vitest";
import { childEnv } from "../../../src/sandbox/index.js";

const host = {
  PATH: "/usr/bin:/bin",
  LANG: "C.UTF-8",
  LC_CTYPE: "C.UTF-8",
  TZ: "UTC",
  HOME: "/home/me",
  USER: "me",
  OPENAI_API_KEY: "sk-openai",
  ANTHROPIC_API_KEY: "sk-ant",
  AWS_SECRET_ACCESS_KEY: "aws-secret",
  AWS_ACCESS_KEY_ID: "AKIA",
  DATABASE_URL: "postgres://u:pw@db/x",
  NATS_URL: "nats://127.0.0.1:4222",
  SSH_AUTH_SOCK: "/run/agent.sock",
  NODE_OPTIONS: "--require /tmp/evil.js",
  GIT_DIR: "/elsewhere",
};

describe("childEnv", () => {
  it("keeps the allowlist and a private HOME, and withholds every other name", () => {
    const env = childEnv({ home: "/tmp/h" }, host);
    expect(env).toEqual({
      PATH: "/usr/bin:/bin",
      LANG: "C.UTF-8",
      LC_CTYPE: "C.UTF-8",
      TZ: "UTC",
      HOME: "/tmp/h",
      TMPDIR: "/tmp",
    });
  });

  it("passes on the names config lists, puts extra PATH first, and sets what it is told", () => {
    const env = childEnv(
      { pass: ["OPENAI_API_KEY", "NOT_SET"], extraPath: ["/repo/node_modules/.bin"], set: { CI: "1" } },
      host,
    );
    expect(env.OPENAI_API_KEY).toBe("sk-openai");
    expect(env.ANTHROPIC_API_KEY).toBeUndefined();
    expect("NOT_SET" in env).toBe(false);
    expect(env.PATH).toBe("/repo/node_modules/.bin:/usr/bin:/bin");
    expect(env.CI).toBe("1");
    expect(env.HOME).toBeUndefined();
  });
});
