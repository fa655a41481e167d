import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { NatsBus } from "../../src/bus/index.js";
import { submitGoal } from "../../src/cli/commands/goal.js";
import { collectOutput } from "../../src/cli/output.js";
import { localRepoAccess } from "../../src/cli/runtime/local-repo-access.js";
import { startGuild } from "../../src/cli/runtime/start-guild.js";
import { type Dashboard, newToken, startDashboard } from "../../src/dashboard/index.js";
import { createLogger, type GuildEvent, type TaskSpec } from "../../src/protocol/index.js";
import { hasChromium, launchChromium } from "../helpers/chromium.js";
import { demoRepo } from "../helpers/demo-repo.js";
import { checkoutHost } from "../helpers/host-config.js";
import { startNats } from "../helpers/nats.js";
import { proposeAsAgent } from "../helpers/play-agent.js";
import type { ScriptedTurn } from "../helpers/scripted-llm/index.js";
import { liveTask, signal, withLiveGoal } from "./live-scenario.js";

// GUILD_SCREENSHOTS=docs writes the README's screenshots of the main views while the test runs.
const shots = process.env.GUILD_SCREENSHOTS;
async function screenshot(page: Page, name: string): Promise<void> {
  if (!shots) return;
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: join(shots, name) });
}

// Every status each task node shows, in order, recorded in the page as it changes.
const RECORD_STATUSES = `
  window.seenStatuses = {};
  new MutationObserver(() => {
    for (const node of document.querySelectorAll("[data-task]")) {
      const list = (window.seenStatuses[node.dataset.task] ??= []);
      if (list.at(-1) !== node.dataset.status) list.push(node.dataset.status);
    }
  }).observe(document, { subtree: true, childList: true, attributes: true });
`;
// The demo goal's security and docs tasks (as the rule planner writes them), the docs after the fix so the
// graph has an edge; the other three roles' tasks would add minutes of offline work and nothing to see.
const DEMO_PLAN: TaskSpec[] = [
  {
    taskId: "security",
    role: "security",
    title: "Find and fix security problems",
    instructions: "Find and fix the security problems in the code you own.",
    expectedPaths: ["src/lib/auth.ts", "src/lib/shell.ts", "src/lib/session.ts", "src/lib/safe-*.ts"],
    dependsOn: [],
    skill: "security",
  },
  {
    taskId: "docs",
    role: "docs",
    title: "Write the API reference",
    instructions: "Write docs/API.md from the exported API.",
    expectedPaths: ["docs/**"],
    dependsOn: ["security"],
    skill: "docs",
  },
];

const ALL_MERGED = `(() => {
  const nodes = [...document.querySelectorAll("[data-task]")];
  return nodes.length > 0 && nodes.every((n) => n.dataset.status === "merged");
})()`;

