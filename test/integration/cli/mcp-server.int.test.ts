import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { describe, expect, it } from "vitest";
import { NatsBus } from "../../../src/bus/index.js";
import { runPlan } from "../../../src/cli/commands/plan.js";
import { collectOutput } from "../../../src/cli/output.js";
import { AgentInbox, subjects, type TaskSpec } from "../../../src/protocol/index.js";
import { tempRepo } from "../../helpers/git-repo.js";
import { spawnGuildProcess } from "../../helpers/guild-process.js";
import { startCheckoutGuild } from "../../helpers/host-config.js";
import { startNats } from "../../helpers/nats.js";
import { tempDir } from "../../helpers/temp-dir.js";
import { COORDINATOR_MAIN } from "../coordinator/fixtures/durable-goal.js";

const ROOT = join(import.meta.dirname, "..", "..", "..");

// A cli brain that sleeps SLEEP=<s> seconds, then appends its prompt's first line (its role's charter) to the file WRITE=<path> names.
const BRAIN = JSON.stringify([
  "sh",
  "-c",
  [
    `f=$(printf '%s' "$1" | grep -o 'WRITE=[^ ]*' | head -n1 | cut -d= -f2)`,
    `s=$(printf '%s' "$1" | grep -o 'SLEEP=[0-9]*' | head -n1 | cut -d= -f2)`,
    `sleep "\${s:-0}"`,
    `mkdir -p "$(dirname "$f")"`,
    `printf '%s\\n' "$1" | head -n1 >> "$f"`,
  ].join("; "),
  "sh",
  "{task}",
]);

function mcpRepo() {
  return tempRepo({
    "README.md": "# mcp\n",
    "web/index.txt": "web\n",
    "guild.yaml": [
      "version: 1",
      "rules:",
      '  - { pattern: "web/**", owners: ["@frontend"] }',
      '  - { pattern: "web/shared.txt", owners: ["@frontend", "@backend"] }',
      "roles:",
      `  frontend: { brain: { kind: cli, command: ${BRAIN} } }`,
      `  backend: { brain: { kind: cli, command: ${BRAIN} } }`,
      "settlement: [human]",
      'testCommand: ["sh", "-c", "test -s web/shared.txt"]',
      "",
    ].join("\n"),
  });
}

function task(taskId: string, instructions: string, path: string, role = "frontend"): TaskSpec {
  return { taskId, role, title: taskId, instructions, expectedPaths: [path], dependsOn: [] };
}

type Result = { content: { type: string; text: string }[]; isError?: boolean };

