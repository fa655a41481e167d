import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MemoryBus } from "../../../src/bus/index.js";
import { submitGoal } from "../../../src/cli/commands/goal.js";
import { collectOutput } from "../../../src/cli/output.js";
import { worktreeRoot } from "../../../src/git/index.js";
import { tempRepo } from "../../helpers/git-repo.js";
import { startCheckoutGuild } from "../../helpers/host-config.js";
import {
  type ScriptedServer,
  type ScriptedTurn,
  startScriptedAnthropic,
  startScriptedResponses,
} from "../../helpers/scripted-llm/index.js";
import { tempDir } from "../../helpers/temp-dir.js";

const PLAN = [
  {
    taskId: "b",
    role: "backend",
    title: "Harden add",
    instructions: "Make add in src/a.ts reject NaN.",
    expectedPaths: ["src/a.ts"],
    dependsOn: [],
  },
];

interface Agent {
  name: string;
  start(turns: ScriptedTurn[]): Promise<ScriptedServer>;
  brain(baseURL: string): string;
  /** The second attempt: write the owned file, the docs role's file and a file outside the worktree, then report. */
  work(worktree: (body: Record<string, unknown>) => string, outside: string): ScriptedTurn[];
}

const AGENTS: Agent[] = [
  {
    name: "claude-code",
    start: startScriptedAnthropic,
    brain: () =>
      "{ kind: claude-code, model: claude-scripted, env: [ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL] }",
    work: (worktree, outside) => [
      {
        toolCalls: [
          { name: "Bash", input: { command: `printf 'escaped\\n' > ${outside}`, description: "x" } },
        ],
      },
      (body) => ({
        toolCalls: [
          {
            name: "Write",
            input: { file_path: `${worktree(body)}/docs/guide.md`, content: "# guide\nNaN is rejected\n" },
          },
        ],
      }),
      (body) => ({
        toolCalls: [
          {
            name: "Write",
            input: { file_path: `${worktree(body)}/src/a.ts`, content: "export const a = 2;\n" },
          },
        ],
      }),
      { text: "Made add reject NaN; the guide note went to docs." },
    ],
  },
  {
    name: "codex",
    start: startScriptedResponses,
    brain: (baseURL) => `{ kind: codex, model: scripted, baseURL: "${baseURL}", env: [OPENAI_API_KEY] }`,
    work: (_, outside) => [
      {
        toolCalls: [
          {
            name: "exec_command",
            input: {
              cmd: `printf 'escaped\\n' > ${outside}; printf 'export const a = 2;\\n' > src/a.ts && printf '# guide\\nNaN is rejected\\n' > docs/guide.md`,
            },
          },
        ],
      },
      { text: "Made add reject NaN; the guide note went to docs." },
    ],
  },
];

describe.each(AGENTS)("a goal worked by $name as a specialist", (agent) => {
  it("fails a silent attempt with the reason, carries it to the next, commits as the role, and sends a foreign write to its owner", async () => {
    let repoPath = "";
    // The agent's worktree lives under the guild home's folder for the repository; the request shows which one.
    const worktree = (body: Record<string, unknown>) => {
      const root = join(worktreeRoot(repoPath), "agents").replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      return new RegExp(`${root}/[A-Za-z0-9._-]+`).exec(JSON.stringify(body))?.[0] ?? "";
    };
    // A file beside the agent's worktree that its shell tries to overwrite: guild's sandbox holds it.
    using beside = tempDir("guild-beside-");
    const outside = join(beside.path, "outside.txt");
    writeFileSync(outside, "before\n");
    await using llm = await agent.start([{ text: "I had a look." }, ...agent.work(worktree, outside)]);
    process.env.ANTHROPIC_BASE_URL = llm.baseURL.replace(/\/v1$/, "");
    process.env.ANTHROPIC_API_KEY = "sk-ant-test";
    process.env.OPENAI_API_KEY = "sk-openai-test";
    using repo = tempRepo({
      "guild.yaml": `version: 1
rules:
  - { pattern: "src/**", owners: ["@backend"] }
  - { pattern: "docs/**", owners: ["@docs"] }
roles:
  backend: { brain: ${agent.brain(llm.baseURL)}, sandbox: { network: true } }
`,
      "src/a.ts": "export const a = 1;\n",
      "docs/guide.md": "# guide\n",
    });
    repoPath = repo.path;
    const bus = new MemoryBus();
    const guild = await startCheckoutGuild(bus, repo.path, { roles: ["backend", "docs"] });
    try {
      const result = await submitGoal(
        bus,
        "harden add",
        { repo: repo.path, wait: true, plan: PLAN, goalId: `g-${agent.name}`, timeoutMs: 240_000 },
        collectOutput(),
      );
      const failed = result.events.find((e) => e.type === "task.failed");
      expect(failed?.type === "task.failed" && failed.payload.reason).toMatch(
        /the attempt made no change; it did not say why/,
      );
      expect(JSON.stringify(llm.requests[1]?.body)).toContain("the attempt made no change");
      const requested = result.events.find((e) => e.type === "change.requested");
      expect(requested?.type === "change.requested" && requested.payload).toMatchObject({
        fromRole: "backend",
        toRole: "docs",
        paths: ["docs/guide.md"],
      });
      expect(result.status).toBe("done");
      expect(readFileSync(outside, "utf8")).toBe("before\n");
      const done = result.events.find((e) => e.type === "goal.done");
      const branch = done?.type === "goal.done" ? done.payload.branch : "";
      expect(repo.git("show", `${branch}:src/a.ts`)).toBe("export const a = 2;");
      expect(repo.git("show", `${branch}:docs/guide.md`)).toBe("# guide\nNaN is rejected");
      const roles = repo.git("log", "--format=%(trailers:key=Guild-Role,valueonly)", "--no-merges", branch);
      expect(roles.split("\n").filter(Boolean).sort()).toEqual(["backend", "docs"]);
    } finally {
      await guild.stop();
      await bus.close();
    }
  }, 300_000);
});
