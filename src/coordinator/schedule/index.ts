// Scheduled goals (guild.yaml `schedules`): cron slots, their durable records, and the scheduler.
export { nextSlot, type ParsedSchedule, parseSchedule, runGoalId, scheduleId } from "./cron-slots.js";
export { GoalScheduler, type SchedulerDeps } from "./goal-scheduler.js";
export { readSchedules, type ScheduleRecord, scheduleKey } from "./schedule-store.js";
