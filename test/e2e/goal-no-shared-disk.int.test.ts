import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { NatsBus } from "../../src/bus/index.js";
import { submitGoal } from "../../src/cli/commands/goal.js";
import { collectOutput } from "../../src/cli/output.js";
import { startGuild } from "../../src/cli/runtime/start-guild.js";
import { planWithRules } from "../../src/coordinator/index.js";
import { guildHome, repoId } from "../../src/git/index.js";
import { loadOwnership } from "../../src/ownership/index.js";
import { createLogger, type TaskSpec } from "../../src/protocol/index.js";
import { demoRepo } from "../helpers/demo-repo.js";
import { spawnGuildProcess } from "../helpers/guild-process.js";
import { startNats } from "../helpers/nats.js";
import { acceptedBundleKeys, publishedBundleKeys } from "../helpers/proposal-bundles.js";
import { tempDir } from "../helpers/temp-dir.js";

const FIXTURE = join(import.meta.dirname, "fixtures", "agents-elsewhere.ts");

/** The demo plan, with the docs task waiting on the security fix: it must start from the fix. */
async function planWithDependency(repo: string): Promise<TaskSpec[]> {
  const { config } = await loadOwnership({ repoDir: repo });
  const tasks = planWithRules("harden the demo app", config);
  const security = tasks.find((t) => t.role === "security");
  const docs = tasks.find((t) => t.role === "docs");
  if (!security || !docs) throw new Error("the demo plan lost its security or docs task");
  // Plan order puts the dependency first, as the integration branch merges it.
  const rest = tasks.filter((t) => t !== security && t !== docs);
  return [security, ...rest, { ...docs, dependsOn: [security.taskId] }];
}

describe("agents with nothing but NATS and a home of their own", () => {
  it("finish the demo goal from a process that cannot see the coordinator's repository", async () => {
    await using server = await startNats();
    using repo = demoRepo();
    await using agentHome = tempDir("guild-agent-home-");
    const coordinatorHome = guildHome();
    // bubblewrap: the whole file system, but an empty tmpfs over the coordinator's repository and home.
    const hidden = [repo.path, coordinatorHome];
    await using agents = await spawnGuildProcess(
      FIXTURE,
      {
        NATS_URL: server.url,
        AGENT_HOME: agentHome.path,
        GUILD_HOME: agentHome.path,
        HIDDEN: hidden.join(","),
      },
      {
        wrap: [
          "bwrap",
          "--dev-bind",
          "/",
          "/",
          ...hidden.flatMap((d) => ["--tmpfs", d]),
          "--die-with-parent",
        ],
        cwd: agentHome.path,
        readyTimeoutMs: 60_000,
      },
    );
    expect(agents.output()).toContain(`cwd ${agentHome.path}`);
    const logger = createLogger({ level: "silent" });
    const bus = await NatsBus.connect({ url: server.url, name: "coordinator", manage: true });
    const guild = await startGuild({ bus, logger, roles: [] });
    try {
      const plan = await planWithDependency(repo.path);
      const result = await submitGoal(
        bus,
        "harden the demo app",
        { repo: repo.path, plan, wait: true, timeoutMs: 240_000 },
        collectOutput(),
      );
      const failed = result.events.find((e) => e.type === "goal.failed");
      expect(failed ? JSON.stringify(failed.payload) : "").toBe("");
      expect(result.status).toBe("done");
      const verify = result.events.find((e) => e.type === "verify.finished");
      expect(verify?.type === "verify.finished" && verify.payload.passed).toBe(true);
      const branch = `guild/${result.goalId}.integration`;
      expect(repo.git("show", `${branch}:src/lib/calculator.ts`)).not.toMatch(/\beval\(/);
      expect(repo.git("diff", "--name-only", `main...${branch}`).split("\n")).toContain("docs/API.md");

      // Every agent worked in its mirror under its own home, and every proposal came as a bundle: review
      // read each from the blob store and imported it (a missing bundle is rejected, never accepted).
      const mirror = join(agentHome.path, "repos", `${await repoId(repo.path, "main")}.worktrees`);
      const ready = result.events.flatMap((e) => (e.type === "workspace.ready" ? [e] : []));
      expect(ready.length).toBeGreaterThanOrEqual(4);
      for (const e of ready) expect(e.payload.dir).toBe(join(mirror, e.source));
      const published = publishedBundleKeys(result.events);
      expect(published.length).toBeGreaterThanOrEqual(3);
      expect(acceptedBundleKeys(result.events).length).toBeGreaterThanOrEqual(3);
      // The goal's end deleted them: nothing reads a proposal's bundle after its goal.
      await vi.waitFor(async () => expect(await bus.blobs.list(`${result.goalId}.`)).toEqual([]), {
        timeout: 20_000,
      });

      // The docs task started from the security fix it depends on: its merged head holds the fix.
      const mergedHead = (task: string) =>
        repo
          .git("log", "--merges", "--format=%P%x09%(trailers:key=Guild-Task,valueonly)", `main..${branch}`)
          .split("\n")
          .map((line) => line.split("\t"))
          .find(([, trailer]) => trailer?.trim() === task)?.[0]
          ?.split(" ")[1];
      const security = plan[0]?.taskId as string;
      const docs = plan.at(-1)?.taskId as string;
      const securityHead = mergedHead(security);
      const docsHead = mergedHead(docs);
      expect(securityHead).toMatch(/^[0-9a-f]{40}$/);
      expect(docsHead).toMatch(/^[0-9a-f]{40}$/);
      repo.git("merge-base", "--is-ancestor", securityHead as string, docsHead as string);
      // ...and its own change is only the docs: the fix came with its base, not from its own work.
      const own = repo.git("diff", "--name-only", `${securityHead}..${docsHead}`).split("\n");
      expect(own.every((p) => p.startsWith("docs/"))).toBe(true);
    } finally {
      await guild.stop();
      await agents.kill("SIGTERM");
      await bus.close();
    }
  }, 300_000);
});
