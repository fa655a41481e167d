import { describe, expect, it } from "vitest";
import { WebSocketServer } from "ws";
import { submitGoal } from "../../../src/cli/commands/goal.js";
import { runUp } from "../../../src/cli/commands/up.js";
import { collectOutput } from "../../../src/cli/output.js";
import { docsPlan, docsRepo } from "../../helpers/docs-goal.js";
import { startScriptedOpenAI } from "../../helpers/scripted-llm/index.js";

interface Inspected {
  type: string;
  name?: string;
  sessionId: string;
  snapshot?: { value?: unknown; context?: Record<string, unknown> };
}

/** A WebSocket inspector server on a free port that keeps every message it receives. */
async function startInspectorServer() {
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const received: Inspected[] = [];
  server.on("connection", (socket) =>
    socket.on("message", (data) => received.push(JSON.parse(String(data)) as Inspected)),
  );
  const { port } = server.address() as { port: number };
  return {
    url: `ws://127.0.0.1:${port}`,
    received,
    async [Symbol.asyncDispose]() {
      for (const client of server.clients) client.terminate();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Runs one docs goal through `guild up`'s runtime on the memory bus. */
async function runGoal(inspect: string | undefined, goalId: string) {
  await using llm = await startScriptedOpenAI([
    { toolCalls: [{ name: "write_file", input: { path: "docs/README.md", content: `docs ${goalId}\n` } }] },
    { toolCalls: [{ name: "finish", input: { summary: "rewrote the docs" } }] },
  ]);
  using repo = docsRepo(llm.baseURL);
  const output = collectOutput();
  const up = await runUp(
    { bus: "memory", home: repo.path, roles: ["docs"], events: false, ...(inspect ? { inspect } : {}) },
    output,
  );
  try {
    const result = await submitGoal(
      up.connection.bus,
      "write docs",
      { repo: repo.path, wait: true, plan: docsPlan, goalId, timeoutMs: 60_000 },
      collectOutput(),
    );
    expect(result.status).toBe("done");
    return output;
  } finally {
    await up.stop();
  }
}

describe("guild up --inspect", () => {
  it("sends the goal and specialist machines' inspection events to the inspector, and nothing without it", async () => {
    await using server = await startInspectorServer();
    const output = await runGoal(server.url, "g-inspected");
    expect(output.errors.join("\n")).toContain(`inspect: the machines' XState events go to ${server.url}`);
    const actors = server.received.filter((e) => e.type === "@xstate.actor");
    const goal = actors.find((e) => e.name === "goal");
    const specialist = actors.find((e) => e.name === "specialist");
    expect(goal?.snapshot?.context).toMatchObject({ goalId: "g-inspected" });
    expect(specialist?.snapshot?.context).toMatchObject({ agentId: "docs-1", role: "docs" });
    const snapshotsOf = (sessionId: string | undefined) =>
      server.received.filter((e) => e.type === "@xstate.snapshot" && e.sessionId === sessionId);
    // The goal's snapshots follow it to its end; the specialist's follow the task through its states.
    await expect
      .poll(() => snapshotsOf(goal?.sessionId).map((e) => e.snapshot?.value), { timeout: 5_000 })
      .toContain("done");
    expect(snapshotsOf(specialist?.sessionId).length).toBeGreaterThan(1);

    const before = server.received.length;
    const plain = await runGoal(undefined, "g-plain");
    expect(plain.errors.join("\n")).not.toContain("inspect:");
    expect(server.received.length).toBe(before);
  }, 90_000);
});
