import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Specialist } from "../../../src/agents/index.js";
import { claimTask, holdsClaim } from "../../../src/agents/specialist/claim.js";
import { NatsBus } from "../../../src/bus/index.js";
import { guildBinDir } from "../../../src/cli/runtime/start-guild.js";
import { Coordinator } from "../../../src/coordinator/index.js";
import { createLogger, type GuildEvent } from "../../../src/protocol/index.js";
import { spawnGuildProcess } from "../../helpers/guild-process.js";
import { checkoutHost } from "../../helpers/host-config.js";
import { startNats } from "../../helpers/nats.js";
import {
  AGENT_MAIN,
  durableRepo,
  expectDoneExactlyOnce,
  isTerminal,
  recordGoal,
  submitDurableGoal,
} from "./fixtures/durable-goal.js";

const logger = createLogger({ level: "silent" });
const ACK_WAIT_MS = 3000;

function agent(bus: NatsBus, role: string, agentId: string, repo: string): Specialist {
  const host = checkoutHost(repo);
  return new Specialist({
    bus,
    role,
    agentId,
    logger,
    host,
    extraPath: [guildBinDir()],
    ackWaitMs: ACK_WAIT_MS,
  });
}

const claimedBy = (agentId: string, taskId: string) => (e: GuildEvent) =>
  e.type === "task.claimed" && e.payload.agentId === agentId && e.payload.taskId === taskId;

/** A goal with a coordinator and a backend agent in this process; the frontend agent is up to the test. */
async function worldWithoutFrontend(server: { url: string }, repo: string) {
  const bus = await NatsBus.connect({ url: server.url, name: "test" });
  const coordinator = new Coordinator({ bus, logger, extraPath: [guildBinDir()] });
  await coordinator.start();
  const backend = agent(bus, "backend", "backend-1", repo);
  await backend.start();
  return {
    bus,
    async [Symbol.asyncDispose]() {
      await backend.stop();
      await coordinator.stop();
      await bus.close();
    },
  };
}

describe("a worker that dies or stalls mid-task", () => {
  it("killed with SIGKILL after its claim: the task is redelivered after AckWait and finished by another replica", async () => {
    await using server = await startNats();
    using repo = durableRepo({ brainSeconds: 3 });
    await using world = await worldWithoutFrontend(server, repo.path);
    const { bus } = world;
    const goalId = "g-worker-kill";
    await using goal = await recordGoal(bus, goalId);
    const env = {
      NATS_URL: server.url,
      ROLE: "frontend",
      AGENT_ID: "frontend-dead",
      ACK_WAIT_MS: String(ACK_WAIT_MS),
      HOST_CONFIG: join(repo.path, "guild.yaml"),
    };
    await using dead = await spawnGuildProcess(AGENT_MAIN, env);
    await submitDurableGoal(bus, repo.path, goalId);
    await goal.waitFor(claimedBy("frontend-dead", "t-web"));
    expect(await dead.kill("SIGKILL")).toBe("SIGKILL");

    const live = agent(bus, "frontend", "frontend-live", repo.path);
    await live.start();
    try {
      await goal.waitFor(isTerminal, 120_000);
    } finally {
      await live.stop();
    }
    const events = await expectDoneExactlyOnce(bus, repo, goalId);
    const published = events.filter((e) => e.type === "proposal.published");
    expect(published.filter((e) => e.source === "frontend-dead")).toEqual([]);
    expect(
      published.find((e) => e.type === "proposal.published" && e.payload.taskId === "t-web")?.source,
    ).toBe("frontend-live");
    // Redelivered as the same attempt, and the dead worker's claim on it is fenced off.
    expect(events.some(claimedBy("frontend-live", "t-web"))).toBe(true);
    expect(await holdsClaim(bus.kv, "frontend", goalId, "t-web", 1, "frontend-dead")).toBe(false);
    expect(await claimTask(bus.kv, "frontend", goalId, "t-web", 1, "frontend-dead", false, Date.now())).toBe(
      false,
    );
  }, 180_000);

  it("stalled past AckWait (SIGSTOP) and resumed: the zombie's attempt is fenced and never proposes", async () => {
    await using server = await startNats();
    using repo = durableRepo({ brainSeconds: 3 });
    await using world = await worldWithoutFrontend(server, repo.path);
    const { bus } = world;
    const goalId = "g-worker-zombie";
    await using goal = await recordGoal(bus, goalId);
    const env = {
      NATS_URL: server.url,
      ROLE: "frontend",
      AGENT_ID: "frontend-zombie",
      ACK_WAIT_MS: String(ACK_WAIT_MS),
      HOST_CONFIG: join(repo.path, "guild.yaml"),
    };
    await using zombie = await spawnGuildProcess(AGENT_MAIN, env);
    await submitDurableGoal(bus, repo.path, goalId);
    await goal.waitFor(claimedBy("frontend-zombie", "t-web"));
    process.kill(zombie.pid, "SIGSTOP");

    const live = agent(bus, "frontend", "frontend-live", repo.path);
    await live.start();
    try {
      await goal.waitFor((e) => e.type === "proposal.accepted" && e.payload.taskId === "t-web", 60_000);
      process.kill(zombie.pid, "SIGCONT");
      // The zombie wakes up, finishes its brain run, and is refused at the proposal.
      await goal.waitFor(
        (e) =>
          e.type === "agent.state.changed" && e.source === "frontend-zombie" && e.payload.to === "failed",
        60_000,
      );
      await goal.waitFor(isTerminal, 120_000);
    } finally {
      await live.stop();
    }
    const events = await expectDoneExactlyOnce(bus, repo, goalId);
    expect(events.filter((e) => e.type === "proposal.published" && e.source === "frontend-zombie")).toEqual(
      [],
    );
    expect(events.filter((e) => e.type === "task.failed")).toEqual([]);
  }, 180_000);
});
