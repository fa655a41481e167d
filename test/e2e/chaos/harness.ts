import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { NatsBus, writeIdentities } from "../../../src/bus/index.js";
import { connectionOptions } from "../../../src/bus/nats/connection-options.js";
import type { GuildEvent } from "../../../src/protocol/index.js";
import { startNatsCluster } from "../../helpers/nats-cluster.js";
import {
  isTerminal,
  mergesPerTask,
  recordGoal,
} from "../../integration/coordinator/fixtures/durable-goal.js";
import { type AckCheck, AckObserver } from "./ack-observer.js";
import { chaosRepo, submitChaosGoal } from "./chaos-repo.js";
import type { Fault, FaultRecord } from "./faults.js";
import { AGENT_MAIN, COORDINATOR_MAIN, Restartable } from "./processes.js";
import { renderReport } from "./report.js";

const ROLES = ["frontend", "backend"];
const ENDED = new Set(["done", "failed", "cancelled"]);

/**
 * The goal's terminal event. The follower's ordered consumer can take tens of seconds to notice a killed
 * node (missed heartbeats) and resume, so the goal's stored record is polled too, and once it says the goal
 * ended, its events are read afresh.
 */
async function waitForEnd(
  bus: NatsBus,
  goalId: string,
  seen: GuildEvent[],
  timeoutMs: number,
): Promise<GuildEvent> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const followed = seen.find(isTerminal);
    if (followed) return followed;
    const entry = await bus.kv.get(`goal.${goalId}`).catch(() => undefined);
    const status = entry ? statusOf(entry.value) : undefined;
    if (status && ENDED.has(status)) {
      const read = (await bus.events.read({ subject: `guild.evt.${goalId}.>` }).catch(() => [])).find(
        isTerminal,
      );
      if (read) return read;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `goal ${goalId} did not end (record: ${status ?? "none"}); saw ${seen.map((e) => e.type).join(", ")}`,
      );
    }
    await sleep(1000);
  }
}

/**
 * The status in a stored goal record. A direct get served by a replica that is catching up after a node was
 * killed can answer with an empty value; that is "not known yet", read again on the next poll.
 */
function statusOf(value: Uint8Array): string | undefined {
  try {
    return (JSON.parse(new TextDecoder().decode(value)) as { status?: string }).status;
  } catch {
    return undefined;
  }
}

export interface ChaosOptions {
  /** Where the run keeps its cluster, credentials and homes (removed by the caller). */
  dir: string;
  /** One goal per fault, run one after another, after a goal with no fault as the baseline. */
  faults: Fault[];
  /** AckWait of the role queues and the coordinator's proposal queue (ms). */
  ackWaitMs: number;
  /** The whole run's time; each wait takes what is left of it. */
  budgetMs: number;
  /** Where the report is written. */
  reportFile: string;
  /** Progress lines, printed when the run fails. */
  log: (line: string) => void;
}

export interface GoalOutcome {
  goalId: string;
  fault: string;
  end: string;
  durationMs: number;
  merges: Record<string, number>;
  redeliveries: number;
  record?: FaultRecord;
  error?: string;
}

export interface ChaosResult {
  baseline: GoalOutcome;
  goals: GoalOutcome[];
  acks: AckCheck;
  report: string;
}

