import { stringify } from "yaml";
import type { BrainConfig, OwnershipRuleConfig } from "../protocol/index.js";
import { parseCodeowners } from "./codeowners-parser.js";
import { type Coverage, measureCoverage } from "./coverage.js";
import { type DetectedTestCommand, detectTestCommand } from "./detect-test-command.js";
import { loadGuildConfig } from "./guild-config-loader.js";
import { guessRoleOfHandle, proposeLayoutRules } from "./layout-rules.js";
import { OwnershipMatcher } from "./ownership-matcher.js";
import type { RuleProblem } from "./parse-error.js";
import { BUILT_IN_PROTECTED } from "./protected-paths.js";
import { HUMAN_OWNER } from "./rule.js";

/** What `guild init` looks at: the repository's files, its CODEOWNERS (if any) and the environment. */
export interface InitInput {
  repoDir: string;
  /** Tracked files, repository-relative. */
  files: readonly string[];
  codeowners?: { file: string; text: string };
  /** Handle → role, from `--map` or a person's answers; these win over guesses. */
  handles: Readonly<Record<string, string>>;
  env: Readonly<Record<string, string | undefined>>;
}

/** The guild.yaml `guild init` proposes, and what a person should know about it. */
export interface InitProposal {
  yaml: string;
  rulesFrom: string;
  rules: OwnershipRuleConfig[];
  /** CODEOWNERS lines skipped as GitHub skips them. */
  skipped: RuleProblem[];
  /** Handles that map to no role (kept as person owners, which no agent writes for). */
  unmapped: string[];
  /** Handles mapped by guessing from their names, not by `--map` or an answer. */
  guessed: Record<string, string>;
  testCommand: DetectedTestCommand | undefined;
  brain: BrainConfig;
  brainReason: string;
  /** Protected paths present in the repository: CI configuration and lockfiles. */
  protectedPresent: string[];
  roles: string[];
  coverage: Coverage;
}

// CI configuration outside `.github/` and `.ci/` (which are protected already); a change there runs code
// with the repository's secrets, so only a person may make it.
const CI_PATHS = [
  ".gitlab-ci.yml",
  "/.circleci/",
  "Jenkinsfile",
  "azure-pipelines.yml",
  ".travis.yml",
  "/.buildkite/",
  "bitbucket-pipelines.yml",
  ".drone.yml",
  "/.woodpecker/",
];

/** The handles a CODEOWNERS file names (people and teams), in first-use order; lines GitHub skips are left out. */
export function codeownersHandles(text: string, file: string): string[] {
  const owners = parseCodeowners(text, file, []).flatMap((r) => r.owners);
  return [...new Set(owners)].filter((o) => o !== HUMAN_OWNER);
}

/** The brain every role gets: an LLM when its key is in the environment, else the offline skills. */
export function brainFromEnvironment(env: InitInput["env"]): { brain: BrainConfig; reason: string } {
  if (env.OPENAI_API_KEY)
    return { brain: { kind: "openai", model: "gpt-4.1" }, reason: "OPENAI_API_KEY is set" };
  if (env.ANTHROPIC_API_KEY)
    return { brain: { kind: "anthropic", model: "claude-sonnet-4-5" }, reason: "ANTHROPIC_API_KEY is set" };
  return {
    brain: { kind: "offline" },
    reason:
      "no OPENAI_API_KEY or ANTHROPIC_API_KEY: offline skills (set a key and run init again for an LLM)",
  };
}

/**
 * Proposes a guild.yaml for a repository: its CODEOWNERS with handles mapped to roles, else rules from its
 * layout; the test command; brains from the environment; CI and lockfiles protected; and the coverage.
 * @example proposeInit({ repoDir, files, handles: {}, env: process.env }).yaml
 */
export function proposeInit(input: InitInput): InitProposal {
  const skipped: RuleProblem[] = [];
  const guessed: Record<string, string> = {};
  const handles: Record<string, string> = {};
  let rules: OwnershipRuleConfig[];
  if (input.codeowners) {
    const parsed = parseCodeowners(input.codeowners.text, input.codeowners.file, skipped);
    for (const owner of new Set(parsed.flatMap((r) => r.owners))) {
      const given = input.handles[owner];
      const guess = given === undefined ? guessRoleOfHandle(owner) : undefined;
      if (given !== undefined) handles[owner] = given;
      else if (guess !== undefined) handles[owner] = guessed[owner] = guess;
    }
    // Owners are written as `@role` so that planning and review see the role directly.
    rules = parsed.map((r) => ({
      pattern: r.pattern,
      owners: [...new Set(r.owners.map((o) => (handles[o] === undefined ? o : `@${handles[o]}`)))],
      protect: false,
    }));
  } else rules = proposeLayoutRules(input.files);
  const mapped = new Set(Object.values(handles));
  const roles = [
    ...new Set(
      rules
        .flatMap((r) => r.owners)
        .filter((o) => o.startsWith("@") && (!input.codeowners || mapped.has(o.slice(1))))
        .map((o) => o.slice(1)),
    ),
  ];
  const unmapped = [
    ...new Set(
      rules.flatMap((r) => r.owners).filter((o) => o !== HUMAN_OWNER && !roles.includes(o.slice(1))),
    ),
  ];
  const testCommand = detectTestCommand(input.repoDir, input.files);
  const { brain, reason } = brainFromEnvironment(input.env);
  const present = (pattern: string) => {
    const p = pattern.replace(/^\//, "");
    return input.files.some((f) => (p.endsWith("/") ? f.startsWith(p) : f === p || f.endsWith(`/${p}`)));
  };
  const ciExtra = CI_PATHS.filter(present);
  const protectedPresent = [...BUILT_IN_PROTECTED.filter(present), ...ciExtra];
  const config = {
    version: 1,
    rules: rules.map((r) => ({ pattern: r.pattern, owners: r.owners })),
    roles: Object.fromEntries(roles.map((role) => [role, { brain }])),
    ...(brain.kind === "offline" ? {} : { planner: brain }),
    ...(testCommand ? { testCommand: testCommand.argv } : {}),
    ...(ciExtra.length > 0 ? { protected: ciExtra } : {}),
  };
  const header = [
    "# guild.yaml written by `guild init`: ownership rules (last match wins), roles and their brains.",
    `# Rules from ${input.codeowners ? input.codeowners.file : "the repository's layout"}. ${"guild.yaml, .github/, .ci/ and lockfiles are protected whatever this file says."}`,
    "",
  ].join("\n");
  const yaml = `${header}${stringify(config, { lineWidth: 0, aliasDuplicateObjects: false })}`;
  // Read back through the real loader: what is written is exactly what guild will use.
  const loaded = loadGuildConfig(yaml, "guild.yaml");
  const matcher = new OwnershipMatcher(loaded.rules, loaded.config);
  return {
    yaml,
    rulesFrom: input.codeowners?.file ?? "layout",
    rules,
    skipped,
    unmapped,
    guessed,
    testCommand,
    brain,
    brainReason: reason,
    protectedPresent,
    roles,
    coverage: measureCoverage(matcher, input.files),
  };
}
