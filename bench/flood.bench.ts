import { spawn } from "node:child_process";
import { join } from "node:path";
import { createOpenAIBrain } from "../src/agents/brains/index.js";
import { createToolSet } from "../src/agents/tools/index.js";
import { Budget } from "../src/protocol/index.js";
import { tempRepo } from "../test/helpers/git-repo.js";
import type { ScriptedTurn } from "../test/helpers/scripted-llm/script.js";
import type { Benchmark } from "./harness.js";

const TURNS = 8;
const RUNS = 3;

// A normal agent: reads, writes a small file a few times (each reply 20-60 ms late, as a server varies), finishes.
function normalScript(seed: number): ScriptedTurn[] {
  const turns: ScriptedTurn[] = [];
  for (let i = 0; i < TURNS - 1; i++) {
    const delayMs = 20 + ((seed * 7 + i * 13) % 41);
    turns.push(
      i % 2 === 0
        ? { delayMs, toolCalls: [{ name: "read_file", input: { path: "src/a.ts" } }] }
        : {
            delayMs,
            toolCalls: [
              { name: "write_file", input: { path: "src/a.ts", content: `export const a = ${i};\n` } },
            ],
          },
    );
  }
  turns.push({ toolCalls: [{ name: "finish", input: { summary: "done" } }] });
  return turns;
}

async function servers(scripts: ScriptedTurn[][]): Promise<{ urls: string[]; close: () => void }> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(import.meta.dirname, "flood-server.ts"), JSON.stringify(scripts)],
    {
      stdio: ["pipe", "pipe", "inherit"],
    },
  );
  const urls = await new Promise<string[]>((resolve) => {
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("\n")) resolve(JSON.parse(out) as string[]);
    });
  });
  return { urls, close: () => child.stdin.end() };
}

// Runs one agent to its end; resolves with its wall time.
async function agent(baseURL: string): Promise<number> {
  const repo = tempRepo({ "src/a.ts": "export const a = 0;\n" });
  const tools = createToolSet({
    workdir: repo.path,
    role: "backend",
    ownership: { canWrite: () => true, isProtected: () => false },
    allowCommands: [],
  });
  const brain = createOpenAIBrain({ model: "bench", baseURL, apiKey: "sk-bench", maxRetries: 0 });
  const started = performance.now();
  try {
    for await (const _ of brain.run({
      task: {
        goalId: "g",
        goalText: "bench",
        task: {
          taskId: "t",
          role: "backend",
          title: "t",
          instructions: "i",
          expectedPaths: ["src/a.ts"],
          dependsOn: [],
        },
        attempt: 1,
        charter: "",
      },
      tools,
      workdir: repo.path,
      signal: new AbortController().signal,
      budget: Budget.parse({}),
    })) {
    }
  } catch {
    // The flooded agent fails its task; the others' times are what is measured.
  }
  const ms = performance.now() - started;
  repo[Symbol.dispose]();
  return ms;
}

async function round(flood: boolean): Promise<number> {
  // The flooding server gets its own process, so building its reply does not delay the normal servers.
  const normal = await servers([0, 1, 2, 3].map(normalScript));
  const flooding = flood ? await servers([[{ floodBytes: 60 * 1024 ** 2 }]]) : undefined;
  const times = await Promise.all([...normal.urls, ...(flooding?.urls ?? [])].map((url) => agent(url)));
  normal.close();
  flooding?.close();
  // The four normal agents: the slowest of them is when their work is done.
  return Math.max(...times.slice(0, 4));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

const bench: Benchmark = {
  name: "flood",
  description: "four agents in one process, alone and beside a fifth fed a 60 MB reply",
  async run(progress) {
    const alone: number[] = [];
    const flooded: number[] = [];
    await round(false); // warm-up: module loading and the first SDK client
    for (let i = 0; i < RUNS; i++) {
      alone.push(await round(false));
      flooded.push(await round(true));
      progress(
        `run ${i + 1}: alone ${alone.at(-1)?.toFixed(0)} ms, beside a flood ${flooded.at(-1)?.toFixed(0)} ms`,
      );
    }
    const ratio = median(flooded) / median(alone);
    return {
      name: "flood",
      description: bench.description,
      rows: [
        { metric: "four agents alone (median of runs)", value: median(alone), unit: "ms" },
        {
          metric: "four agents beside a 60 MB reply",
          value: median(flooded),
          unit: "ms",
          ratio,
          target: "<= 1.10",
          ok: ratio <= 1.1,
        },
      ],
      notes: [
        `runs alone: ${alone.map((t) => t.toFixed(0)).join(", ")}`,
        `runs flooded: ${flooded.map((t) => t.toFixed(0)).join(", ")}`,
      ],
    };
  },
};
export default bench;
