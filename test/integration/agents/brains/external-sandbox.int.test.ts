import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Brain, createClaudeCodeBrain, createCodexBrain } from "../../../../src/agents/brains/index.js";
import { isGuildError } from "../../../../src/protocol/index.js";
import { sandboxPolicy } from "../../../../src/sandbox/index.js";
import {
  type ScriptedServer,
  type ScriptedTurn,
  startScriptedAnthropic,
  startScriptedResponses,
} from "../../../helpers/scripted-llm/index.js";
import { tempDir } from "../../../helpers/temp-dir.js";
import { runBrain } from "./brain-fixture.js";
import { BIN, externalFixture, guildEnv, online, processesWith, sentText } from "./external-fixture.js";

// Claude Code and codex, the real CLIs, each confined by guild's sandbox while a model turn drives its shell
// tool to write where it must not. Targets outside /tmp sit in /var/tmp, which the sandbox leaves visible
// (read-only), so both ways a write is held are tried: a hidden directory and the read-only root.
interface Agent {
  name: string;
  start(turns: ScriptedTurn[]): Promise<ScriptedServer>;
  brain(baseURL: string, marker: string, timeoutMs?: number): Brain;
  shell(command: string): ScriptedTurn;
}

const timeout = (ms: number | undefined) => (ms === undefined ? {} : { timeoutMs: ms });

const AGENTS: Agent[] = [
  {
    name: "claude-code",
    start: startScriptedAnthropic,
    brain: (baseURL, marker, ms) =>
      createClaudeCodeBrain({
        model: "claude-scripted",
        env: ["ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL", "GUILD_PASSED_VAR"],
        from: guildEnv({
          ANTHROPIC_API_KEY: "sk-ant-test-key",
          ANTHROPIC_BASE_URL: baseURL,
          GUILD_PASSED_VAR: marker,
        }),
        ...timeout(ms),
      }),
    shell: (command) => ({ toolCalls: [{ name: "Bash", input: { command, description: "run it" } }] }),
  },
  {
    name: "codex",
    start: startScriptedResponses,
    brain: (baseURL, marker, ms) =>
      createCodexBrain({
        model: "scripted",
        baseURL,
        executable: join(BIN, "codex"),
        env: ["OPENAI_API_KEY", "GUILD_PASSED_VAR"],
        from: guildEnv({ OPENAI_API_KEY: "sk-codex-test-key", GUILD_PASSED_VAR: marker }),
        ...timeout(ms),
      }),
    shell: (cmd) => ({ toolCalls: [{ name: "exec_command", input: { cmd } }] }),
  },
];

// The user's HOME as guild sees it, made a temp directory so a broken sandbox cannot touch the real one.
const realHome = process.env.HOME;
const home = tempDir("guild-user-home-", "/var/tmp");
const GITCONFIG = "[user]\n\tname = the user\n";
beforeAll(() => {
  process.env.HOME = home.path;
  writeFileSync(join(home.path, ".gitconfig"), GITCONFIG);
});
afterAll(() => {
  process.env.HOME = realHome;
  home[Symbol.dispose]();
});

const summaryOf = (steps: { kind: string }[]) => {
  const last = steps.at(-1) as { kind: string; text?: string } | undefined;
  return last?.kind === "summary" ? (last.text ?? "") : "";
};

let seq = 0;
const markerOf = (name: string) => `marker-${name}-${process.pid}-${++seq}`;

