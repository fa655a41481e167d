import { type ChildProcess, spawn } from "node:child_process";
import { availableParallelism } from "node:os";
import { extname } from "node:path";
import { fileURLToPath } from "node:url";
import { GuildError, PriorityGate } from "../protocol/index.js";
import type { GitRunner } from "./git-runner.js";

/** One git run, as a {@link GitRunner} takes it. */
export interface SpawnRequest {
  file: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  input: string | Uint8Array;
}

export interface SpawnResult {
  stdout: Buffer;
  stderr: string;
  code: number;
}

/** CPU time (ms) the helper spent itself and in the git processes it ran that have ended. */
export interface SpawnerUsage {
  cpuMs: number;
  childCpuMs: number;
}

// The helper's code: a module of its own beside this one (.ts when run from source, .js when built).
const HELPER = fileURLToPath(
  new URL(`./git-helper-child${extname(fileURLToPath(import.meta.url))}`, import.meta.url),
);

interface Pending {
  resolve(result: SpawnResult | SpawnerUsage): void;
  reject(error: Error): void;
}

/**
 * Runs git processes from a small helper process instead of this one: guild's processes hold every agent
 * or the coordinator's goals, and each fork of them costs time on the event loop and CPU in proportion to
 * their memory. The helper starts on first use, does not keep this process alive when idle, and is started
 * again if it dies (the runs it had in hand fail with `git.failed`).
 */
export class GitSpawner implements GitRunner {
  #child: ChildProcess | undefined;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  readonly #gate: PriorityGate;

  /**
   * `limit`: git processes at once (default: one per core). The rest wait, the highest `priority` first,
   * then in arrival order: when every agent commits at once, the commit a chain of tasks waits on does not
   * share the cores with commits nothing waits on.
   */
  constructor(limit = availableParallelism()) {
    this.#gate = new PriorityGate(limit);
  }

  run(request: SpawnRequest, priority = 0): Promise<SpawnResult> {
    return this.#gate.run(priority, () => this.#ask({ ...request }) as Promise<SpawnResult>);
  }

  /** The helper's CPU so far; undefined when it is not running. */
  async usage(): Promise<SpawnerUsage | undefined> {
    if (!this.#child) return undefined;
    return (await this.#ask({ usage: true })) as SpawnerUsage;
  }

  /** The helper's process id while it runs. */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** Stops the helper (runs in hand fail); the next run starts it again. */
  close(): void {
    this.#child?.disconnect();
    this.#child = undefined;
  }

  #ask(message: Record<string, unknown>): Promise<SpawnResult | SpawnerUsage> {
    const child = this.#start();
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      if (this.#pending.size === 1) child.channel?.ref();
      child.send({ ...message, id }, (error) => {
        if (error) this.#settle(id, undefined, error);
      });
    });
  }

  #start(): ChildProcess {
    if (this.#child?.connected) return this.#child;
    // From source the helper is TypeScript too, loaded with tsx (a dev dependency, there whenever source runs).
    const loader = HELPER.endsWith(".ts") ? ["--import", "tsx"] : [];
    const child = spawn(process.execPath, [...loader, HELPER], {
      stdio: ["ignore", "ignore", "inherit", "ipc"],
      serialization: "advanced",
    });
    child.on("message", (m: { id: number; usage?: SpawnerUsage } & Partial<SpawnResult>) => {
      if (m.usage) return this.#settle(m.id, m.usage);
      const stdout = m.stdout as Uint8Array;
      const result = {
        stdout: Buffer.from(stdout.buffer, stdout.byteOffset, stdout.byteLength),
        stderr: m.stderr ?? "",
        code: m.code ?? 128,
      };
      this.#settle(m.id, result);
    });
    const gone = () => {
      if (this.#child === child) this.#child = undefined;
      const error = new GuildError("git.failed", "the git helper process ended with git runs in hand");
      for (const id of [...this.#pending.keys()]) this.#settle(id, undefined, error);
    };
    child.on("exit", gone);
    child.on("error", gone);
    child.unref();
    child.channel?.unref();
    this.#child = child;
    return child;
  }

  #settle(id: number, value: SpawnResult | SpawnerUsage | undefined, error?: Error): void {
    const pending = this.#pending.get(id);
    if (!pending) return;
    this.#pending.delete(id);
    if (this.#pending.size === 0) this.#child?.channel?.unref();
    if (error) pending.reject(error);
    else pending.resolve(value as SpawnResult | SpawnerUsage);
  }
}
