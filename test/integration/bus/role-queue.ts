import { expect } from "vitest";
import type { Bus } from "../../../src/bus/index.js";
import { subjects, TaskAssignment } from "../../../src/protocol/index.js";
import { task } from "./conformance-fixtures.js";

/**
 * The coordinator enqueues task t-doc for docs and `agent` pulls it through the role's durable consumer,
 * as a docs agent does; returns the consumer (to close) and the pulled item (to ack).
 */
export async function pullDocsTask(coordinator: Bus, agent: Bus) {
  const queue = await agent.consumer("tasks", {
    durable: "tasks-docs",
    subject: subjects.task("docs"),
    schema: TaskAssignment,
  });
  await coordinator.enqueue("tasks", subjects.task("docs"), task("t-doc", "docs"));
  const item = await queue.next({ expiresMs: 10_000 });
  expect(item?.data.payload.task.taskId).toBe("t-doc");
  return { queue, item };
}
