import { describe, expect, it } from "vitest";
import { NatsBus } from "../../src/bus/index.js";
import { submitGoal } from "../../src/cli/commands/goal.js";
import { collectOutput } from "../../src/cli/output.js";
import { startGuild } from "../../src/cli/runtime/start-guild.js";
import { createLogger, type GuildEvent } from "../../src/protocol/index.js";
import { tempRepo } from "../helpers/git-repo.js";
import { checkoutHost } from "../helpers/host-config.js";
import { startNats } from "../helpers/nats.js";
import { startScriptedOpenAI } from "../helpers/scripted-llm/index.js";

function signal() {
  let fire: () => void = () => {};
  const fired = new Promise<void>((resolve) => {
    fire = resolve;
  });
  return { fire, fired };
}

describe("agents ask and answer each other through the coordinator", () => {
  it("carries backend's question to security and the answer back; a role nobody serves is answered at once; a question past the task's limit is refused", async () => {
    await using server = await startNats();
    const bus = await NatsBus.connect({ url: server.url, name: "live-questions" });
    const asked = signal();
    const answered = signal();
    await using security = await startScriptedOpenAI([
      { toolCalls: [{ name: "read_file", input: { path: "src/lib/auth.js" } }], waitFor: () => asked.fired },
      {
        toolCalls: [
          {
            name: "answer_peer",
            input: { questionId: "back-1-q1", answer: "legacyHash stays until the next release." },
          },
        ],
      },
      {
        toolCalls: [
          {
            name: "finish",
            input: { summary: "No changes needed: security only answered backend's question" },
          },
        ],
      },
    ]);
    await using backend = await startScriptedOpenAI([
      {
        toolCalls: [
          {
            name: "ask_peer",
            input: { role: "security", question: "Do you keep legacyHash in src/lib/auth.js?" },
          },
          { name: "ask_peer", input: { role: "docs", question: "Is the API doc current?" } },
          { name: "ask_peer", input: { role: "security", question: "And hash?" } },
        ],
      },
      {
        toolCalls: [{ name: "read_file", input: { path: "src/routes/user.js" } }],
        waitFor: () => answered.fired,
      },
      {
        toolCalls: [
          { name: "finish", input: { summary: "No changes needed: backend only asked its peers" } },
        ],
      },
    ]);
    using repo = tempRepo({
      "src/lib/auth.js": "export function legacyHash(t) {\n  return t;\n}\n",
      "src/routes/user.js": "export const user = 1;\n",
      "guild.yaml": `version: 1
rules:
  - { pattern: "src/**", owners: ["@backend"] }
  - { pattern: "src/lib/auth.js", owners: ["@security"] }
roles:
  security: { brain: { kind: openai, model: m, baseURL: "${security.baseURL}" } }
  backend: { brain: { kind: openai, model: m, baseURL: "${backend.baseURL}" } }
live: { maxQuestions: 2, answerMs: 60000 }
`,
    });
    const watch = await bus.events.follow({ subject: "guild.evt.g-ask.>" }, (event) => {
      if (event.type !== "peer.told") return;
      if (event.payload.taskId === "sec" && event.payload.topic === "question") asked.fire();
      if (event.payload.taskId === "back" && event.payload.topic === "answer") answered.fire();
    });
    const guild = await startGuild({
      bus,
      host: checkoutHost(repo.path),
      logger: createLogger({ level: "silent" }),
      roles: ["security", "backend"],
    });
    try {
      const task = (taskId: string, role: string, paths: string[]) => ({
        taskId,
        role,
        title: taskId,
        instructions: "see the goal",
        expectedPaths: paths,
        dependsOn: [],
      });
      const result = await submitGoal(
        bus,
        "check with each other",
        {
          repo: repo.path,
          wait: true,
          goalId: "g-ask",
          timeoutMs: 90_000,
          plan: [
            task("sec", "security", ["src/lib/auth.js"]),
            task("back", "backend", ["src/routes/user.js"]),
          ],
        },
        collectOutput(),
      );
      const of = <T extends GuildEvent["type"]>(type: T) =>
        result.events.filter((e): e is Extract<GuildEvent, { type: T }> => e.type === type);
      expect(of("peer.asked").map((e) => [e.payload.questionId, e.payload.role])).toEqual([
        ["back-1-q1", "security"],
        ["back-1-q2", "docs"],
      ]);
      expect(of("tool.denied").map((e) => e.payload.reason)).toEqual([
        expect.stringContaining("already asked 2"),
      ]);
      const told = of("peer.told").map((e) => [
        e.payload.agentId.split("-")[0],
        e.payload.topic,
        e.payload.from,
      ]);
      expect(told).toEqual(
        expect.arrayContaining([
          ["security", "question", "backend"],
          ["backend", "unserved", "coordinator"],
          ["backend", "answer", "security"],
        ]),
      );
      expect(told).toHaveLength(3);
      // Security saw the question, as a peer's words, at its next step; backend saw both replies.
      const securitySaw = JSON.stringify(security.requests[1]?.body.messages);
      expect(securitySaw).toContain("Question back-1-q1 from backend");
      expect(securitySaw).toContain("UNTRUSTED");
      const backendSaw = JSON.stringify(backend.requests[2]?.body.messages);
      expect(backendSaw).toContain("No agent of role docs");
      expect(backendSaw).toContain("legacyHash stays until the next release.");
      expect(result.events.at(-1)?.type).toBe("goal.done");
    } finally {
      await watch.unsubscribe();
      await guild.stop();
      await bus.close();
    }
  }, 120_000);
});
