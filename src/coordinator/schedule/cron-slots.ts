import { createHash } from "node:crypto";
import { Cron } from "croner";
import { GuildError, type ScheduleConfig } from "../../protocol/index.js";

/** A schedule with its id settled and its cron expression parsed. */
export interface ParsedSchedule {
  id: string;
  config: ScheduleConfig;
  cron: Cron;
}

/** The schedule's id: its own, else a hash of what it runs, so it stays the same across restarts. */
export function scheduleId(config: ScheduleConfig): string {
  if (config.id) return config.id;
  return `s${createHash("sha256").update(`${config.cron}\n${config.goal}\n${config.base}`).digest("hex").slice(0, 10)}`;
}

/** Parses a schedule's cron expression (UTC unless it names a timezone); a bad one is `config.invalid`. */
export function parseSchedule(config: ScheduleConfig): ParsedSchedule {
  try {
    const cron = new Cron(config.cron, { paused: true, timezone: config.timezone ?? "UTC" });
    return { id: scheduleId(config), config, cron };
  } catch (error) {
    throw new GuildError(
      "config.invalid",
      `schedule "${config.cron}": ${error instanceof Error ? error.message : String(error)}`,
      {
        cause: error,
        details: { setting: "cron", value: config.cron },
      },
    );
  }
}

/** The latest run time at or before `now`, if any. */
export function latestSlot(schedule: ParsedSchedule, now: number): number | undefined {
  // croner leaves out a run exactly at the reference; runs fall on whole seconds, so one millisecond on is exact.
  return schedule.cron.previousRuns(1, new Date(now + 1))[0]?.getTime();
}

/** The first run time after `now`, if any. */
export function nextSlot(schedule: ParsedSchedule, now: number): number | undefined {
  return schedule.cron.nextRun(new Date(now))?.getTime();
}

/** The goal id of one run: the schedule's id and the run's minute, so a run can be started only once. */
export function runGoalId(scheduleId: string, slot: number): string {
  return `${scheduleId}-${Math.floor(slot / 60_000).toString(36)}`;
}
