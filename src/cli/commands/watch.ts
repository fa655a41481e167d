import type { Command } from "commander";
import type { Bus } from "../../bus/index.js";
import type { GuildEvent } from "../../protocol/index.js";
import { formatEvent } from "../event-format.js";
import { type Output, processOutput } from "../output.js";
import { connectBus } from "../runtime/bus-connection.js";

export interface WatchOptions {
  goal?: string;
  role?: string;
  type?: string;
  json?: boolean;
  /** Replay from this time (ISO or relative like `10m`, `2h`) or sequence (`#120`) before following live. */
  since?: string;
  /** Stop after replaying what is stored (no live follow). */
  replayOnly?: boolean;
  /** Include every brain step (verbose). */
  steps?: boolean;
}

/** The subject filter for `guild watch`: goal and type narrow it at the server; role narrows by source. */
export function watchSubject(options: WatchOptions): string {
  const goal = options.goal ?? "*";
  const type = options.type ? options.type : ">";
  return `guild.evt.${goal}.*.${type}`;
}

/** Parses `--since`: `#N` a sequence, `10m`/`2h`/`30s` ago, or a date. */
export function parseSince(since: string, now = Date.now()): { fromSeq?: number; fromTime?: Date } {
  if (since.startsWith("#")) return { fromSeq: Number.parseInt(since.slice(1), 10) };
  const rel = /^(\d+)([smhd])$/.exec(since);
  if (rel) {
    const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[rel[2] as "s" | "m" | "h" | "d"];
    return { fromTime: new Date(now - Number(rel[1]) * unit) };
  }
  const date = new Date(since);
  if (Number.isNaN(date.getTime())) throw new Error(`--since: not a time, duration or #sequence: ${since}`);
  return { fromTime: date };
}

function matchesRole(event: GuildEvent, role: string | undefined): boolean {
  if (!role) return true;
  if (event.source === role || event.source.startsWith(`${role}-`)) return true;
  const payload = event.payload as { role?: unknown };
  return payload.role === role;
}

/** `guild watch`: prints the event stream (replayed with `--since`, then live) until the signal aborts. */
export async function runWatch(
  bus: Bus,
  options: WatchOptions,
  output: Output,
  signal: AbortSignal,
): Promise<number> {
  let count = 0;
  const range = options.since ? parseSince(options.since) : { fromTime: new Date() };
  const sub = await bus.events.follow(
    { subject: watchSubject(options), ...range, ...(options.replayOnly ? { replayOnly: true } : {}) },
    (event) => {
      if (!matchesRole(event, options.role)) return;
      if (event.type === "agent.step" && !options.steps && !options.json) return;
      count++;
      output.out(options.json ? JSON.stringify(event) : formatEvent(event, output.color));
    },
  );
  await new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    signal.addEventListener("abort", () => resolve(), { once: true });
  });
  await sub.unsubscribe();
  return count;
}

export function registerWatchCommand(program: Command): void {
  program
    .command("watch")
    .description("stream the agents' events (live; --since to replay first)")
    .option("--goal <id>", "only this goal")
    .option("--role <role>", "only this role's agents")
    .option("--type <type>", "only this event type, e.g. proposal.accepted (NATS wildcards allowed)")
    .option("--since <when>", "replay from a time (ISO), a duration ago (10m, 2h) or a sequence (#120)")
    .option("--json", "one JSON event per line")
    .option("--steps", "include every brain step")
    .action(async (opts: WatchOptions) => {
      const connection = await connectBus({});
      const controller = new AbortController();
      process.once("SIGINT", () => controller.abort());
      process.once("SIGTERM", () => controller.abort());
      try {
        await runWatch(connection.bus, opts, processOutput, controller.signal);
      } finally {
        await connection.close();
      }
    });
}