/**
 * Runs the chaos harness: a three-node cluster with the generated authorization, a coordinator and one
 * agent process per role (each its own home and key), a baseline goal, then one goal per fault while
 * that fault strikes. Returns every goal's outcome and the check of acknowledged events.
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosResult> {
  const t0 = Date.now();
  const left = () => Math.max(1_000, t0 + options.budgetMs - Date.now());
  const log = (m: string) => options.log(`+${((Date.now() - t0) / 1000).toFixed(1)}s ${m}`);
  const creds = writeIdentities(join(options.dir, "creds"), { roles: ROLES, replicas: 1 });
  await using cluster = await startNatsCluster(join(options.dir, "cluster"), { authConfig: creds.config });
  log(`cluster up at ${cluster.url}`);
  const observer = await AckObserver.start(
    cluster.nodes.map((n) => n.url),
    creds.files.coordinator,
    Object.values(creds.files),
  );
  const common = {
    NATS_URL: cluster.url,
    GUILD_NATS_REPLICAS: "3",
    GUILD_TASK_ACK_WAIT_MS: String(options.ackWaitMs),
    PROPOSAL_ACK_WAIT_MS: String(options.ackWaitMs),
  };
  await using coordinator = new Restartable("coordinator", COORDINATOR_MAIN, {
    ...common,
    NATS_CREDS: creds.files.coordinator,
    GUILD_HOME: join(options.dir, "home-coordinator"),
  });
  const agents = new Map<string, Restartable>();
  const admin = await connect({
    ...connectionOptions({ url: cluster.url, creds: creds.files.coordinator }),
    name: "chaos-admin",
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
  });
  let operator: NatsBus | undefined;
  using repo = chaosRepo(1);
  try {
    for (const role of ROLES) {
      const agent = new Restartable(`agent-${role}`, AGENT_MAIN, {
        ...common,
        ROLE: role,
        NATS_CREDS: creds.files[`agent-${role}`] as string,
        GUILD_HOME: join(options.dir, `home-${role}`),
        // The host lets its agent run the repository's slow cli brain (a goal's guild.yaml alone may not).
        HOST_CONFIG: join(repo.path, "guild.yaml"),
      });
      agents.set(role, agent);
    }
    // All at once: the agents wait for the coordinator to provision the streams and buckets.
    await Promise.all([coordinator, ...agents.values()].map((p) => p.start(left())));
    log("coordinator and agents ready");
    const bus = await NatsBus.connect({
      url: cluster.url,
      creds: creds.files.operator,
      name: "chaos-operator",
    });
    operator = bus;
    const jsm = await jetstreamManager(admin);
    const runGoal = async (goalId: string, fault: Fault | undefined): Promise<GoalOutcome> => {
      await using goal = await recordGoal(bus, goalId);
      const started = Date.now();
      await submitChaosGoal(bus, repo.path, goalId);
      log(`${goalId} submitted (${fault?.name ?? "no fault"})`);
      const struck = fault?.strike({
        cluster,
        jsm,
        coordinator,
        agents,
        ackWaitMs: options.ackWaitMs,
        t0,
        events: goal.events,
        waitFor: (match: (e: GuildEvent) => boolean) => goal.waitFor(match, left()),
      });
      const outcome: GoalOutcome = {
        goalId,
        fault: fault?.name ?? "none",
        end: "",
        durationMs: 0,
        merges: {},
        redeliveries: 0,
      };
      try {
        if (struck) {
          outcome.record = await struck;
          log(`${goalId}: ${outcome.record.fault} on ${outcome.record.target} done`);
        }
        const end = await waitForEnd(bus, goalId, goal.events, left());
        outcome.end = `${end.type}${end.type === "goal.done" ? "" : ` ${JSON.stringify(end.payload)}`}`;
        outcome.durationMs = Date.parse(end.time) - started;
      } catch (e) {
        const last = goal.events
          .slice(-15)
          .map((ev) => `${ev.time} ${ev.source} ${ev.type} ${JSON.stringify(ev.payload).slice(0, 300)}`);
        outcome.error = `${String(e).slice(0, 2000)}\n--- last events ---\n${last.join("\n")}\n--- coordinator ---\n${coordinator.output()}`;
        for (const [role, agent] of agents) outcome.error += `\n--- ${role} ---\n${agent.output()}`;
      }
      outcome.redeliveries = observer.redeliveries(started, Date.now()).length;
      try {
        outcome.merges = mergesPerTask(repo, goalId);
      } catch {
        // No integration branch: the goal never merged anything; `merges` stays empty and the test says so.
      }
      log(
        `${goalId}: ${outcome.end || "no end"} in ${outcome.durationMs} ms, ${outcome.redeliveries} redeliveries`,
      );
      return outcome;
    };
    const baseline = await runGoal("g-baseline", undefined);
    const goals: GoalOutcome[] = [];
    for (const [i, fault] of options.faults.entries()) {
      goals.push(await runGoal(`g-chaos-${i + 1}`, fault));
      if (goals.at(-1)?.error) break;
    }
    const acks = await observer.check(admin);
    log(
      `acks: ${acks.acked} acknowledged, ${acks.lost.length} lost, ${acks.unacked} attempts unacknowledged, ${acks.unstored.length} of ${acks.published} published never stored, ${acks.duplicates.length} stored twice, ${acks.stored} stored`,
    );
    const report = renderReport({
      baseline,
      goals,
      acks,
      clusterUrl: cluster.url,
      ackWaitMs: options.ackWaitMs,
    });
    writeFileSync(options.reportFile, report);
    return { baseline, goals, acks, report };
  } finally {
    for (const agent of agents.values()) await agent.kill("SIGKILL");
    await observer.close();
    await operator?.close().catch(() => undefined);
    await admin.close().catch(() => undefined);
  }
}
