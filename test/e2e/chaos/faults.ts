import { setTimeout as sleep } from "node:timers/promises";
import type { JetStreamManager } from "@nats-io/jetstream";
import type { GuildEvent } from "../../../src/protocol/index.js";
import type { ClusterNode, NatsCluster } from "../../helpers/nats-cluster.js";
import type { Restartable } from "./processes.js";

/** What the harness did to the system, when, and how long the system took to get over it. */
export interface FaultRecord {
  fault: string;
  target: string;
  /** Milliseconds from the start of the run. */
  at: number;
  /** What the target was doing: the streams a node led, the task an agent held. */
  detail: string;
  /** Named recovery times (ms after the fault), e.g. a new stream leader, the task claimed again. */
  recovered: Record<string, number>;
}

export interface FaultContext {
  cluster: NatsCluster;
  jsm: JetStreamManager;
  coordinator: Restartable;
  agents: Map<string, Restartable>;
  /** Consumer AckWait of the role queues (ms). */
  ackWaitMs: number;
  /** Start of the run, for `at`. */
  t0: number;
  /** The goal's events so far (grows while the goal runs). */
  events: GuildEvent[];
  /** Waits for an event of the goal; rejects after the run's remaining time. */
  waitFor(match: (e: GuildEvent) => boolean): Promise<GuildEvent>;
}

/** A fault: waits for its moment in the goal, strikes, brings the target back, and says what happened. */
export interface Fault {
  name: string;
  strike(ctx: FaultContext): Promise<FaultRecord>;
}

const GUILD_STREAMS = [
  "GUILD_EVENTS",
  "GUILD_TASKS",
  "GUILD_PROPOSALS",
  "KV_guild-state",
  "KV_guild-presence",
  "OBJ_guild-bundles",
];

/** The server name leading `stream`, or undefined while it has none (or the request fails). */
async function leaderOf(jsm: JetStreamManager, stream: string): Promise<string | undefined> {
  try {
    return (await jsm.streams.info(stream)).cluster?.leader;
  } catch {
    return undefined;
  }
}

/** Polls until `stream` has a leader other than `old`; the milliseconds since `since`, or -1 at the deadline. */
async function newLeader(
  jsm: JetStreamManager,
  stream: string,
  old: string,
  since: number,
  deadline: number,
) {
  while (Date.now() < deadline) {
    const leader = await leaderOf(jsm, stream);
    if (leader && leader !== old) return Date.now() - since;
    await sleep(200);
  }
  return -1;
}

async function streamsLedBy(jsm: JetStreamManager, node: string): Promise<string[]> {
  const led: string[] = [];
  for (const s of GUILD_STREAMS) if ((await leaderOf(jsm, s)) === node) led.push(s);
  return led;
}

const claimed = (e: GuildEvent) => e.type === "task.claimed";

/** The node leading `stream` at the goal's first claim, killed with SIGKILL and restarted on its store. */
export function killStreamLeader(stream: string, downMs: number): Fault {
  return {
    name: `SIGKILL the ${stream} leader, restart it`,
    async strike(ctx) {
      await ctx.waitFor(claimed);
      const name = await leaderOf(ctx.jsm, stream);
      const node = ctx.cluster.node(name ?? "n1");
      const led = await streamsLedBy(ctx.jsm, node.name);
      const killedAt = Date.now();
      await node.server.stop("SIGKILL");
      const elected = await newLeader(ctx.jsm, stream, node.name, killedAt, killedAt + downMs + 20_000);
      await sleep(Math.max(0, killedAt + downMs - Date.now()));
      await node.server.restart();
      await ctx.cluster.healthy(60_000);
      return record(this.name, node, ctx, killedAt, `led ${led.join(", ")}`, {
        "new leader": elected,
        "node back": Date.now() - killedAt,
      });
    },
  };
}

