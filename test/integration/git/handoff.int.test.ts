import { describe, expect, it } from "vitest";
import { handOff, pushBranch } from "../../../src/git/index.js";
import { type GuildEvent, isGuildError, makeEnvelope } from "../../../src/protocol/index.js";
import { fakeGitHub } from "../../helpers/fake-github.js";
import { git, tempRepo } from "../../helpers/git-repo.js";
import { tempDir } from "../../helpers/temp-dir.js";

const GOAL = "g-hand1";
const BRANCH = `guild/${GOAL}.integration`;

function event(type: string, payload: unknown, source = "coordinator"): GuildEvent {
  return makeEnvelope({ type, source, goalId: GOAL, payload }) as GuildEvent;
}

/** The events of a finished goal: two roles, a settled conflict, passing tests, priced model turns. */
const events: GuildEvent[] = [
  event("goal.submitted", {
    text: "Harden the API\nand document it",
    repo: "/r",
    baseRef: "main",
    baseCommit: "0".repeat(40),
  }),
  event("plan.created", {
    planner: "rules",
    tasks: [
      {
        taskId: "t-sec",
        role: "security",
        title: "remove eval",
        instructions: "",
        expectedPaths: [],
        dependsOn: [],
      },
      {
        taskId: "t-doc",
        role: "docs",
        title: "document the API",
        instructions: "",
        expectedPaths: [],
        dependsOn: [],
      },
    ],
  }),
  event(
    "agent.step",
    { taskId: "t-sec", kind: "thought", text: "…", usage: { inputTokens: 1000, outputTokens: 100 } },
    "security-1",
  ),
  event(
    "agent.step",
    {
      taskId: "t-sec",
      kind: "summary",
      text: "replaced eval with a parser",
      usage: { inputTokens: 500, outputTokens: 50 },
    },
    "security-1",
  ),
  event(
    "agent.step",
    {
      taskId: "t-doc",
      kind: "summary",
      text: "wrote docs/API.md",
      usage: { inputTokens: 2000, outputTokens: 400 },
    },
    "docs-1",
  ),
  event("proposal.received", {
    proposalId: "t-sec-1",
    taskId: "t-sec",
    role: "security",
    agentId: "security-1",
    changedPaths: ["src/a.ts"],
    partial: false,
  }),
  event("proposal.received", {
    proposalId: "t-doc-1",
    taskId: "t-doc",
    role: "docs",
    agentId: "docs-1",
    changedPaths: ["docs/API.md"],
    partial: false,
  }),
  event("conflict.settled", {
    winner: "t-sec",
    loser: "t-doc",
    policy: "priority",
    reason: "security ranks above docs",
    files: ["src/a.ts"],
  }),
  event("proposal.accepted", {
    proposalId: "t-sec-1",
    taskId: "t-sec",
    reason: "1 path(s), all owned by security",
  }),
  event("proposal.accepted", {
    proposalId: "t-doc-1",
    taskId: "t-doc",
    reason: "1 path(s), all owned by docs",
  }),
  event("verify.started", { command: ["npm", "test"] }),
  event("verify.finished", { passed: true, exitCode: 0, output: "ok" }),
  event("goal.done", { branch: BRANCH, head: "0".repeat(40), summary: "2 merged" }),
];

const config = {
  roles: {
    security: { charter: "", allowCommands: [], brain: { kind: "openai" as const, model: "gpt-4.1" } },
    docs: {
      charter: "",
      allowCommands: [],
      brain: { kind: "anthropic" as const, model: "claude-sonnet-4-5" },
    },
  },
  prices: { "gpt-4.1": { input: 2, output: 8 }, "claude-sonnet-4-5": { input: 3, output: 15 } },
};

/** A repository with the goal's integration branch, and a bare repository as the remote it pushes to. */
function repoWithRemote(fetchUrl?: string) {
  const repo = tempRepo({ "README.md": "# app\n" });
  repo.git("checkout", "-q", "-b", BRANCH);
  repo.write({ "src/a.ts": "export const a = 1;\n" });
  repo.git("add", "-A");
  repo.git("commit", "-q", "-m", "merged");
  repo.git("checkout", "-q", "main");
  const bare = tempDir("guild-remote-");
  git(bare.path, "init", "-q", "--bare");
  repo.git("remote", "add", "origin", fetchUrl ?? bare.path);
  if (fetchUrl) repo.git("remote", "set-url", "--push", "origin", bare.path);
  return Object.assign(repo, { bare });
}

