import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { childEnv, runSandboxed, type SandboxPolicy, sandboxPolicy } from "../../../src/sandbox/index.js";
import { tempRepo } from "../../helpers/git-repo.js";
import { tempDir } from "../../helpers/temp-dir.js";

const confined: SandboxPolicy = sandboxPolicy(undefined);
const node = (script: string) => [process.execPath, "-e", script];

describe("runSandboxed under bubblewrap", () => {
  const repo = tempRepo();
  const outside = tempDir("guild-outside-");
  afterAll(() => {
    repo[Symbol.dispose]();
    outside[Symbol.dispose]();
  });

  it("writes the worktree, never the root, /tmp of the host, .git or a path outside", async () => {
    const script = `
      const fs = require("node:fs");
      const tryWrite = (p) => { try { fs.writeFileSync(p, "x"); return "wrote " + p; } catch (e) { return "refused " + p + " " + e.code; } };
      console.log(tryWrite("inside.txt"));
      console.log(tryWrite(${JSON.stringify(join(outside.path, "escape.txt"))}));
      console.log(tryWrite(".git/hooks/pre-commit"));
      console.log(tryWrite("/etc/guild-escape"));`;
    const r = await runSandboxed({ argv: node(script), cwd: repo.path, policy: confined, env: childEnv({}) });
    expect(r.code, r.output).toBe(0);
    expect(readFileSync(join(repo.path, "inside.txt"), "utf8")).toBe("x");
    expect(existsSync(join(outside.path, "escape.txt"))).toBe(false);
    expect(existsSync(join(repo.path, ".git/hooks/pre-commit"))).toBe(false);
    expect(existsSync("/etc/guild-escape")).toBe(false);
    expect(r.stdout).toMatch(/refused .*escape\.txt/);
  });

  it("gives a private HOME, hides the user's, and passes only allowlisted or named variables", async () => {
    using home = tempDir("guild-user-home-");
    mkdirSync(join(home.path, ".ssh"));
    writeFileSync(join(home.path, ".ssh", "id_ed25519"), "ssh-secret-key");
    const saved = { HOME: process.env.HOME };
    process.env.HOME = home.path;
    process.env.GUILD_TEST_SECRET = "s3cret-in-env";
    process.env.GUILD_TEST_PASSED = "passed-on";
    try {
      const r = await runSandboxed({
        argv: [
          "sh",
          "-c",
          `env; echo "HOME=$HOME"; cat ${home.path}/.ssh/id_ed25519; ls -A ${home.path} | wc -l`,
        ],
        cwd: repo.path,
        policy: confined,
        env: childEnv({ pass: ["GUILD_TEST_PASSED"] }),
      });
      expect(r.output).not.toContain("s3cret-in-env");
      expect(r.output).not.toContain("ssh-secret-key");
      expect(r.stdout).toContain("GUILD_TEST_PASSED=passed-on");
      expect(r.stdout).toContain("HOME=/tmp/home");
      expect(r.stdout.trim().split("\n").at(-1)).toBe("0");
    } finally {
      process.env.HOME = saved.HOME;
      delete process.env.GUILD_TEST_SECRET;
      delete process.env.GUILD_TEST_PASSED;
    }
  });

  describe("network", () => {
    let connections = 0;
    const server = createServer((socket) => {
      connections++;
      // The sandboxed client may close first: a reset on this side is expected, not an error.
      socket.on("error", () => undefined);
      socket.end("hello");
    });
    let port = 0;
    beforeAll(async () => {
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      port = (server.address() as { port: number }).port;
    });
    afterAll(() => server.close());
    const connect = () =>
      node(
        `require("node:net").connect(${port}, "127.0.0.1").on("connect", () => { console.log("connected"); process.exit(0); }).on("error", (e) => { console.log(e.code); process.exit(3); })`,
      );

    it("is cut unless the policy allows it", async () => {
      const r = await runSandboxed({ argv: connect(), cwd: repo.path, policy: confined, env: childEnv({}) });
      expect(r.stdout.trim()).toBe("ECONNREFUSED");
      expect(connections).toBe(0);
      const open = await runSandboxed({
        argv: connect(),
        cwd: repo.path,
        policy: sandboxPolicy({ network: true, writable: [] }),
        env: childEnv({}),
      });
      expect(open.stdout.trim()).toBe("connected");
      expect(connections).toBe(1);
    });
  });

  it("makes configured directories writable, and only those", async () => {
    using extra = tempDir("guild-writable-");
    mkdirSync(join(extra.path, "cache"));
    const target = join(extra.path, "cache", "w.txt");
    const r = await runSandboxed({
      argv: ["sh", "-c", `echo y > ${target}`],
      cwd: repo.path,
      policy: sandboxPolicy({ network: false, writable: [join(extra.path, "cache")] }),
      env: childEnv({}),
    });
    expect(r.code, r.output).toBe(0);
    expect(readFileSync(target, "utf8")).toBe("y\n");
  });

  it("kills a setsid child when the command ends", async () => {
    const marker = join(outside.path, "late.txt");
    writeFileSync(join(repo.path, "late.sh"), `sleep 1; echo late > ${join(repo.path, "late.txt")}\n`);
    const r = await runSandboxed({
      argv: ["sh", "-c", "setsid sh late.sh > /dev/null 2>&1 < /dev/null & echo started"],
      cwd: repo.path,
      policy: confined,
      env: childEnv({}),
    });
    expect(r.stdout.trim()).toBe("started");
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(existsSync(join(repo.path, "late.txt"))).toBe(false);
    expect(existsSync(marker)).toBe(false);
  });

  it.each([
    ["processes", ["sh", "-c", "while :; do sleep 60 & done"], { processes: 20 }],
    ["memory", node("const a = []; for (;;) a.push(Buffer.alloc(1e7, 1))"), { memoryBytes: 150e6 }],
    ["cpu", node("for (;;) {}"), { cpuSeconds: 1 }],
    ["file-size", ["sh", "-c", "head -c 3000000 /dev/zero > big.bin"], { fileBytes: 1_000_000 }],
    ["output", ["yes"], { outputBytes: 50_000 }],
    ["wall-time", ["sleep", "30"], { wallMs: 300 }],
  ] as const)("stops a command past its %s limit and says so", async (limit, argv, limits) => {
    const r = await runSandboxed({ argv, cwd: repo.path, policy: confined, env: childEnv({}), limits });
    expect(r.limit, r.output).toBe(limit);
    expect(r.reason).toMatch(/^stopped: /);
    expect(r.code).not.toBe(0);
    if (limit === "output") expect(r.output.length).toBe(50_000);
  });

  it("runs unconfined only when the policy says none", async () => {
    const target = join(outside.path, "unconfined.txt");
    const r = await runSandboxed({
      argv: ["sh", "-c", `echo z > ${target}; echo "$HOME"`],
      cwd: repo.path,
      policy: sandboxPolicy("none"),
      env: childEnv({}),
    });
    expect(r.code).toBe(0);
    expect(existsSync(target)).toBe(true);
    expect(r.stdout).toMatch(/guild-home-/);
  });
});
