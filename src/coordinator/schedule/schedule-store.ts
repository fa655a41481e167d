import type { KeyValue } from "../../bus/index.js";
import { isGuildError } from "../../protocol/index.js";

/** A schedule's durable record in `guild-state` (`schedule.<id>`): what ran last, and whether it started. */
export interface ScheduleRecord {
  id: string;
  cron: string;
  goal: string;
  timezone?: string;
  /** When the schedule was first seen (ISO): runs before it are not owed. */
  since: string;
  /** The latest run claimed (ISO), its goal id, and whether that goal was started. */
  lastSlot?: string;
  lastGoalId?: string;
  started?: boolean;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The key of a schedule's record. */
export const scheduleKey = (id: string): string => `schedule.${id}`;

/** Reads a schedule's record with its revision, for a compare-and-set write. */
export async function readSchedule(
  kv: KeyValue,
  id: string,
): Promise<{ record: ScheduleRecord; revision: number } | undefined> {
  const entry = await kv.get(scheduleKey(id));
  if (entry?.operation !== "PUT") return undefined;
  return { record: JSON.parse(decoder.decode(entry.value)) as ScheduleRecord, revision: entry.revision };
}

/**
 * Writes a record only if nobody wrote it since `revision` was read (create when undefined); false when
 * another coordinator (or an earlier tick) got there first, so a run is claimed once.
 */
export async function writeSchedule(
  kv: KeyValue,
  record: ScheduleRecord,
  revision?: number,
): Promise<boolean> {
  const value = encoder.encode(JSON.stringify(record));
  try {
    if (revision === undefined) await kv.create(scheduleKey(record.id), value);
    else await kv.update(scheduleKey(record.id), value, revision);
    return true;
  } catch (error) {
    if (isGuildError(error, "kv.conflict")) return false;
    throw error;
  }
}

/** Every schedule record, for `guild status`. */
export async function readSchedules(kv: KeyValue): Promise<ScheduleRecord[]> {
  const records: ScheduleRecord[] = [];
  for (const key of await kv.keys("schedule.*")) {
    const entry = await kv.get(key);
    if (entry && entry.operation === "PUT")
      records.push(JSON.parse(decoder.decode(entry.value)) as ScheduleRecord);
  }
  return records;
}
