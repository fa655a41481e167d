import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { budgetBreachOf, createCliBrain } from "../../../../src/agents/brains/index.js";
import { isGuildError } from "../../../../src/protocol/index.js";
import { sandboxPolicy } from "../../../../src/sandbox/index.js";
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
const attempt = (what, fn) => { try { fn(); } catch { console.log(what + " refused"); } };
attempt("commit", () => {
  execFileSync("git", ["add", "src/a.ts"], { stdio: "ignore" });
  execFileSync("git", ["-c", "user.name=x", "-c", "user.email=x@x", "commit", "-q", "-m", "agent commit"], { stdio: "ignore" });
});
rmSync("README.md");
if (process.env.MARKER) {
  attempt("hooks", () => {
    writeFileSync(".git/hooks/post-checkout", "#!/bin/sh\\ntouch " + process.env.MARKER + "\\n", { mode: 0o755 });
    execFileSync("git", ["config", "core.fsmonitor", "touch " + process.env.MARKER], { stdio: "ignore" });
  });
}
console.log("edited 5 files; OPENAI_API_KEY=" + (process.env.OPENAI_API_KEY ?? "unset"));
if (process.env.HANG) setInterval(() => {}, 1000);
`;

describe("cli brain with a script standing in for the external agent", () => {
  function agentScript() {
    // Outside /tmp, which the sandbox replaces with its own: an installed agent lives where the sandbox can read.
    const dir = tempDir(".agent-", import.meta.dirname);
    const path = join(dir.path, "agent.mjs");
    writeFileSync(path, AGENT);
    return { dir, path };
  }

  it.each([
    ["bubblewrap", sandboxPolicy(undefined)],
    ["none", sandboxPolicy("none")],
  ] as const)(
    "runs the agent (sandbox %s) and keeps only what the sandbox and ownership allow",
    async (mode, sandbox) => {
      const agent = agentScript();
      using _a = agent.dir;
      const { repo, context, denied } = brainFixture(
        {},
        {},
        { sandbox, passEnv: ["OPENAI_API_KEY", "MARKER"] },
      );
      using _ = repo;
      const base = repo.head();
      const brain = createCliBrain({
        command: ["node", agent.path, "--dir", "{dir}", "--message", "{task}"],
        from: {
          ...process.env,
          OPENAI_API_KEY: "sk-agentkey12345678",
          MARKER: join(agent.dir.path, "ran"),
          AWS_SECRET_ACCESS_KEY: "aws-not-passed",
        },
      });
      const { steps, error } = await runBrain(brain, context);
      expect(error).toBeUndefined();
      expect(repo.head()).toBe(base);
      expect(readFileSync(join(repo.path, "src/a.ts"), "utf8")).toBe("export const a = 2;\n");
      expect(readFileSync(join(repo.path, "src/task.txt"), "utf8")).toBe("got the task\n");
      expect(readFileSync(join(repo.path, "src/protected.ts"), "utf8")).toBe("export const secret = 1;\n");
      expect(existsSync(join(repo.path, "docs/unowned.md"))).toBe(false);
      expect(readFileSync(join(repo.path, "README.md"), "utf8")).toBe("# demo\n");
      // Planted hooks and fsmonitor config never stay: bubblewrap keeps .git read-only; unconfined, they are put back.
      expect(existsSync(join(repo.path, ".git/hooks/post-checkout"))).toBe(false);
      expect(() => repo.git("config", "core.fsmonitor")).toThrow();
      expect(existsSync(join(agent.dir.path, "ran"))).toBe(false);
      const restored = {
        kind: "tool_result",
        id: "cli-git",
        tool: "cli",
        ok: false,
        output: "refused: the agent changed git config or hooks; restored 2 file(s)",
      };
      if (mode === "none") expect(steps).toContainEqual(restored);
      else {
        expect(steps).not.toContainEqual(restored);
        expect(JSON.stringify(steps)).toContain("commit refused");
        expect(JSON.stringify(steps)).toContain("hooks refused");
      }
      expect(denied.map((d) => d.path).sort()).toEqual(["README.md", "docs/unowned.md", "src/protected.ts"]);
      const summary = steps.at(-1);
      expect(summary?.kind).toBe("summary");
      expect(summary?.kind === "summary" && summary.text).toContain(
        "exit code 0; kept 2 changed path(s): src/a.ts, src/task.txt",
      );
      expect(summary?.kind === "summary" && summary.text).toContain(
        "refused: README.md, docs/unowned.md, src/protected.ts",
      );
      // The agent got its own key (masked in what reaches the user), and nothing the role did not pass on.
      expect(JSON.stringify(steps)).toContain("OPENAI_API_KEY=[Redacted]");
      expect(JSON.stringify(steps)).not.toContain("sk-agentkey12345678");
    },
  );

  it("stops an agent at its timeout and keeps the owned work as partial", async () => {
    const agent = agentScript();
    using _a = agent.dir;
    const { repo, context } = brainFixture({}, {}, { passEnv: ["HANG"] });
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