describe("hand-off: push the integration branch, open a pull request", () => {
  it("pushes the branch to a local bare remote, and refuses to overwrite a branch that moved there", async () => {
    using repo = repoWithRemote();
    using _bare = repo.bare;
    const pushed = await pushBranch(repo.path, { remote: "origin", branch: BRANCH });
    expect(pushed.head).toBe(repo.git("rev-parse", BRANCH));
    expect(git(repo.bare.path, "rev-parse", `refs/heads/${BRANCH}`)).toBe(pushed.head);
    // Someone else moves the remote branch: a second push is refused, nothing is forced.
    repo.git("checkout", "-q", "-b", "other", "main");
    repo.write({ "x.txt": "x\n" });
    repo.git("add", "-A");
    repo.git("commit", "-q", "-m", "other");
    repo.git("push", "-q", "-f", "origin", `other:${BRANCH}`);
    const moved = git(repo.bare.path, "rev-parse", `refs/heads/${BRANCH}`);
    const error = await pushBranch(repo.path, { remote: "origin", branch: BRANCH }).catch((e: unknown) => e);
    expect(isGuildError(error, "git.failed")).toBe(true);
    expect(git(repo.bare.path, "rev-parse", `refs/heads/${BRANCH}`)).toBe(moved);
    const unknown = await pushBranch(repo.path, { remote: "upstream", branch: BRANCH }).catch(
      (e: unknown) => e,
    );
    expect(String(unknown)).toMatch(/no remote upstream/);
  });

  it("opens a pull request whose body has the goal, each task's summary and owner, settlements, tests and cost", async () => {
    await using github = await fakeGitHub();
    using repo = repoWithRemote(`${github.url}/acme/app.git`);
    using _bare = repo.bare;
    const result = await handOff({
      repoDir: repo.path,
      goalId: GOAL,
      remote: "origin",
      events,
      config,
      token: "ghs_testtoken123",
      apiUrl: github.url,
    });
    expect(git(repo.bare.path, "rev-parse", `refs/heads/${BRANCH}`)).toBe(repo.git("rev-parse", BRANCH));
    expect(result.pullRequest).toEqual({ number: 7, url: `${github.url}/acme/app/pull/7` });
    expect(github.requests).toHaveLength(1);
    const [request] = github.requests;
    expect(request).toMatchObject({
      method: "POST",
      url: "/repos/acme/app/pulls",
      auth: "token ghs_testtoken123",
    });
    expect(request?.body).toMatchObject({ head: BRANCH, base: "main", title: "guild: Harden the API" });
    const body = String(request?.body.body);
    expect(body).toContain("Harden the API\nand document it");
    expect(body).toMatch(
      /\| t-sec: remove eval \| security \| security-1 \| replaced eval with a parser \| accepted: 1 path/,
    );
    expect(body).toMatch(/\| t-doc: document the API \| docs \| docs-1 \| wrote docs\/API\.md \|/);
    expect(body).toContain("t-sec over t-doc (priority) on src/a.ts: security ranks above docs");
    expect(body).toContain("passed: `npm test` exited 0");
    // security: 1500 in × 2 + 150 out × 8 per million = 0.0042; docs: 2000 × 3 + 400 × 15 = 0.012.
    expect(body).toContain("security (gpt-4.1): 1500 in, 150 out, 0.0042");
    expect(body).toContain("docs (claude-sonnet-4-5): 2000 in, 400 out, 0.0120");
    expect(body).toContain("total: 3500 in, 550 out, 0.0162");
  });

  it("without a token only pushes; a refused pull request is an error with GitHub's answer", async () => {
    await using github = await fakeGitHub(422);
    using repo = repoWithRemote(`${github.url}/acme/app.git`);
    using _bare = repo.bare;
    const pushedOnly = await handOff({
      repoDir: repo.path,
      goalId: GOAL,
      remote: "origin",
      events,
      config,
      apiUrl: github.url,
    });
    expect(pushedOnly.skipped).toMatch(/no GITHUB_TOKEN/);
    expect(github.requests).toHaveLength(0);
    const error = await handOff({
      repoDir: repo.path,
      goalId: GOAL,
      remote: "origin",
      events,
      config,
      token: "t",
      apiUrl: github.url,
    }).catch((e: unknown) => e);
    expect(isGuildError(error, "git.failed")).toBe(true);
    expect(String(error)).toMatch(/422.*Validation Failed/);
  });
});
