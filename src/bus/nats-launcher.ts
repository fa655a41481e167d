import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { GuildError } from "../protocol/index.js";
import { findNatsServer } from "./nats-binary.js";

export interface NatsLaunchOptions {
  /** JetStream store directory; a temp dir (removed on stop) when omitted. */
  storeDir?: string;
  /** Port to listen on; a free random port when omitted. */
  port?: number;
  binary?: string;
  startTimeoutMs?: number;
  /** A config file passed with `-c` (e.g. the authorization block `guild creds init` writes). */
  configFile?: string;
}

/** A nats-server child process with JetStream, on loopback. */
export class NatsServerProcess {
  #child: ChildProcess | undefined;
  #exited: Promise<void> = Promise.resolve();
  readonly storeDir: string;
  readonly #ownsStore: boolean;
  readonly #binary: string;
  readonly #portsDir: string;
  readonly #configFile: string | undefined;
  port: number;

  private constructor(options: NatsLaunchOptions) {
    this.#binary = options.binary ?? findNatsServer();
    this.#ownsStore = options.storeDir === undefined;
    this.storeDir = options.storeDir ?? mkdtempSync(join(tmpdir(), "guild-nats-"));
    this.#portsDir = mkdtempSync(join(tmpdir(), "guild-nats-ports-"));
    this.port = options.port ?? -1;
    this.#configFile = options.configFile;
  }

  static async start(options: NatsLaunchOptions = {}): Promise<NatsServerProcess> {
    const server = new NatsServerProcess(options);
    await server.#spawn(options.startTimeoutMs ?? 10_000);
    return server;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  async #spawn(timeoutMs: number): Promise<void> {
    mkdirSync(this.storeDir, { recursive: true });
    for (const f of readdirSync(this.#portsDir)) rmSync(join(this.#portsDir, f), { force: true });
    const args = ["-a", "127.0.0.1", "-p", String(this.port), "-js", "-sd", this.storeDir];
    args.push("--ports_file_dir", this.#portsDir);
    if (this.#configFile) args.push("-c", this.#configFile);
    let stderr = "";
    const child = spawn(this.#binary, args, { stdio: ["ignore", "ignore", "pipe"] });
    child.stderr?.on("data", (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    this.#child = child;
    this.#exited = new Promise((resolve) => child.once("exit", () => resolve()));
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) break;
      const file = readdirSync(this.#portsDir).find((f) => f.endsWith(".ports"));
      if (file && /Server is ready/.test(stderr)) {
        const client = clientUrlOf(readFileSync(join(this.#portsDir, file), "utf8"));
        if (client) {
          this.port = Number(new URL(client).port);
          return;
        }
      }
      await sleep(25);
    }
    child.kill("SIGKILL");
    throw new GuildError("bus.unavailable", `nats-server did not start: ${stderr.trim().slice(-1000)}`);
  }

  /** Stops the server (SIGTERM, then SIGKILL) and keeps its store, so `restart` finds the same data. */
  async stop(signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    const killer = setTimeout(() => child.kill("SIGKILL"), 5000);
    await this.#exited;
    clearTimeout(killer);
  }

  /** Restarts on the same port and store, as a NATS restart mid-goal would. */
  async restart(): Promise<void> {
    await this.stop();
    await this.#spawn(10_000);
  }

  /** Stops the server and removes what it created. */
  async dispose(): Promise<void> {
    await this.stop("SIGKILL");
    rmSync(this.#portsDir, { recursive: true, force: true });
    if (this.#ownsStore) rmSync(this.storeDir, { recursive: true, force: true });
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }
}

/**
 * The client URL in a nats-server ports file, or undefined while the server is still writing it (an empty
 * or partial file is read again on the next poll, not a parse error).
 */
export function clientUrlOf(text: string): string | undefined {
  try {
    const ports = JSON.parse(text) as { nats?: string[]; client?: string[] };
    return ports.nats?.[0] ?? ports.client?.[0];
  } catch {
    return undefined;
  }
}