describe.skipIf(!hasChromium())("the dashboard in a real browser", () => {
  it("shows the demo goal live, its diffs, catches up after a restart and approves a protected path", async () => {
    await using server = await startNats();
    const bus = await NatsBus.connect({ url: server.url, name: "dashboard-e2e" });
    using repo = demoRepo();
    const logger = createLogger({ level: "silent" });
    const coordinator = await startGuild({ bus, logger, roles: [] });
    const agents = await startGuild({ bus, logger, coordinator: false, host: checkoutHost(repo.path) });
    const events: { event: GuildEvent; seq: number }[] = [];
    const follower = await bus.events.follow({ fromSeq: 1 }, (event, meta) => {
      events.push({ event, seq: meta.seq ?? 0 });
    });
    let agentsRunning = true;
    const stopAgents = async () => {
      if (agentsRunning) await agents.stop();
      agentsRunning = false;
    };
    const token = newToken();
    let dashboard: Dashboard | undefined = await startDashboard({ bus, token, repo: localRepoAccess });
    const port = dashboard.port;
    await using browser = await launchChromium();
    try {
      const base = `http://127.0.0.1:${port}`;
      // Without the token nothing is served; a change needs the header and this origin.
      expect((await fetch(`${base}/api/goals`)).status).toBe(401);
      expect((await fetch(`${base}/api/events`)).status).toBe(401);
      expect((await fetch(`${base}/?token=${newToken()}`)).status).toBe(401);
      const post = (headers: Record<string, string>) =>
        fetch(`${base}/api/agents/security-1/tell`, {
          method: "POST",
          headers: { "content-type": "application/json", ...headers },
          body: JSON.stringify({ text: "hello" }),
        });
      expect((await post({ "x-guild-token": token, origin: "http://evil.example" })).status).toBe(403);
      expect((await post({ origin: base })).status).toBe(401);

      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      // Every status each task node shows, in order, recorded in the page as it changes.
      await page.addInitScript({ content: RECORD_STATUSES });
      await page.goto(dashboard.url);
      await page.waitForSelector('[data-testid="connection"]:text("live")');

      const demo = await submitGoal(
        bus,
        "harden the demo app",
        { repo: repo.path, wait: false, plan: DEMO_PLAN },
        collectOutput(),
      );
      await page.waitForSelector(`[data-goal="${demo.goalId}"][data-status="done"]`, { timeout: 150_000 });
      await expect.poll(() => page.evaluate(ALL_MERGED), { timeout: 20_000 }).toBe(true);
      const seen = (await page.evaluate("window.seenStatuses")) as Record<string, string[]>;
      // The graph changed live: tasks showed earlier states before they reached merged.
      expect(Object.keys(seen).sort()).toEqual(["docs", "security"]);
      expect(Object.values(seen).every((list) => list.at(-1) === "merged")).toBe(true);
      expect(Object.values(seen).some((list) => list.length > 1)).toBe(true);

      // A proposal's diff, with the owner of every path it changed.
      await page.click('[data-tab="proposals"]');
      const accepted = page.locator('[data-proposal][data-outcome="accepted"][data-role="security"]').first();
      await accepted.locator('[data-testid="open-diff"]').click();
      await accepted.locator(".d2h-file-wrapper").first().waitFor();
      const owned = await accepted.locator(".owners").first().locator("li").allTextContents();
      const diffText = (await accepted.locator('[data-testid="diff"]').textContent()) ?? "";
      expect(owned.length).toBeGreaterThan(0);
      for (const line of owned) {
        const [path = "", owner] = line.trim().split(/\s+/);
        expect(owner).toMatch(/^@(security|backend)$/);
        expect(diffText).toContain(path);
      }
      expect(await accepted.locator(".why").textContent()).not.toBe("");
      await screenshot(page, "dashboard-goal.png");

      // The dashboard goes away; meanwhile a goal's proposal touches a protected path and waits for a person.
      await dashboard.close();
      dashboard = undefined;
      await stopAgents();
      const baseCommit = repo.git("rev-parse", "main");
      const held = await submitGoal(
        bus,
        "bump the version",
        {
          repo: repo.path,
          wait: false,
          plan: [
            {
              taskId: "bump",
              role: "backend",
              title: "bump the version",
              instructions: "bump",
              expectedPaths: ["src/**"],
              dependsOn: [],
            },
          ],
        },
        collectOutput(),
      );
      await waitFor(events, (e) => e.type === "task.dispatched" && e.goalId === held.goalId);
      await proposeAsAgent(
        bus,
        repo.path,
        { goalId: held.goalId, taskId: "bump", role: "backend", attempt: 1, base: baseCommit },
        {
          "package.json": '{ "name": "demo-app", "version": "2.0.0" }\n',
          "src/version.ts": 'export const version = "2.0.0";\n',
        },
      );
      const requested = await waitFor(
        events,
        (e) => e.type === "decision.requested" && e.goalId === held.goalId,
      );

      // Restarted on the same port and token, the open page catches up on what it missed.
      dashboard = await startDashboard({ bus, token, port, repo: localRepoAccess });
      // (polled from here: the page's CSP forbids the string evaluation waitForFunction polls with)
      await expect
        .poll(async () => Number(await page.getAttribute('[data-testid="connection"]', "data-last")), {
          timeout: 20_000,
        })
        .toBeGreaterThanOrEqual(requested.seq);
      await page.click('[data-tab="events"]');
      await page.selectOption('[data-testid="filter-goal"]', held.goalId);
      await page.waitForSelector(`[data-seq="${requested.seq}"]`);
      await screenshot(page, "dashboard-events.png");

      // Approve from the page; the goal goes on and merges the change.
      await page.click('[data-tab="decisions"]');
      const decision = page.locator(
        `[data-decision="${requested.event.type === "decision.requested" ? requested.event.payload.decisionId : ""}"]`,
      );
      await decision.waitFor();
      expect(await decision.textContent()).toContain("package.json");
      await screenshot(page, "dashboard-decision.png");
      await decision.locator('[data-testid="approve"]').click();
      await waitFor(events, (e) => e.type === "goal.done" && e.goalId === held.goalId);
      await page.waitForSelector(`[data-goal="${held.goalId}"][data-status="done"]`);
      const resolved = events.find(
        (x) => x.event.type === "decision.resolved" && x.event.goalId === held.goalId,
      );
      expect(resolved?.event.source).toBe("coordinator");
      expect(resolved?.event.payload).toMatchObject({ approved: true });
      expect(repo.git("show", `guild/${held.goalId}.integration:package.json`)).toContain("2.0.0");
    } finally {
      await dashboard?.close();
      await follower.unsubscribe();
      await stopAgents();
      await coordinator.stop();
      await bus.close();
    }
  }, 280_000);
});

