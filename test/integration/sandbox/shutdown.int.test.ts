import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startNats } from "../../helpers/nats.js";

const ROOT = join(import.meta.dirname, "..", "..", "..");
const MAIN = join(ROOT, "src", "cli", "main.ts");

interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<string>;
}

// A guild CLI process on the given server, resolved once it prints `ready` (a line matching `readyLine`).
async function guild(args: string[], natsUrl: string, readyLine: RegExp): Promise<Running> {
  const child = spawn(process.execPath, ["--import", "tsx", MAIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, NATS_URL: natsUrl, GUILD_LOG_LEVEL: "error" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const take = (d: Buffer) => {
    output = (output + d.toString()).slice(-20_000);
  };
  child.stdout?.on("data", take);
  child.stderr?.on("data", take);
  const exited = new Promise<string>((resolve) =>
    child.once("exit", (code, signal) => resolve(signal ?? String(code))),
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (readyLine.test(output)) {
        clearInterval(timer);
        resolve();
      }
    }, 50);
    void exited.then((how) => {
      clearInterval(timer);
      reject(new Error(`guild ${args.join(" ")} exited (${how}) before it was ready:\n${output}`));
    });
  });
  return { child, output: () => output, exited };
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
    const running: Running[] = [];
    try {
      running.push(await guild(["coordinator"], nats.url, /coordinator running/));
      running.push(await guild(["agent", "--role", "backend"], nats.url, /running/));
      running.push(await guild(["up", "--roles", "backend"], nats.url, /guild is up/));
      const stuck = await guild(["agent", "--role", "docs"], nats.url, /running/);
      running.push(stuck);
      await nats[Symbol.asyncDispose]();
      // Pulls in flight now wait on a server that is gone.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      for (const p of running) p.child.kill("SIGTERM");
      const started = Date.now();
      // The docs agent gets a second signal right away: it exits without waiting for its stop.
      stuck.child.kill("SIGTERM");
      const codes = await Promise.all(
        running.map((p) =>
          within(p.exited, 10_000, () => `still running 10 s after SIGTERM:\n${p.output()}`),
        ),
      );
      expect(codes.every((c) => c !== "SIGKILL")).toBe(true);
      expect(stuck.output()).toMatch(/SIGTERM again: exiting now|SIGTERM: stopping/);
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      for (const p of running) p.child.kill("SIGKILL");
      await nats[Symbol.asyncDispose]().catch(() => {});
    }
  }, 120_000);
});