/** The node leading `stream` frozen with SIGSTOP for `ackWait + extraMs`, then continued. */
export function stopStreamLeader(stream: string, extraMs: number): Fault {
  return {
    name: `SIGSTOP the ${stream} leader past AckWait, SIGCONT`,
    async strike(ctx) {
      await ctx.waitFor(claimed);
      const name = await leaderOf(ctx.jsm, stream);
      const node = ctx.cluster.node(name ?? "n1");
      const led = await streamsLedBy(ctx.jsm, node.name);
      const pid = node.pid() as number;
      const stoppedAt = Date.now();
      const frozenMs = ctx.ackWaitMs + extraMs;
      process.kill(pid, "SIGSTOP");
      let elected = -1;
      try {
        elected = await newLeader(ctx.jsm, stream, node.name, stoppedAt, stoppedAt + frozenMs);
        await sleep(Math.max(0, stoppedAt + frozenMs - Date.now()));
      } finally {
        process.kill(pid, "SIGCONT");
      }
      await ctx.cluster.healthy(60_000);
      // A frozen leader need not lose its term (the election may outlast the freeze): the new leader is told, not required.
      const election =
        elected < 0 ? "no new leader while frozen" : `new leader after ${(elected / 1000).toFixed(1)} s`;
      return record(
        this.name,
        node,
        ctx,
        stoppedAt,
        `led ${led.join(", ")}; frozen ${frozenMs} ms, ${election}`,
        {
          "node current again": Date.now() - stoppedAt,
        },
      );
    },
  };
}

/** The role's agent process killed with SIGKILL while it works a task, then started again. */
export function killAgent(role: string): Fault {
  return {
    name: `SIGKILL the ${role} agent mid-task, restart it`,
    async strike(ctx) {
      const agent = ctx.agents.get(role) as Restartable;
      const claim = await ctx.waitFor((e) => claimed(e) && e.payload.agentId.startsWith(`${role}-`));
      const taskId = claim.type === "task.claimed" ? claim.payload.taskId : "";
      const killedAt = Date.now();
      await agent.kill("SIGKILL");
      await agent.start();
      const restarted = Date.now() - killedAt;
      const again = await ctx.waitFor(
        (e) =>
          claimed(e) && e !== claim && e.payload.taskId === taskId && Date.parse(e.time) >= killedAt - 1000,
      );
      const proposed = await ctx.waitFor(
        (e) => e.type === "proposal.published" && e.payload.taskId === taskId,
      );
      return record(this.name, { name: agent.name }, ctx, killedAt, `held ${taskId}`, {
        "process ready": restarted,
        "task claimed again": Date.parse(again.time) - killedAt,
        "task proposed": Date.parse(proposed.time) - killedAt,
      });
    },
  };
}

/** The coordinator killed with SIGKILL once an agent has published a proposal, then started again. */
export function killCoordinator(): Fault {
  return {
    name: "SIGKILL the coordinator while a proposal is in review, restart it",
    async strike(ctx) {
      const proposal = await ctx.waitFor((e) => e.type === "proposal.published");
      const killedAt = Date.now();
      await ctx.coordinator.kill("SIGKILL");
      await ctx.coordinator.start();
      const restarted = Date.now() - killedAt;
      const restored = await ctx.waitFor(
        (e) => e.type === "coordinator.state.changed" && e.payload.from === "restored",
      );
      const taskId = proposal.type === "proposal.published" ? proposal.payload.taskId : "";
      const accepted = await ctx.waitFor(
        (e) => e.type === "proposal.accepted" && e.payload.taskId === taskId,
      );
      return record(this.name, { name: "coordinator" }, ctx, killedAt, `reviewing ${taskId}`, {
        "process ready": restarted,
        "goal restored": Date.parse(restored.time) - killedAt,
        "proposal accepted": Date.parse(accepted.time) - killedAt,
      });
    },
  };
}

function record(
  fault: string,
  target: Pick<ClusterNode, "name">,
  ctx: FaultContext,
  at: number,
  detail: string,
  recovered: Record<string, number>,
): FaultRecord {
  return { fault, target: target.name, at: at - ctx.t0, detail, recovered };
}