// The live-overlap scenario: security removes an export backend starts to use; backend is told and adapts.
const AUTH =
  'export function hash(t) {\n  return "h:" + t;\n}\n\nexport function legacyHash(t) {\n  return hash(t);\n}\n';
const USER_OLD =
  'import { hash, legacyHash } from "../lib/auth.js";\nexport const user = (n) => hash(n);\nexport const userKey = (n) => legacyHash(n);\n';
const USER_NEW =
  'import { hash } from "../lib/auth.js";\nexport const user = (n) => hash(n);\nexport const userKey = (n) => hash(n);\n';

describe.skipIf(!hasChromium())("the dashboard's talk tab in a real browser", () => {
  it("shows who told whom what and why while two agents overlap", async () => {
    const told = signal();
    const security: ScriptedTurn[] = [
      {
        toolCalls: [
          {
            name: "write_file",
            input: {
              path: "src/lib/auth.js",
              content: AUTH.slice(0, AUTH.indexOf("\nexport function legacyHash") + 1),
            },
          },
        ],
      },
      { toolCalls: [{ name: "finish", input: { summary: "dropped legacyHash" } }] },
    ];
    const backend: ScriptedTurn[] = [
      { toolCalls: [{ name: "write_file", input: { path: "src/routes/user.js", content: USER_OLD } }] },
      { toolCalls: [{ name: "read_file", input: { path: "src/lib/auth.js" } }], waitFor: () => told.fired },
      { toolCalls: [{ name: "write_file", input: { path: "src/routes/user.js", content: USER_NEW } }] },
      { toolCalls: [{ name: "finish", input: { summary: "userKey without legacyHash" } }] },
    ];
    const files = {
      "package.json": '{ "type": "module" }\n',
      "src/lib/auth.js": AUTH,
      "src/routes/user.js": 'import { hash } from "../lib/auth.js";\nexport const user = (n) => hash(n);\n',
      "check.mjs":
        'const m = await import("./src/routes/user.js");\nif (m.user("a") !== "h:a") process.exit(1);\n',
    };
    const yaml = 'testCommand: ["node", "check.mjs"]\nlive: { progressMs: 300 }\n';
    const on = (event: GuildEvent) => {
      if (event.type === "peer.told" && event.payload.taskId === "back") told.fire();
    };
    await withLiveGoal(
      { name: "dashboard-talk", goalId: "g-talk", security, backend, files, yaml, on },
      async (live) => {
        const token = newToken();
        const dashboard = await startDashboard({ bus: live.bus, token, repo: localRepoAccess });
        await using browser = await launchChromium();
        try {
          const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
          await page.goto(dashboard.url);
          await page.waitForSelector('[data-testid="connection"]:text("live")');
          const result = await live.run("drop legacyHash; add userKey", [
            liveTask("sec", "security", ["src/lib/auth.js"]),
            liveTask("back", "backend", ["src/routes/user.js"]),
          ]);
          expect(result.events.at(-1)?.type).toBe("goal.done");
          await page.click('[data-goal="g-talk"]');
          await page.click('[data-tab="talk"]');
          await page.waitForSelector('[data-testid="talk"] [data-talk="peer.told"]');
          const overlap = page.locator('[data-talk="overlap.detected"]');
          expect(await overlap.locator(".what").textContent()).toBe("overlap on legacyHash (removed)");
          expect(await overlap.locator(".to").textContent()).toBe("sec (security), back (backend)");
          // The note to backend: from the coordinator, to its agent, and why (what security did, what backend uses).
          const toBackend = page.locator('[data-talk="peer.told"]', { hasText: "(task back)" });
          expect(await toBackend.locator(".from").textContent()).toBe("coordinator");
          expect(await toBackend.locator(".what").textContent()).toContain("[overlap] Live overlap");
          expect(await toBackend.locator(".why").textContent()).toContain(
            "sec (security) removed export legacyHash",
          );
          expect(await toBackend.locator(".why").textContent()).toContain("back (backend) uses legacyHash");
          await screenshot(page, "dashboard-talk.png");
        } finally {
          await dashboard.close();
        }
      },
    );
  }, 150_000);
});

/** Resolves with the first recorded event that matches, polling the list the follower fills. */
async function waitFor(
  events: { event: GuildEvent; seq: number }[],
  match: (e: GuildEvent) => boolean,
  timeoutMs = 60_000,
): Promise<{ event: GuildEvent; seq: number }> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const hit = events.find((x) => match(x.event));
    if (hit) return hit;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(
    `no matching event within ${timeoutMs} ms; saw ${events.map((x) => x.event.type).join(", ")}`,
  );
}
