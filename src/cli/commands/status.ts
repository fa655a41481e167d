import type { Command } from "commander";
import type { Bus } from "../../bus/index.js";
import { nextSlot, parseSchedule, readSchedules } from "../../coordinator/index.js";
import { AgentPresence } from "../../protocol/index.js";
import { type GoalRecord, readGoals } from "../client/index.js";
import { type Output, processOutput } from "../output.js";
import { connectBus } from "../runtime/bus-connection.js";

const decoder = new TextDecoder();

/** One line per scheduled goal: its cron, next run, and the last run with its goal. */
async function scheduleLines(bus: Bus): Promise<string[]> {
  return (await readSchedules(bus.kv)).map((s) => {
    let next = "never";
    try {
      const at = nextSlot(
        parseSchedule({
          cron: s.cron,
          goal: s.goal,
          base: "HEAD",
          ...(s.timezone ? { timezone: s.timezone } : {}),
        }),
        Date.now(),
      );
      if (at !== undefined) next = new Date(at).toISOString();
    } catch {
      next = "invalid cron";
    }
    const last = s.lastSlot
      ? `last ${s.lastSlot} → ${s.lastGoalId}${s.started ? "" : " (not started yet)"}`
      : "not run yet";
    return `schedule ${s.id}  "${s.cron}"  next ${next}  ${last}  "${s.goal}"`;
  });
}

/** The agents whose heartbeat is in the presence bucket (the server drops one a TTL after its last). */
export async function readAgents(bus: Bus): Promise<AgentPresence[]> {
  const agents: AgentPresence[] = [];
  for (const key of await bus.presence.keys()) {
    const entry = await bus.presence.get(key);
    if (!entry) continue;
    const parsed = AgentPresence.safeParse(JSON.parse(decoder.decode(entry.value)));
    if (parsed.success) agents.push(parsed.data);
  }
  return agents.sort((a, b) => a.agentId.localeCompare(b.agentId));
}

function ago(iso: string, now: number): string {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  return s < 120 ? `${s}s` : s < 7200 ? `${Math.round(s / 60)}m` : `${Math.round(s / 3600)}h`;
}

/** `guild status --agents`: who is up, where (host, pid), on what task, since when. */
export async function runAgentsStatus(
  bus: Bus,
  options: { json?: boolean },
  output: Output,
): Promise<number> {
  const agents = await readAgents(bus);
  if (options.json) {
    output.out(JSON.stringify(agents));
    return 0;
  }
  if (agents.length === 0) output.out("no agents up");
  const now = Date.now();
  for (const a of agents) {
    const work = a.task
      ? `working on ${a.task.goalId}/${a.task.taskId} (attempt ${a.task.attempt}) for ${ago(a.task.since, now)}`
      : "idle";
    output.out(
      `${a.agentId.padEnd(14)} ${a.role.padEnd(10)} ${`${a.host}:${a.pid}`.padEnd(24)} up ${ago(a.since, now).padEnd(5)} ${work}`,
    );
  }
  return 0;
}

/** `guild status`: each goal's status, state and task counts. */
export async function runStatus(bus: Bus, options: { json?: boolean }, output: Output): Promise<number> {
  const goals = await readGoals(bus);
  if (options.json) {
    output.out(JSON.stringify(goals));
    return 0;
  }
  if (goals.length === 0) output.out("no goals yet");
  for (const line of await scheduleLines(bus)) output.out(line);
  for (const goal of goals) output.out(statusLine(goal));
  return 0;
}

/**
 * One goal as a line: its status (the machine state only when it says more, `running.reviewing`), its tasks
 * by outcome, and the reason of a goal that ended without being done.
 */
export function statusLine(goal: GoalRecord): string {
  const tasks = Object.values(goal.context.tasks);
  const byStatus = new Map<string, number>();
  for (const t of tasks) byStatus.set(t.status, (byStatus.get(t.status) ?? 0) + 1);
  const state = goal.state === goal.status ? goal.status : `${goal.status} (${goal.state})`;
  let counts: string;
  if (goal.status === "done") counts = `${byStatus.get("accepted") ?? 0}/${tasks.length} tasks accepted`;
  else {
    // A goal that did not finish delivered nothing, so "accepted" alone would read as progress.
    const parts = [...byStatus].sort((a, b) => b[1] - a[1]).map(([status, n]) => `${n} ${status}`);
    counts = `${tasks.length} task(s)${parts.length > 0 ? `: ${parts.join(", ")}` : ""}`;
  }
  const reason = goal.context.reason ? `  — ${goal.context.reason}` : "";
  return `${goal.goalId}  ${state.padEnd(10)}  ${counts}  "${goal.context.text}"${reason}`;
}

export function registerStatusCommand(program: Command): void {
  program
    .command("status")
    .description("the goals this guild knows, with their state")
    .option("--json", "as JSON")
    .option("--agents", "the agents that are up: where, on what task, since when")
    .action(async (opts: { json?: boolean; agents?: boolean }) => {
      const connection = await connectBus({});
      try {
        const run = opts.agents ? runAgentsStatus : runStatus;
        process.exitCode = await run(connection.bus, opts, processOutput);
      } finally {
        await connection.close();
      }
    });
}
