import { spawn } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { GitSpawner } from "../../../src/git/git-spawner.js";
import { gitEnv } from "../../../src/git/index.js";
import { tempRepo } from "../../helpers/git-repo.js";

const run = (spawner: GitSpawner, cwd: string, args: string[], input = "") =>
  spawner.run({ file: "git", args, cwd, env: gitEnv(), input });

describe("the git helper process", () => {
  it("runs git without a shell, with stdin, exit codes and stderr as git gives them", async () => {
    using repo = tempRepo();
    const spawner = new GitSpawner();
    try {
      const hashed = await run(spawner, repo.path, ["hash-object", "--stdin"], "hello\n");
      expect(hashed.code).toBe(0);
      expect(hashed.stdout.toString().trim()).toBe("ce013625030ba8dba906f756967f9e9ca394464a");
      const missing = await run(spawner, repo.path, ["rev-parse", "--verify", "no-such-ref;echo"]);
      expect(missing.code).toBe(128);
      expect(missing.stderr).toContain("fatal");
      const many = await Promise.all(
        Array.from({ length: 20 }, (_, i) => run(spawner, repo.path, ["hash-object", "--stdin"], `${i}\n`)),
      );
      expect(new Set(many.map((r) => r.stdout.toString())).size).toBe(20);
      const usage = await spawner.usage();
      expect(usage?.cpuMs).toBeGreaterThan(0);
      expect(usage?.childCpuMs).toBeGreaterThanOrEqual(0);
    } finally {
      spawner.close();
    }
  });

  it("runs at most `limit` git processes at once, the waiting run of highest priority first", async () => {
    using repo = tempRepo();
    const spawner = new GitSpawner(1);
    try {
      const finished: string[] = [];
      const runs = [
        ["first", 0],
        ["low", 0],
        ["high", 5],
        ["mid", 1],
      ].map(([name, priority]) =>
        spawner
          .run(
            { file: "git", args: ["--version"], cwd: repo.path, env: gitEnv(), input: "" },
            priority as number,
          )
          .then(() => finished.push(name as string)),
      );
      await Promise.all(runs);
      expect(finished).toEqual(["first", "high", "mid", "low"]);
    } finally {
      spawner.close();
    }
  });

  it("fails the runs it had in hand when the helper dies, and starts a new one for the next run", async () => {
    using repo = tempRepo();
    const spawner = new GitSpawner();
    try {
      await run(spawner, repo.path, ["--version"]);
      const first = spawner.pid;
      const inHand = run(spawner, repo.path, ["status"]);
      process.kill(first as number, "SIGKILL");
      await expect(inHand).rejects.toMatchObject({ code: "git.failed" });
      const again = await run(spawner, repo.path, ["rev-parse", "HEAD"]);
      expect(again.code).toBe(0);
      expect(spawner.pid).not.toBe(first);
    } finally {
      spawner.close();
    }
  });

  it("does not keep a process alive once its git runs are done", async () => {
    const script = join(import.meta.dirname, "git-helper-exit.ts");
    const child = spawn(process.execPath, ["--import", "tsx", script], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        resolve(-1);
      }, 20_000);
      child.on("exit", (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    expect(code).toBe(0);
    expect(out).toMatch(/^git version/);
  });
});
