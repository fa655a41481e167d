import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { claudeWriteOf } from "../../../../src/agents/brains/claude-code-writes.js";
import { type CodexState, codexSteps, parseCodexLine } from "../../../../src/agents/brains/codex-events.js";
import {
  codexArgs,
  composeExternalPrompt,
  createAgentHome,
  declaredNoChange,
  externalAgentEnv,
  firstErrorLine,
} from "../../../../src/agents/brains/index.js";

describe("codex's JSON events", () => {
  it("become steps with commands and exit codes, file changes, messages, usage, and the first failure", () => {
    const lines = [
      '{"type":"thread.started","thread_id":"t"}',
      "2026-01-01T00:00:00Z ERROR not json",
      '{"type":"item.started","item":{"id":"i1","type":"command_execution","command":"npm test","status":"in_progress"}}',
      '{"type":"item.completed","item":{"id":"i1","type":"command_execution","command":"npm test","aggregated_output":"1 failed\\n","exit_code":1,"status":"failed"}}',
      '{"type":"item.completed","item":{"id":"i2","type":"file_change","changes":[{"path":"src/a.ts","kind":"update"}],"status":"completed"}}',
      '{"type":"item.completed","item":{"id":"i3","type":"agent_message","text":"Fixed it."}}',
      '{"type":"turn.completed","usage":{"input_tokens":100,"cached_input_tokens":40,"output_tokens":7}}',
      '{"type":"error","message":"Reconnecting... 1/5"}',
      '{"type":"turn.failed","error":{"message":"stream disconnected"}}',
    ];
    const state: CodexState = { lastMessage: "", usage: { inputTokens: 0, outputTokens: 0 } };
    const steps = lines.flatMap((l) => {
      const event = parseCodexLine(l);
      return event ? codexSteps(event, state) : [];
    });
    expect(steps.slice(0, 5)).toEqual([
      { kind: "tool_call", id: "i1", tool: "command", input: { command: "npm test" } },
      { kind: "tool_result", id: "i1", tool: "command", ok: false, output: "exit code 1\n1 failed\n" },
      { kind: "tool_call", id: "i2", tool: "file_change", input: { changes: ["update src/a.ts"] } },
      { kind: "tool_result", id: "i2", tool: "file_change", ok: true, output: "update src/a.ts" },
      { kind: "thought", text: "Fixed it." },
    ]);
    expect(steps[5]).toEqual({
      kind: "thought",
      text: "codex: turn used 107 tokens",
      usage: { inputTokens: 100, outputTokens: 7 },
    });
    expect(state).toMatchObject({
      lastMessage: "Fixed it.",
      failed: "stream disconnected",
      firstError: "Reconnecting... 1/5",
    });
  });

  it("run with JSON events, codex's workspace sandbox, the worktree, and a provider for a passed base URL", () => {
    const args = codexArgs({ model: "m" }, "/w", { OPENAI_BASE_URL: "http://127.0.0.1:9/v1" });
    expect(args.slice(0, 9)).toEqual([
      "exec",
      "--json",
      "--sandbox",
      "workspace-write",
      "--cd",
      "/w",
      "--ephemeral",
      "--model",
      "m",
    ]);
    expect(args).toContain('model_providers.guild.base_url="http://127.0.0.1:9/v1"');
    expect(args.at(-1)).toBe("-");
    expect(codexArgs({}, "/w", {})).not.toContain("-c");
  });
});

describe("Claude Code's writes", () => {
  it("are read as the file they would leave, with paths made relative to the worktree", () => {
    const dir = mkdtempSync(join(tmpdir(), "guild-cw-"));
    try {
      writeFileSync(join(dir, "a.ts"), "one two one\n");
      expect(claudeWriteOf(dir, "Read", { file_path: `${dir}/a.ts` })).toBeUndefined();
      expect(claudeWriteOf(dir, "Write", { file_path: `${dir}/b/c.md`, content: "x" })).toEqual({
        path: "b/c.md",
        content: "x",
      });
      expect(
        claudeWriteOf(dir, "Edit", { file_path: `${dir}/a.ts`, old_string: "one", new_string: "1" }),
      ).toEqual({
        path: "a.ts",
        content: "1 two one\n",
      });
      const edits = [
        { old_string: "one", new_string: "1", replace_all: true },
        { old_string: "two", new_string: "2" },
      ];
      expect(claudeWriteOf(dir, "MultiEdit", { file_path: "a.ts", edits })?.content).toBe("1 2 1\n");
      expect(
        claudeWriteOf(dir, "Edit", { file_path: "a.ts", old_string: "absent", new_string: "x" })?.content,
      ).toBeNull();
      expect(claudeWriteOf(dir, "NotebookEdit", { notebook_path: `${dir}/n.ipynb` })).toEqual({
        path: "n.ipynb",
        content: null,
      });
      expect(claudeWriteOf(dir, "Write", { file_path: "/etc/passwd", content: "x" })?.path).toBe(
        "/etc/passwd",
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("external agents' words and environment", () => {
  it("count as 'no change needed' only with a reason, and report the first error line", () => {
    expect(declaredNoChange("Looked.\nNo changes needed: add already rejects NaN.")).toBe(
      "add already rejects NaN.",
    );
    expect(declaredNoChange("No changes were needed — the docs are current")).toBe("the docs are current");
    expect(declaredNoChange("No changes needed.")).toBeUndefined();
    expect(declaredNoChange("I made no changes")).toBeUndefined();
    const usage =
      "warning: slow\nerror: unexpected argument '--full-auto' found\n\nUsage: codex exec [OPTIONS]\n";
    expect(firstErrorLine(usage)).toBe("error: unexpected argument '--full-auto' found");
    expect(firstErrorLine("Reconnecting\ncould not connect\n")).toBe("could not connect");
  });

  it("get a prompt with the task, owned and protected paths and what done means, naming none of guild's tools", () => {
    const prompt = composeExternalPrompt({
      goalId: "g",
      goalText: "make add robust",
      task: {
        taskId: "t1",
        role: "backend",
        title: "Harden add",
        instructions: "Reject NaN.",
        expectedPaths: ["src/a.ts"],
        dependsOn: [],
      },
      attempt: 2,
      charter: "You are the backend engineer.",
      feedback: "the attempt made no change; it did not say why",
      scope: { owns: ["src/**"], protected: ["guild.yaml"] },
    });
    for (const part of [
      "Harden add",
      "Reject NaN.",
      "- src/**",
      "- guild.yaml",
      "No changes needed:",
      "the attempt made no change",
    ])
      expect(prompt).toContain(part);
    expect(prompt).not.toMatch(/finish|apply_patch|write_file|UNTRUSTED REPOSITORY DATA/);
  });

  it("get only the allowlist, the names the role passes, and a private HOME beside a private TMPDIR", () => {
    const home = createAgentHome();
    try {
      const env = externalAgentEnv(
        { pass: ["OPENAI_API_KEY", "UNSET_NAME"], home },
        {
          PATH: "/bin",
          LANG: "C",
          LC_ALL: "C",
          OPENAI_API_KEY: "k",
          ANTHROPIC_API_KEY: "other",
          NATS_URL: "n",
          HOME: "/root",
        },
      );
      expect(env).toEqual({
        PATH: "/bin",
        LANG: "C",
        LC_ALL: "C",
        OPENAI_API_KEY: "k",
        HOME: home.home,
        TMPDIR: home.tmp,
      });
      expect(home.home.startsWith(home.tmp)).toBe(false);
    } finally {
      home.dispose();
    }
  });
});
