import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { join, resolve } from "node:path";
import { expect } from "vitest";
import type { Brain, BrainRunContext, BrainStep } from "../../../../src/agents/brains/index.js";
import { createToolSet, type OwnershipCheck, type ToolDenial } from "../../../../src/agents/tools/index.js";
import { Budget } from "../../../../src/protocol/index.js";
import { type SandboxPolicy, sandboxPolicy } from "../../../../src/sandbox/index.js";
import { tempRepo } from "../../../helpers/git-repo.js";
import type { ScriptedServer, ScriptedTurn } from "../../../helpers/scripted-llm/index.js";
import { FILES, hardenAdd, runBrain } from "./brain-fixture.js";

/** The real CLIs, installed from npm as devDependencies. */
export const BIN = resolve("node_modules/.bin");

/**
 * guild's sandbox with the network allowed, as a role whose external agent must reach its model's API is
 * configured. The scripted servers listen on the host's loopback, which only a shared network namespace
 * reaches: under `--unshare-net` the sandbox has a loopback of its own, with nothing listening.
 */
export const online = { sandbox: sandboxPolicy({ network: true, writable: [] }) };

/** `backend` owns `src/`, `docs` owns `docs/`; `src/protected.ts` is protected. */
export const twoRoles: OwnershipCheck = {
  canWrite: (role, path) =>
    (role === "backend" && path.startsWith("src/")) || (role === "docs" && path.startsWith("docs/")),
  isProtected: (path) => path === "src/protected.ts",
  rolesOf: (path) => (path.startsWith("src/") ? ["backend"] : path.startsWith("docs/") ? ["docs"] : []),
};

/** A real repo and tool set for an external agent run as `backend`, with another role to trespass on. */
export function externalFixture(
  instructions = "Change add in src/a.ts to reject NaN.",
  toolOptions: { sandbox?: SandboxPolicy } = {},
) {
  const repo = tempRepo({ ...FILES, "docs/guide.md": "# guide\n" });
  const denied: ToolDenial[] = [];
  const tools = createToolSet({
    workdir: repo.path,
    role: "backend",
    ownership: twoRoles,
    allowCommands: [],
    onDenied: (d) => denied.push(d),
    ...toolOptions,
  });
  const abort = new AbortController();
  const context: BrainRunContext = {
    task: { ...hardenAdd(instructions), scope: { owns: ["src/"], protected: ["src/protected.ts"] } },
    tools,
    workdir: repo.path,
    signal: abort.signal,
    budget: Budget.parse({}),
  };
  return { repo, denied, tools, context, abort };
}

/** The environment the test hands guild: one variable the role passes, one secret it must not. */
export function guildEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GUILD_PASSED_VAR: "passed-value",
    GUILD_OTHER_ROLE_KEY: "sk-other-role-secret",
    ...extra,
  };
}

/** Processes whose working directory is inside `dir` (a stopped agent leaves none). */
export function processesIn(dir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readlinkSync(join("/proc", entry, "cwd")).startsWith(dir)) pids.push(Number(entry));
    } catch {}
  }
  return pids;
}

/** Processes whose environment holds `marker` (an agent and whatever it started, wherever they run). */
export function processesWith(marker: string): { pid: number; command: string }[] {
  const found: { pid: number; command: string }[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!readFileSync(join("/proc", entry, "environ"), "utf8").includes(marker)) continue;
      const command = readFileSync(join("/proc", entry, "cmdline"), "utf8")
        .replaceAll("\0", " ")
        .trim();
      found.push({ pid: Number(entry), command });
    } catch {}
  }
  return found;
}

/** Everything the model was sent in one request, as text, to look for what the agent saw. */
export function sentText(body: Record<string, unknown>): string {
  return JSON.stringify(body);
}

/** The text of a run's closing summary step ("" when it ended otherwise). */
export function summaryOf(steps: readonly BrainStep[]): string {
  const last = steps.at(-1);
  return last?.kind === "summary" ? last.text : "";
}

/**
 * What every external agent must do when cancelled while its model (`start`ed with one reply that comes after
 * 120 s) is still answering: end at once with `<agent> cancelled; its edits are left for salvage`, leaving
 * no process in the worktree.
 */
export async function expectCancelledMidRequest(
  agent: string,
  start: (turns: ScriptedTurn[]) => Promise<ScriptedServer>,
  brainFor: (baseURL: string) => Brain,
): Promise<void> {
  const f = externalFixture(undefined, online);
  using _ = f.repo;
  await using llm = await start([{ text: "late", delayMs: 120_000 }]);
  const running = runBrain(brainFor(llm.baseURL), f.context);
  while (llm.requests.length === 0) await new Promise((r) => setTimeout(r, 50));
  const cancelledAt = Date.now();
  f.abort.abort(new Error("cancelled by test"));
  const { steps, error } = await running;
  // The model would answer after 120 s: the cancel took effect well before. Alone it takes under 5 s; the
  // bound leaves room for a loaded CI machine without letting a cancel that waits on the model pass.
  expect(Date.now() - cancelledAt).toBeLessThan(15_000);
  expect(error).toBeUndefined();
  expect(steps.at(-1)).toEqual({
    kind: "summary",
    text: `${agent} cancelled; its edits are left for salvage`,
  });
  expect(processesIn(f.repo.path)).toEqual([]);
}
