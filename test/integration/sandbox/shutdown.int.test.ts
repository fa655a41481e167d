import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type GuildProcess, spawnGuildProcess } from "../../helpers/guild-process.js";
import { startNats } from "../../helpers/nats.js";

const ROOT = join(import.meta.dirname, "..", "..", "..");
const MAIN = join(ROOT, "src", "cli", "main.ts");

// A guild CLI process on the given server, resolved once its output matches `ready`.
function guild(args: string[], natsUrl: string, ready: RegExp): Promise<GuildProcess> {
  const env = { NATS_URL: natsUrl, GUILD_LOG_LEVEL: "error" };
  return spawnGuildProcess(MAIN, env, { args, ready, readyTimeoutMs: 100_000 });
}

function within<T>(promise: Promise<T>, ms: number, what: () => string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what()}`)), ms)),
  ]);
}

describe("shutdown with NATS gone", () => {
  it("one SIGTERM stops guild coordinator, guild agent and guild up; a second signal exits at once", async () => {
    const nats = await startNats();
    const running: GuildProcess[] = [];
    try {
      running.push(await guild(["coordinator"], nats.url, /coordinator running/));
      running.push(await guild(["agent", "--role", "backend"], nats.url, /running/));
      running.push(await guild(["up", "--roles", "backend"], nats.url, /guild is up/));
      const stuck = await guild(["agent", "--role", "docs"], nats.url, /running/);
      running.push(stuck);
      await nats[Symbol.asyncDispose]();
      // Pulls in flight now wait on a server that is gone.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      for (const p of running) void p.kill("SIGTERM");
      const started = Date.now();
      // The docs agent gets a second signal right away: it exits without waiting for its stop.
      void stuck.kill("SIGTERM");
      const codes = await Promise.all(
        running.map((p) =>
          within(p.exited, 10_000, () => `still running 10 s after SIGTERM:\n${p.output()}`),
        ),
      );
      expect(codes.every((c) => c !== "SIGKILL")).toBe(true);
      expect(stuck.output()).toMatch(/SIGTERM again: exiting now|SIGTERM: stopping/);
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      for (const p of running) await p.kill("SIGKILL");
      await nats[Symbol.asyncDispose]().catch(() => {});
    }
  }, 120_000);
});
