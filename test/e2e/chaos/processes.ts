import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type GuildProcess, spawnGuildProcess } from "../../helpers/guild-process.js";

export const COORDINATOR_MAIN = join(import.meta.dirname, "coordinator-main.ts");
export const AGENT_MAIN = join(import.meta.dirname, "agent-main.ts");

/** A guild process the harness may kill and start again with the same environment (home, credentials). */
export class Restartable {
  readonly name: string;
  readonly #script: string;
  readonly #env: Record<string, string>;
  #current: GuildProcess | undefined;
  /** Output of the processes this one replaced, for a failure's message. */
  #earlier = "";

  constructor(name: string, script: string, env: Record<string, string>) {
    this.name = name;
    this.#script = script;
    this.#env = env;
    if (env.GUILD_HOME) mkdirSync(env.GUILD_HOME, { recursive: true });
  }

  async start(readyTimeoutMs = 60_000): Promise<void> {
    this.#current = await spawnGuildProcess(this.#script, this.#env, { readyTimeoutMs });
  }

  get pid(): number | undefined {
    return this.#current?.pid;
  }

  /** Kills the running process; resolves with how it ended. */
  async kill(signal: NodeJS.Signals = "SIGKILL"): Promise<string> {
    const current = this.#current;
    if (!current) return "not running";
    this.#current = undefined;
    const how = await current.kill(signal);
    this.#earlier = `${this.#earlier}${current.output()}\n--- ${signal} ---\n`.slice(-20_000);
    return how;
  }

  output(): string {
    return `${this.#earlier}${this.#current?.output() ?? ""}`.slice(-8_000);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.kill("SIGKILL");
  }
}
