import { describe, expect, it } from "vitest";
import { liveTask, signal, withLiveGoal } from "./live-scenario.js";

describe("agents ask and answer each other through the coordinator", () => {
  it("carries backend's question to security and the answer back; a role nobody serves is answered at once; a question past the task's limit is refused", async () => {
    const asked = signal();
    const answered = signal();
    const security = [
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
    ];
    const backend = [
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
    ];
    await withLiveGoal(
      {
        name: "live-questions",
        goalId: "g-ask",
        security,
        backend,
        files: {
          "src/lib/auth.js": "export function legacyHash(t) {\n  return t;\n}\n",
          "src/routes/user.js": "export const user = 1;\n",
        },
        yaml: "live: { maxQuestions: 2, answerMs: 60000 }\n",
        on: (event) => {
          if (event.type !== "peer.told") return;
          if (event.payload.taskId === "sec" && event.payload.topic === "question") asked.fire();
          if (event.payload.taskId === "back" && event.payload.topic === "answer") answered.fire();
        },
      },
      async (live) => {
        const result = await live.run("check with each other", [
          liveTask("sec", "security", ["src/lib/auth.js"]),
          liveTask("back", "backend", ["src/routes/user.js"]),
        ]);
        const { of } = result;
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
        const securitySaw = JSON.stringify(live.security.requests[1]?.body.messages);
        expect(securitySaw).toContain("Question back-1-q1 from backend");
        expect(securitySaw).toContain("UNTRUSTED");
        const backendSaw = JSON.stringify(live.backend.requests[2]?.body.messages);
        expect(backendSaw).toContain("No agent of role docs");
        expect(backendSaw).toContain("legacyHash stays until the next release.");
        expect(result.events.at(-1)?.type).toBe("goal.done");
      },
    );
  }, 120_000);
});
