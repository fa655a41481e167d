import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { budgetBreachOf, createCliBrain } from "../../../../src/agents/brains/index.js";
import { isGuildError } from "../../../../src/protocol/index.js";
import { tempDir } from "../../../helpers/temp-dir.js";
import { brainFixture, runBrain } from "./brain-fixture.js";

// Stands in for codex/claude/aider: edits the worktree it is given, commits part of it, and prints a report.
const AGENT = `
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
const [, , flag, dir, , task] = process.argv;
if (flag !== "--dir") process.exit(9);
process.chdir(dir);
mkdirSync("docs", { recursive: true });
writeFileSync("src/task.txt", task.includes("Harden add") ? "got the task\\n" : "no task\\n");
writeFileSync("src/a.ts", "export const a = 2;\\n");
writeFileSync("docs/unowned.md", "not mine\\n");
writeFileSync("src/protected.ts", "export const secret = 2;\\n");
execFileSync("git", ["add", "src/a.ts"]);
execFileSync("git", ["-c", "user.name=x", "-c", "user.email=x@x", "commit", "-q", "-m", "agent commit"]);
rmSync("README.md");
if (process.env.MARKER) {
  writeFileSync(".git/hooks/post-checkout", "#!/bin/sh\\ntouch " + process.env.MARKER + "\\n", { mode: 0o755 });
  execFileSync("git", ["config", "core.fsmonitor", "touch " + process.env.MARKER]);
}
console.log("edited 5 files; OPENAI_API_KEY=" + (process.env.OPENAI_API_KEY ?? "unset"));
if (process.env.HANG) setInterval(() => {}, 1000);
`;

describe("cli brain with a script standing in for the external agent", () => {
  function agentScript() {
    const dir = tempDir();
    const path = join(dir.path, "agent.mjs");
    writeFileSync(path, AGENT);
    return { dir, path };
  }

  it("runs the agent and keeps only what the sandbox and ownership allow", async () => {
    const agent = agentScript();
    using _a = agent.dir;
    const { repo, context, denied } = brainFixture();
    using _ = repo;
    const base = repo.head();
    const brain = createCliBrain({
      command: ["node", agent.path, "--dir", "{dir}", "--message", "{task}"],
      env: ["OPENAI_API_KEY", "MARKER"],
      from: { ...process.env, OPENAI_API_KEY: "sk-agentkey12345678", MARKER: join(agent.dir.path, "ran") },
    });
    const { steps, error } = await runBrain(brain, context);
    expect(error).toBeUndefined();
    expect(repo.head()).toBe(base);
    expect(readFileSync(join(repo.path, "src/a.ts"), "utf8")).toBe("export const a = 2;\n");
    expect(readFileSync(join(repo.path, "src/task.txt"), "utf8")).toBe("got the task\n");
    expect(readFileSync(join(repo.path, "src/protected.ts"), "utf8")).toBe("export const secret = 1;\n");
    expect(existsSync(join(repo.path, "docs/unowned.md"))).toBe(false);
    expect(readFileSync(join(repo.path, "README.md"), "utf8")).toBe("# demo\n");
    // Planted hooks and fsmonitor config were put back before guild ran git again.
    expect(existsSync(join(repo.path, ".git/hooks/post-checkout"))).toBe(false);
    expect(() => repo.git("config", "core.fsmonitor")).toThrow();
    expect(existsSync(join(agent.dir.path, "ran"))).toBe(false);
    expect(steps).toContainEqual({
      kind: "tool_result",
      id: "cli-git",
      tool: "cli",
      ok: false,
      output: "refused: the agent changed git config or hooks; restored 2 file(s)",
    });
    expect(denied.map((d) => d.path).sort()).toEqual(["README.md", "docs/unowned.md", "src/protected.ts"]);
    const summary = steps.at(-1);
    expect(summary?.kind).toBe("summary");
    expect(summary?.kind === "summary" && summary.text).toContain(
      "exit code 0; kept 2 changed path(s): src/a.ts, src/task.txt",
    );
    expect(summary?.kind === "summary" && summary.text).toContain(
      "refused: README.md, docs/unowned.md, src/protected.ts",
    );
    // The agent's output reaches the user with keys masked.
    expect(JSON.stringify(steps)).not.toContain("sk-agentkey12345678");
  });

  it("stops an agent at its timeout and keeps the owned work as partial", async () => {
    const agent = agentScript();
    using _a = agent.dir;
    const { repo, context } = brainFixture();
    using _ = repo;
    const brain = createCliBrain({
      command: ["node", agent.path, "--dir", "{dir}", "--message", "{task}"],
      timeoutMs: 3000,
      env: ["HANG"],
      from: { ...process.env, HANG: "1" },
    });
    const { error } = await runBrain(brain, context);
    expect(budgetBreachOf(error)).toEqual({ budget: "wall_ms", limit: 3000, used: 3000 });
    expect(readFileSync(join(repo.path, "src/task.txt"), "utf8")).toBe("got the task\n");
  });

  it("fails when the agent cannot start and changed nothing", async () => {
    const { repo, context } = brainFixture();
    using _ = repo;
    const { error } = await runBrain(createCliBrain({ command: ["guild-no-such-agent", "{task}"] }), context);
    expect(isGuildError(error, "brain.failed")).toBe(true);
    expect(repo.git("status", "--porcelain")).toBe("");
  });
});
