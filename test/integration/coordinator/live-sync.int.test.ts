import { describe, expect, it } from "vitest";
import { createEventEmitter } from "../../../src/bus/event-emitter.js";
import { MemoryBus } from "../../../src/bus/memory/memory-bus.js";
import { startLiveRoom } from "../../../src/coordinator/live/index.js";
import {
  AgentInbox,
  createLogger,
  subjects,
  systemClock,
  type WorkProgress,
} from "../../../src/protocol/index.js";

const ROLES: Record<string, string> = { renamer: "security", user: "backend", quiet: "docs" };

/** A live room on a memory bus, three tasks of one goal, and what each agent's inbox received, in order. */
async function room() {
  const bus = new MemoryBus();
  const logger = createLogger({ level: "silent" });
  const live = await startLiveRoom({
    bus,
    events: createEventEmitter(bus, "coordinator"),
    clock: systemClock,
    logger,
    goal: () => ({
      task: (taskId) => (ROLES[taskId] ? { role: ROLES[taskId], base: "b0" } : undefined),
      live: { enabled: true, answerMs: 60_000, maxQuestions: 3 },
    }),
  });
  const inbox = new Map<string, string[]>();
  const waiters: (() => void)[] = [];
  for (const taskId of Object.keys(ROLES)) {
    inbox.set(taskId, []);
    await bus.subscribe(subjects.agentInbox(`agent-${taskId}`), AgentInbox, (msg) => {
      const d = msg.payload;
      inbox.get(taskId)?.push(d.kind === "peer" ? `${d.topic}:${d.overlap?.change ?? ""}` : d.kind);
      for (const w of waiters.splice(0)) w();
    });
  }
  const agent = (taskId: string) => {
    const events = createEventEmitter(bus, `agent-${taskId}`);
    const who = { taskId, role: ROLES[taskId] as string, agentId: `agent-${taskId}`, attempt: 1 };
    return {
      claim: () => events.emit("task.claimed", { taskId, agentId: who.agentId, attempt: 1 }, "g1"),
      progress: (p: Pick<WorkProgress, "surface" | "uses">) =>
        events.emit("work.progress", { ...who, seq: 1, files: [], truncated: 0, ...p }, "g1"),
      sync: () => events.emit("work.synced", who, "g1"),
      propose: () =>
        events.emit(
          "proposal.published",
          { taskId, proposalId: `${taskId}-1`, changedPaths: [], commits: 1 },
          "g1",
        ),
    };
  };
  /** Resolves once `taskId`'s inbox holds `count` messages. */
  const received = async (taskId: string, count: number) => {
    while ((inbox.get(taskId)?.length ?? 0) < count) await new Promise<void>((r) => waiters.push(r));
    return inbox.get(taskId);
  };
  return { bus, live, inbox, agent, received };
}

const RENAME = {
  surface: [
    {
      path: "src/lib/auth.ts",
      symbol: "compareSecrets",
      change: "removed" as const,
      before: "function compareSecrets(a: string): boolean",
    },
    {
      path: "src/lib/auth.ts",
      symbol: "safeEqual",
      change: "added" as const,
      after: "function safeEqual(a: string): boolean",
    },
  ],
  uses: [],
};
const USE = {
  surface: [],
  uses: [{ path: "src/lib/auth.ts", symbol: "compareSecrets", in: "src/routes/webhook.ts" }],
};

describe("live room: an agent's sync", () => {
  it("is answered only when every other task at work has synced or proposed, after the overlaps their progress makes are told", async () => {
    const { bus, live, inbox, agent, received } = await room();
    const [renamer, user, quiet] = [agent("renamer"), agent("user"), agent("quiet")];
    await renamer.claim();
    await user.claim();
    await quiet.claim();
    // The user finishes writing first: its answer must wait for the renamer, whose rename comes later.
    await user.progress(USE);
    await user.sync();
    await renamer.progress(RENAME);
    await renamer.sync();
    // The quiet task writes nothing and proposes: that releases both.
    await quiet.propose();
    expect(await received("user", 2)).toEqual(["overlap:renamed", "synced"]);
    expect(await received("renamer", 2)).toEqual(["overlap:", "synced"]);
    expect(inbox.get("quiet")).toEqual([]);
    await live.stop();
    await bus.close();
  });
});
