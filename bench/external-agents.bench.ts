import { spawn } from "node:child_process";
import { join, resolve } from "node:path";
import {
  type Brain,
  type BrainRunContext,
  createAgentHome,
  createClaudeCodeBrain,
  createCodexBrain,
  externalAgentEnv,
} from "../src/agents/brains/index.js";
import { createToolSet } from "../src/agents/tools/index.js";
import { Budget } from "../src/protocol/index.js";
import { sandboxPolicy } from "../src/sandbox/index.js";
import { tempRepo } from "../test/helpers/git-repo.js";
import {
  type ScriptedServer,
  type ScriptedTurn,
  startScriptedAnthropic,
  startScriptedResponses,
} from "../test/helpers/scripted-llm/index.js";
import { type Benchmark, type BenchRow, percentile } from "./harness.js";

// Each agent does the same small task both ways against the same scripted model: one write, one reply.
const RUNS = 5;
const BIN = resolve("node_modules/.bin");
const CLAUDE = resolve("node_modules/@anthropic-ai/claude-agent-sdk-linux-x64/claude");
const PROMPT = "Change src/a.ts so that a is 2.";

interface Agent {
  name: string;
  start(turns: ScriptedTurn[]): Promise<ScriptedServer>;
  turns(dir: string): ScriptedTurn[];
  byHand(
    dir: string,
    baseURL: string,
    home: ReturnType<typeof createAgentHome>,
  ): { argv: string[]; env: Record<string, string> };
  brain(baseURL: string): Brain;
}

const AGENTS: Agent[] = [
  {
    name: "codex",
    start: startScriptedResponses,
    turns: () => [
      { toolCalls: [{ name: "exec_command", input: { cmd: "printf 'export const a = 2;\\n' > src/a.ts" } }] },
      { text: "Set a to 2." },
    ],
    byHand: (dir, baseURL, home) => ({
      argv: [
        join(BIN, "codex"),
        ...[
          "exec",
          "--json",
          "--sandbox",
          "workspace-write",
          "--cd",
          dir,
          "--ephemeral",
          "--model",
          "scripted",
        ],
        ...["-c", 'model_provider="guild"', "-c", 'model_providers.guild.name="guild"'],
        ...[
          "-c",
          `model_providers.guild.base_url="${baseURL}"`,
          "-c",
          'model_providers.guild.wire_api="responses"',
        ],
        ...["-c", 'model_providers.guild.env_key="OPENAI_API_KEY"', PROMPT],
      ],
      env: externalAgentEnv(
        { pass: ["OPENAI_API_KEY"], home },
        { ...process.env, OPENAI_API_KEY: "sk-bench" },
      ),
    }),
    brain: (baseURL) =>
      createCodexBrain({
        model: "scripted",
        baseURL,
        executable: join(BIN, "codex"),
        env: ["OPENAI_API_KEY"],
        from: { ...process.env, OPENAI_API_KEY: "sk-bench" },
      }),
  },
  {
    name: "claude-code",
    start: startScriptedAnthropic,
    turns: (dir) => [
      {
        toolCalls: [
          { name: "Write", input: { file_path: `${dir}/src/a.ts`, content: "export const a = 2;\n" } },
        ],
      },
      { text: "Set a to 2." },
    ],
    byHand: (_dir, baseURL, home) => ({
      argv: [CLAUDE, "-p", PROMPT, "--permission-mode", "acceptEdits", "--model", "claude-scripted"],
      env: externalAgentEnv(
        {
          pass: ["ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL"],
          home,
          set: { CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1" },
        },
        { ...process.env, ANTHROPIC_API_KEY: "sk-bench", ANTHROPIC_BASE_URL: baseURL },
      ),
    }),
    brain: (baseURL) =>
      createClaudeCodeBrain({
        model: "claude-scripted",
        env: ["ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL"],
        from: { ...process.env, ANTHROPIC_API_KEY: "sk-bench", ANTHROPIC_BASE_URL: baseURL },
      }),
  },
];

function runByHand(argv: string[], env: Record<string, string>, cwd: string): Promise<number> {
  const started = performance.now();
  return new Promise((done, fail) => {
    const [command, ...args] = argv as [string, ...string[]];
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "ignore", "ignore"] });
    child.on("error", fail);
    child.on("close", (code) =>
      code === 0 ? done(performance.now() - started) : fail(new Error(`${command} exited ${code}`)),
    );
  });
}

async function runGuild(brain: Brain, dir: string): Promise<number> {
  const tools = createToolSet({
    workdir: dir,
    role: "backend",
    ownership: { canWrite: (_r, p) => p.startsWith("src/"), isProtected: () => false },
    allowCommands: [],
    // Confined as a role whose agent reaches its model's API is configured; the run by hand is not.
    sandbox: sandboxPolicy({ network: true, writable: [] }),
  });
  const context: BrainRunContext = {
    task: {
      goalId: "bench",
      goalText: "bench",
      task: {
        taskId: "t",
        role: "backend",
        title: "Set a",
        instructions: PROMPT,
        expectedPaths: ["src/a.ts"],
        dependsOn: [],
      },
      attempt: 1,
      charter: "You are the backend engineer.",
    },
    tools,
    workdir: dir,
    signal: new AbortController().signal,
    budget: Budget.parse({}),
  };
  const started = performance.now();
  for await (const _ of brain.run(context));
  return performance.now() - started;
}

const bench: Benchmark = {
  name: "external-agents",
  description:
    "one small task run by codex and Claude Code as guild specialists against the same CLI run by hand",
  async run(progress) {
    const rows: BenchRow[] = [];
    for (const agent of AGENTS) {
      const hand: number[] = [];
      const guild: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        // Alternating, so load on the machine falls on both ways alike.
        for (const way of ["hand", "guild"] as const) {
          using repo = tempRepo({ "src/a.ts": "export const a = 1;\n" });
          await using llm = await agent.start(agent.turns(repo.path));
          if (way === "hand") {
            const home = createAgentHome();
            const { argv, env } = agent.byHand(repo.path, llm.baseURL, home);
            hand.push(await runByHand(argv, env, repo.path).finally(() => home.dispose()));
          } else {
            guild.push(await runGuild(agent.brain(llm.baseURL), repo.path));
          }
          if (repo.git("diff", "--name-only") !== "src/a.ts")
            throw new Error(`${agent.name} (${way}) did not change src/a.ts`);
          progress(
            `${agent.name} ${way} run ${i + 1}: ${Math.round((way === "hand" ? hand : guild).at(-1) ?? 0)} ms`,
          );
        }
      }
      const h = percentile(hand, 50);
      const g = percentile(guild, 50);
      rows.push(
        { metric: `${agent.name}: by hand, median of ${RUNS}`, value: h, unit: "ms" },
        {
          metric: `${agent.name}: as a guild specialist, median of ${RUNS}`,
          value: g,
          unit: "ms",
          ratio: g / h,
        },
        { metric: `${agent.name}: guild's overhead per task`, value: g - h, unit: "ms" },
      );
    }
    return {
      name: "external-agents",
      description: "per-task overhead of running codex and Claude Code as guild specialists",
      rows,
      notes: [
        "by hand: `codex exec --json` / Claude Code's `-p` with acceptEdits, same binary, env and scripted model",
        "guild: the brain in guild's sandbox (bubblewrap, network allowed) with its worktree mark, git guard, private HOME, checked writes and harvest",
      ],
    };
  },
};

export default bench;