function mcpClient(env: Record<string, string>, cwd = ROOT) {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ["--import", "tsx", join(ROOT, "src", "cli", "main.ts"), "mcp"],
    env: { ...(process.env as Record<string, string>), ...env },
    cwd,
    stderr: "pipe",
  });
  const client = new Client({ name: "guild-test", version: "1.0.0" });
  return {
    client,
    async connect() {
      await client.connect(transport);
    },
    /** Calls a tool; returns its JSON answer and whether it was an error. */
    async call(name: string, args: Record<string, unknown> = {}) {
      const result = (await client.callTool({ name, arguments: args })) as Result;
      const text = result.content.map((c) => c.text).join("\n");
      let json: unknown = text;
      try {
        json = JSON.parse(text);
      } catch {}
      return { json: json as never, isError: result.isError === true, text };
    },
    async [Symbol.asyncDispose]() {
      await client.close();
    },
  };
}

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 40_000,
  explain: () => Promise<string> = async () => "",
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${await explain()}`);
    await sleep(200);
  }
}

describe("guild mcp: the SDK's own client over stdio against a running guild", () => {
  it("plans, submits, follows, decides, tells and cancels through MCP tools", async () => {
    await using server = await startNats();
    using repo = mcpRepo();
    await using coordinator = await spawnGuildProcess(COORDINATOR_MAIN, { NATS_URL: server.url });
    const bus = await NatsBus.connect({ url: server.url, name: "test" });
    const guild = await startCheckoutGuild(bus, repo.path, {
      roles: ["frontend", "backend"],
      coordinator: false,
    });
    await using mcp = mcpClient({ NATS_URL: server.url });
    try {
      await mcp.connect();
      const { tools } = await mcp.client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual([
        "approve",
        "cancel_goal",
        "goal_events",
        "goal_status",
        "pending_decisions",
        "plan_goal",
        "reject",
        "submit_goal",
        "tell_agent",
      ]);

      // plan_goal gives what `guild plan` computes.
      const planned = await mcp.call("plan_goal", { text: "document the web page", repo: repo.path });
      const direct = await runPlan(undefined, "document the web page", { repo: repo.path }, collectOutput());
      expect(planned.json).toMatchObject({ ok: direct.ok, tasks: direct.planned?.tasks ?? [] });
      expect((await mcp.call("plan_goal", { text: "x", repo: join(repo.path, "missing") })).isError).toBe(
        true,
      );

      // Two roles change the same line of a co-owned file and settlement leaves conflicts to a person.
      const plan = [
        task("t-web", "WRITE=web/shared.txt", "web/shared.txt"),
        task("t-api", "WRITE=web/shared.txt", "web/shared.txt", "backend"),
      ];
      const submitted = await mcp.call("submit_goal", {
        text: "write a and tweak the config",
        repo: repo.path,
        plan,
      });
      expect(submitted.isError, submitted.text).toBe(false);
      const goalId = (submitted.json as { goalId: string }).goalId;
      expect(submitted.json).toMatchObject({ integrationBranch: `guild/${goalId}.integration` });

      const pending = await until(
        "a pending decision",
        async () => {
          const answer = await mcp.call("pending_decisions", { goalId });
          const list = answer.json as { id: string; kind: string; paths: string[] }[];
          return list.length > 0 ? list : undefined;
        },
        40_000,
        async () => `${(await mcp.call("goal_events", { goalId })).text}\n${coordinator.output()}`,
      );
      expect(pending).toMatchObject([{ kind: "conflict", paths: ["web/shared.txt"], goalId }]);
      const decisionId = pending[0]?.id ?? "";
      const noWinner = await mcp.call("approve", { decisionId });
      expect(noWinner.isError).toBe(true);
      expect(noWinner.text).toMatch(/needs --winner/);
      const approved = await mcp.call("approve", { decisionId, winner: "t-api" });
      expect(approved).toMatchObject({ isError: false, json: { ok: true } });
      // Rejecting what was approved is refused by the coordinator, and the refusal is a tool error.
      const again = await mcp.call("reject", { decisionId, reason: "changed my mind" });
      expect(again.isError).toBe(true);
      expect(again.text).toMatch(/already approved/);

      const status = await until("the goal to end", async () => {
        const answer = await mcp.call("goal_status", { goalId });
        const [goal] = answer.json as { status: string; tasks: number; accepted: number }[];
        return goal && ["done", "failed", "cancelled"].includes(goal.status) ? goal : undefined;
      });
      expect(status, coordinator.output()).toMatchObject({ status: "done", tasks: 2, accepted: 2 });
      // The winner's line is kept; the other task revises on top of it.
      const lines = repo.git("show", `guild/${goalId}.integration:web/shared.txt`).split("\n");
      expect(lines[0]).toMatch(/backend specialist/);

      const events = (await mcp.call("goal_events", { goalId })).json as { type: string; payload: unknown }[];
      const types = events.map((e) => e.type);
      expect(types).toEqual(expect.arrayContaining(["plan.created", "decision.resolved", "goal.done"]));
      expect(types).not.toContain("agent.step");
      const proposals = (await mcp.call("goal_events", { goalId, types: ["proposal.*"] })).json as {
        type: string;
      }[];
      expect(proposals.length).toBeGreaterThan(0);
      expect(proposals.every((e) => e.type.startsWith("proposal."))).toBe(true);

      // tell_agent delivers a validated directive to the agent's inbox.
      const told: string[] = [];
      const inbox = await bus.subscribe(subjects.agentInbox("frontend-1"), AgentInbox, (m) => {
        if (m.payload.kind === "tell") told.push(m.payload.text);
      });
      expect(
        (await mcp.call("tell_agent", { agentId: "frontend-1", text: "the docs live in web/" })).isError,
      ).toBe(false);
      await until("the directive", async () => (told.length > 0 ? told : undefined), 5000);
      expect(told).toEqual(["the docs live in web/"]);
      await inbox.unsubscribe();

      // cancel_goal stops a running goal; it ends cancelled with the reason given.
      const slow = await mcp.call("submit_goal", {
        text: "slow",
        repo: repo.path,
        plan: [task("t-slow", "SLEEP=30 WRITE=web/z.txt", "web/z.txt")],
      });
      const slowId = (slow.json as { goalId: string }).goalId;
      await until("the slow task to be claimed", async () => {
        const answer = await mcp.call("goal_events", { goalId: slowId, types: ["task.claimed"] });
        return (answer.json as unknown[]).length > 0 ? true : undefined;
      });
      expect((await mcp.call("cancel_goal", { goalId: slowId, reason: "not today" })).json).toMatchObject({
        ok: true,
      });
      const cancelled = await until("the cancelled goal", async () => {
        const answer = await mcp.call("goal_events", { goalId: slowId, types: ["goal.cancelled"] });
        const [end] = answer.json as { payload: { reason: string } }[];
        return end;
      });
      expect(cancelled.payload.reason).toMatch(/not today/);

      // Bad input is a readable tool error, and changes nothing.
      expect((await mcp.call("goal_status", { goalId: "g-nope" })).isError).toBe(true);
      expect((await mcp.call("submit_goal", { text: "", repo: repo.path })).isError).toBe(true);
      expect((await mcp.call("approve", { decisionId: "not-a-decision" })).text).toMatch(/not a decision id/);
    } finally {
      await guild.stop();
      await bus.close();
    }
  }, 120_000);

  it("says no guild runs here, as a tool error, when there is none to talk to", async () => {
    using home = tempDir("guild-mcp-home-");
    const env = { ...(process.env as Record<string, string>) };
    delete env.NATS_URL;
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: ["--import", "tsx", join(ROOT, "src", "cli", "main.ts"), "mcp", "--home", home.path],
      env,
      cwd: ROOT,
      stderr: "pipe",
    });
    const client = new Client({ name: "guild-test", version: "1.0.0" });
    await client.connect(transport);
    try {
      const result = (await client.callTool({ name: "goal_status", arguments: {} })) as Result;
      expect(result.isError).toBe(true);
      expect(result.content[0]?.text).toMatch(/no guild is running here/);
    } finally {
      await client.close();
    }
  }, 30_000);
});
