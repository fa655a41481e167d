import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLI_PRESETS, createCliBrain } from "../../../../src/agents/brains/index.js";
import { startScriptedAnthropic, startScriptedResponses } from "../../../helpers/scripted-llm/index.js";
import { runBrain } from "./brain-fixture.js";
import { BIN, externalFixture, guildEnv, online } from "./external-fixture.js";

// The `kind: cli` presets with the real binaries from npm: their flags must still be accepted. They run in
// guild's sandbox with the network allowed, as a role whose CLI agent must reach its model's API is configured.
describe("cli presets on the real CLIs", () => {
  it("codex: exec, confined by guild's sandbox (codex's own made danger-full-access), edits the worktree, and the edit is kept", async () => {
    const f = externalFixture(undefined, online);
    using _ = f.repo;
    await using llm = await startScriptedResponses([
      { toolCalls: [{ name: "exec_command", input: { cmd: "printf 'export const a = 2;\\n' > src/a.ts" } }] },
      { text: "Set a to 2." },
    ]);
    const [, ...flags] = CLI_PRESETS.codex;
    const provider = [
      ...["-c", 'model_provider="guild"', "-c", 'model_providers.guild.name="guild"'],
      ...[
        "-c",
        `model_providers.guild.base_url="${llm.baseURL}"`,
        "-c",
        'model_providers.guild.wire_api="responses"',
      ],
      ...["-c", 'model_providers.guild.env_key="OPENAI_API_KEY"', "--model", "scripted"],
    ];
    const brain = createCliBrain({
      command: [join(BIN, "codex"), ...flags.slice(0, -1), ...provider, "{task}"],
      env: ["OPENAI_API_KEY"],
      from: guildEnv({ OPENAI_API_KEY: "sk-codex-test" }),
    });
    const { steps, error } = await runBrain(brain, f.context);
    expect(error).toBeUndefined();
    expect(readFileSync(join(f.repo.path, "src/a.ts"), "utf8")).toBe("export const a = 2;\n");
    const summary = steps.at(-1);
    expect(summary?.kind === "summary" && summary.text).toContain(
      "exit code 0; kept 1 changed path(s): src/a.ts",
    );
  }, 60_000);

  it("claude: -p with acceptEdits edits the worktree, and the edit is kept", async () => {
    const f = externalFixture(undefined, online);
    using _ = f.repo;
    await using llm = await startScriptedAnthropic([
      {
        toolCalls: [
          {
            name: "Write",
            input: { file_path: join(f.repo.path, "src/a.ts"), content: "export const a = 3;\n" },
          },
        ],
      },
      { text: "Set a to 3." },
    ]);
    const [, ...flags] = CLI_PRESETS.claude;
    const brain = createCliBrain({
      command: [join(BIN, "claude"), ...flags, "--model", "claude-scripted"],
      // Without this, claude -p first calls the server's /api/hello.
      env: ["ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL", "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"],
      from: guildEnv({
        ANTHROPIC_API_KEY: "sk-ant-test",
        ANTHROPIC_BASE_URL: llm.baseURL,
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
      }),
    });
    const { steps, error } = await runBrain(brain, f.context);
    expect(error).toBeUndefined();
    expect(readFileSync(join(f.repo.path, "src/a.ts"), "utf8")).toBe("export const a = 3;\n");
    const summary = steps.at(-1);
    expect(summary?.kind === "summary" && summary.text).toContain(
      "exit code 0; kept 1 changed path(s): src/a.ts",
    );
  }, 60_000);
});