describe.each(AGENTS)("$name confined by guild's sandbox", (agent) => {
  it("holds shell writes beside the worktree, in a sibling worktree and in ~/.gitconfig; keeps the write inside; passes only env", async () => {
    const f = externalFixture(undefined, online);
    using _ = f.repo;
    using beside = tempDir("guild-beside-");
    writeFileSync(join(beside.path, "beside.txt"), "before\n");
    using siblingRoot = tempDir("guild-sibling-", "/var/tmp");
    const sibling = join(siblingRoot.path, "wt");
    f.repo.git("worktree", "add", "-q", "-b", "sibling", sibling);
    const siblingBefore = readFileSync(join(sibling, "src/a.ts"), "utf8");
    const marker = markerOf(agent.name);
    const attempt = [
      `printf 'escaped\\n' > ${beside.path}/beside.txt`,
      `printf 'escaped\\n' > ${sibling}/src/a.ts`,
      `printf '[core]\\n\\thooksPath = /tmp/evil\\n' >> ${home.path}/.gitconfig`,
      "printf 'export const a = 2;\\n' > src/a.ts",
      'echo "home is $HOME"',
      "env",
      "echo escape-done",
    ].join("; ");
    await using llm = await agent.start([agent.shell(attempt), { text: "Set a to 2." }]);
    const { steps, error } = await runBrain(agent.brain(llm.baseURL, marker), f.context);
    expect(error).toBeUndefined();
    // The command ran to its end inside the sandbox: the read-only root refused the sibling's file.
    const seen = sentText(llm.requests[1]?.body ?? {});
    expect(seen).toContain("escape-done");
    expect(seen).toContain("Read-only file system");
    expect(seen).toContain("home is /tmp/home");
    // Nothing outside the worktree changed.
    expect(readFileSync(join(beside.path, "beside.txt"), "utf8")).toBe("before\n");
    expect(readFileSync(join(sibling, "src/a.ts"), "utf8")).toBe(siblingBefore);
    expect(readFileSync(join(home.path, ".gitconfig"), "utf8")).toBe(GITCONFIG);
    // The write inside the worktree is harvested as the role's change.
    expect(readFileSync(join(f.repo.path, "src/a.ts"), "utf8")).toBe("export const a = 2;\n");
    expect(summaryOf(steps)).toContain("kept 1 changed path(s): src/a.ts");
    // Only the names in `env` reached the agent's shell.
    expect(seen).toContain(`GUILD_PASSED_VAR=${marker}`);
    expect(seen).not.toContain("GUILD_OTHER_ROLE_KEY");
    expect(seen).not.toContain("sk-other-role-secret");
  }, 120_000);

  it("a cancel stops the agent and a setsid child of its shell within 5 s, leaving no process", async () => {
    const f = externalFixture(undefined, online);
    using _ = f.repo;
    const marker = markerOf(agent.name);
    await using llm = await agent.start([
      // The shell answers only once the child has left its session (a child still in the shell's process
      // group when the shell ends can be killed with it, which under load left nothing to find).
      agent.shell(
        "setsid sh -c 'touch /tmp/detached; exec sleep 300' > /dev/null 2>&1 < /dev/null & " +
          "while [ ! -e /tmp/detached ]; do sleep 0.05; done; echo started",
      ),
      { text: "late", delayMs: 120_000 },
    ]);
    const running = runBrain(agent.brain(llm.baseURL, marker), f.context);
    while (llm.requests.length < 2) await new Promise((r) => setTimeout(r, 50));
    // The shell's background child is running (its exec of sleep may land a moment after the touch).
    const sleeping = () => processesWith(marker).some((p) => p.command === "sleep 300");
    for (let i = 0; i < 200 && !sleeping(); i++) await new Promise((r) => setTimeout(r, 50));
    expect(sleeping()).toBe(true);
    const cancelledAt = Date.now();
    f.abort.abort(new Error("cancelled by test"));
    const { steps, error } = await running;
    expect(Date.now() - cancelledAt).toBeLessThan(5_000);
    expect(error).toBeUndefined();
    expect(summaryOf(steps)).toBe(`${agent.name} cancelled; its edits are left for salvage`);
    expect(processesWith(marker)).toEqual([]);
  }, 120_000);

  it("a timeout stops the agent waiting on its model, leaving no process", async () => {
    const f = externalFixture(undefined, online);
    using _ = f.repo;
    const marker = markerOf(agent.name);
    await using llm = await agent.start([{ text: "late", delayMs: 120_000 }]);
    const started = Date.now();
    const { error } = await runBrain(agent.brain(llm.baseURL, marker, 8_000), f.context);
    expect(Date.now() - started).toBeLessThan(8_000 + 5_000);
    expect(isGuildError(error, "budget.exceeded")).toBe(true);
    expect((error as Error).message).toBe("budget exceeded: wall_ms 8000/8000");
    expect(processesWith(marker)).toEqual([]);
  }, 120_000);

  it("under sandbox: none still runs (codex with its own workspace-write) and its edit is kept", async () => {
    const f = externalFixture(undefined, { sandbox: sandboxPolicy("none") });
    using _ = f.repo;
    await using llm = await agent.start([
      agent.shell("printf 'export const a = 3;\\n' > src/a.ts; echo \"home is $HOME\""),
      { text: "Set a to 3." },
    ]);
    const { steps, error } = await runBrain(agent.brain(llm.baseURL, markerOf(agent.name)), f.context);
    expect(error).toBeUndefined();
    expect(readFileSync(join(f.repo.path, "src/a.ts"), "utf8")).toBe("export const a = 3;\n");
    expect(summaryOf(steps)).toContain("kept 1 changed path(s): src/a.ts");
    // Unconfined, it still gets a private HOME of its own, not the user's.
    expect(sentText(llm.requests[1]?.body ?? {})).toMatch(/home is \/[^\s"\\]*guild-agent-[^\s"\\]*\/home/);
  }, 120_000);

  it("is refused with the reason when the role's sandbox allows no network, before it starts", async () => {
    const f = externalFixture();
    using _ = f.repo;
    await using llm = await agent.start([]);
    const { error } = await runBrain(agent.brain(llm.baseURL, markerOf(agent.name)), f.context);
    expect(isGuildError(error, "brain.failed")).toBe(true);
    expect((error as Error).message).toBe(
      `${agent.name}: refused to start: role backend's sandbox allows no network, which ${agent.name} needs for its model's API; set sandbox: { network: true } for the role (its files stay confined to the worktree)`,
    );
    expect(llm.requests).toEqual([]);
  }, 60_000);
});
