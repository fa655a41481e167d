import { spawn } from "node:child_process";
import { existsSync, readFileSync, unlinkSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { withRepoLock } from "../../../src/git/index.js";
import { tempRepo } from "../../helpers/git-repo.js";

describe("the repository lock and a holder that stopped", () => {
  it("breaks a lock whose live holder stopped refreshing it, and leaves a fresh one alone", async () => {
    using repo = tempRepo({ "a.txt": "a\n" });
    const lockFile = join(repo.path, ".git", "guild-repo.lock");
    // A live process frozen mid-step, as SIGSTOP leaves a worker: its pid is alive, its lease is old.
    const frozen = spawn("sleep", ["60"], { stdio: "ignore" });
    try {
      frozen.kill("SIGSTOP");
      writeFileSync(lockFile, String(frozen.pid));
      const old = new Date(Date.now() - 60_000);
      utimesSync(lockFile, old, old);
      const ran = await withRepoLock(repo.path, async () => readFileSync(lockFile, "utf8"));
      expect(ran).toBe(String(process.pid));
      expect(existsSync(lockFile)).toBe(false);

      // A fresh lock of a live holder is waited for: the step runs only once the holder lets go.
      writeFileSync(lockFile, String(frozen.pid));
      let entered = false;
      const waiting = withRepoLock(repo.path, async () => {
        entered = true;
      });
      await new Promise((r) => setTimeout(r, 300));
      expect(entered).toBe(false);
      unlinkSync(lockFile);
      await waiting;
      expect(entered).toBe(true);
    } finally {
      frozen.kill("SIGKILL");
    }
  });
});
