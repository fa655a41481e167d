import type { EventEmitter, KeyValue } from "../../bus/index.js";
import { type Clock, type Logger, NO_GOAL, type ScheduleConfig } from "../../protocol/index.js";
import { latestSlot, nextSlot, type ParsedSchedule, parseSchedule, runGoalId } from "./cron-slots.js";
import { readSchedule, type ScheduleRecord, writeSchedule } from "./schedule-store.js";

/** What the scheduler asks of its coordinator: start a goal, and whether one exists already. */
export interface SchedulerDeps {
  kv: KeyValue;
  events: EventEmitter;
  clock: Clock;
  logger: Logger;
  /** Starts the run's goal under the given id (the coordinator's submit). */
  startGoal(goal: { goalId: string; text: string; baseRef: string }): Promise<void>;
  /** Whether a goal with this id was ever started (the coordinator's goal store). */
  goalExists(goalId: string): Promise<boolean>;
}

// Timers are re-armed at least this often, so a long wait neither overflows setTimeout nor misses a clock jump.
const MAX_WAIT_MS = 60 * 60_000;

/**
 * Starts guild.yaml's scheduled goals. Each run is claimed in the KV bucket (compare-and-set) before its goal
 * starts under an id made from the run's time, so a run starts at most once across restarts and coordinators;
 * runs missed while no coordinator ran start once, as one late run.
 */
export class GoalScheduler {
  readonly #deps: SchedulerDeps;
  readonly #schedules: ParsedSchedule[] = [];
  #timer: unknown;
  #chain: Promise<void> = Promise.resolve();
  #stopped = false;

  readonly #configs: readonly ScheduleConfig[];

  constructor(configs: readonly ScheduleConfig[], deps: SchedulerDeps) {
    this.#deps = deps;
    this.#configs = configs;
  }

  /** Checks every schedule (a bad one is a `schedule.failed` event; the others still run), catches up, arms the timer. */
  async start(): Promise<void> {
    for (const config of this.#configs) {
      try {
        this.#schedules.push(parseSchedule(config));
      } catch (error) {
        await this.#deps.events.emit(
          "schedule.failed",
          {
            scheduleId: config.id ?? config.cron,
            reason: error instanceof Error ? error.message : String(error),
          },
          NO_GOAL,
        );
      }
    }
    await this.tick();
  }

  /** Stops the timer; a tick under way finishes. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== undefined) this.#deps.clock.clearTimeout(this.#timer);
    await this.#chain;
  }

  /** Runs every schedule that is due now, then arms the timer for the next; ticks never overlap. */
  tick(): Promise<void> {
    this.#chain = this.#chain.then(() => this.#tick());
    return this.#chain;
  }

  /** Resolves once the ticks started so far have finished (tests advance a simulated clock, then wait here). */
  settled(): Promise<void> {
    return this.#chain;
  }

  async #tick(): Promise<void> {
    if (this.#stopped) return;
    const now = this.#deps.clock.now();
    for (const schedule of this.#schedules) {
      await this.#run(schedule, now).catch((error: unknown) => {
        this.#deps.logger.warn({ err: error, scheduleId: schedule.id }, "scheduled goal did not start");
        return this.#deps.events.emit(
          "schedule.failed",
          { scheduleId: schedule.id, reason: error instanceof Error ? error.message : String(error) },
          NO_GOAL,
        );
      });
    }
    const next = Math.min(...this.#schedules.map((s) => nextSlot(s, now) ?? Number.POSITIVE_INFINITY));
    if (this.#stopped || !Number.isFinite(next)) return;
    this.#timer = this.#deps.clock.setTimeout(
      () => void this.tick(),
      Math.min(Math.max(0, next - now), MAX_WAIT_MS),
    );
  }

  async #run(schedule: ParsedSchedule, now: number): Promise<void> {
    let stored = await readSchedule(this.#deps.kv, schedule.id);
    if (!stored) {
      const record: ScheduleRecord = {
        id: schedule.id,
        cron: schedule.config.cron,
        goal: schedule.config.goal,
        ...(schedule.config.timezone ? { timezone: schedule.config.timezone } : {}),
        since: new Date(now).toISOString(),
      };
      if (!(await writeSchedule(this.#deps.kv, record))) return;
      stored = await readSchedule(this.#deps.kv, schedule.id);
      if (!stored) return;
    }
    const { record, revision } = stored;
    // A run claimed by a coordinator that died before its goal started: start it now, still under its own id.
    if (record.lastSlot && record.lastGoalId && !record.started) {
      await this.#startRun(schedule, record, revision, Date.parse(record.lastSlot), now);
      return;
    }
    const slot = latestSlot(schedule, now);
    const owed = Math.max(Date.parse(record.since), record.lastSlot ? Date.parse(record.lastSlot) : 0);
    if (slot === undefined || slot <= owed) return;
    const claimed: ScheduleRecord = {
      ...record,
      lastSlot: new Date(slot).toISOString(),
      lastGoalId: runGoalId(schedule.id, slot),
      started: false,
    };
    if (!(await writeSchedule(this.#deps.kv, claimed, revision))) return;
    const after = await readSchedule(this.#deps.kv, schedule.id);
    if (after) await this.#startRun(schedule, after.record, after.revision, slot, now);
  }

  async #startRun(
    schedule: ParsedSchedule,
    record: ScheduleRecord,
    revision: number,
    slot: number,
    now: number,
  ) {
    const goalId = record.lastGoalId as string;
    if (!(await this.#deps.goalExists(goalId))) {
      await this.#deps.startGoal({ goalId, text: schedule.config.goal, baseRef: schedule.config.base });
      // A run is late when it starts after the next minute began: its time passed while no coordinator ran.
      await this.#deps.events.emit(
        "schedule.fired",
        {
          scheduleId: schedule.id,
          cron: schedule.config.cron,
          slot: new Date(slot).toISOString(),
          goalId,
          late: now - slot >= 60_000,
        },
        goalId,
      );
    }
    await writeSchedule(this.#deps.kv, { ...record, started: true }, revision);
  }
}
