import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFailed } from "vitest";
import { tempDir } from "../helpers/temp-dir.js";
import { killAgent, killCoordinator, killStreamLeader, stopStreamLeader } from "./chaos/faults.js";
import { runChaos } from "./chaos/harness.js";

// The whole run's budget: CI runs the full suite in about 14 minutes, this test may take at most 4.
const BUDGET_MS = 220_000;
const ACK_WAIT_MS = 4_000;

describe("a three-node cluster with guild's identities, under chaos", () => {
  it(
    "ends every goal done while nodes, an agent and the coordinator are killed; no published event lost or stored twice, no task merged twice",
    async () => {
      await using dir = tempDir("guild-chaos-");
      const steps: string[] = [];
      onTestFailed(() => console.error(`chaos run:\n${steps.join("\n")}`));
      const reportFile = process.env.GUILD_CHAOS_REPORT ?? join(tmpdir(), "guild-chaos-report.md");
      const run = await runChaos({
        dir: dir.path,
        faults: [
          killStreamLeader("GUILD_EVENTS", 3_000),
          stopStreamLeader("GUILD_TASKS", 2_000),
          killAgent("frontend"),
          killCoordinator(),
        ],
        ackWaitMs: ACK_WAIT_MS,
        budgetMs: BUDGET_MS,
        reportFile,
        log: (line) => steps.push(line),
      });
      console.log(`${run.report}\n(written to ${reportFile})`);
      expect(run.baseline.end).toBe("goal.done");
      expect(run.goals.map((g) => g.error ?? "")).toEqual(run.goals.map(() => ""));
      expect(run.goals.map((g) => g.end)).toEqual(run.goals.map(() => "goal.done"));
      // Each goal's two tasks merged exactly once onto its integration branch.
      for (const g of [run.baseline, ...run.goals]) {
        expect(g.merges, g.goalId).toEqual({ "t-api": 1, "t-web": 1 });
      }
      // Every fault struck and the system got over it.
      expect(run.goals.map((g) => g.record?.fault)).toHaveLength(4);
      for (const g of run.goals) expect(Object.values(g.record?.recovered ?? {}), g.fault).not.toContain(-1);
      // Every event the stream acknowledged to its publisher is in the stream, at the acknowledged sequence.
      expect(run.acks.acked).toBeGreaterThan(50);
      expect(run.acks.lost).toEqual([]);
      // Every event published, acknowledged at once or retried through a leaderless moment, is stored once.
      expect(run.acks.unstored).toEqual([]);
      expect(run.acks.duplicates).toEqual([]);
    },
    BUDGET_MS + 15_000,
  );
});
