import { describe, expect, it } from "vitest";
import { MemoryBus } from "../../../src/bus/index.js";
import { gcGoals } from "../../../src/cli/commands/gc.js";
import { collectOutput } from "../../../src/cli/output.js";
import type { GoalRecord } from "../../../src/coordinator/goal/goal-store.js";
import { tempRepo } from "../../helpers/git-repo.js";

const encoder = new TextEncoder();

function record(goalId: string, status: GoalRecord["status"], proposals: Record<string, string>): GoalRecord {
  const tasks = Object.fromEntries(
    Object.entries(proposals).map(([taskId, head]) => [
      taskId,
      { spec: { taskId }, proposal: { proposalId: `${taskId}-1`, headCommit: head } },
    ]),
  );
  return {
    goalId,
    state: status,
    status,
    context: { goalId, tasks } as unknown as GoalRecord["context"],
    updatedAt: new Date().toISOString(),
    owner: "old",
    snapshot: {},
  };
}

describe("guild gc", () => {
  it("removes the task branches, proposal refs and proposal bundles of goals that ended, and keeps running and unknown goals'", async () => {
    using repo = tempRepo({ "a.txt": "a\n" });
    const head = repo.head();
    for (const ref of [
      "refs/heads/guild/gdone/t1",
      "refs/heads/guild/gdone.integration",
      "refs/guild/proposals/gdone-t1-1",
      "refs/heads/guild/grun/t1",
      "refs/heads/guild/gunknown/t1",
    ])
      repo.git("update-ref", ref, head);
    const bus = new MemoryBus();
    try {
      await bus.kv.put("goal.gdone", encoder.encode(JSON.stringify(record("gdone", "done", { t1: head }))));
      await bus.kv.put("goal.grun", encoder.encode(JSON.stringify(record("grun", "running", { t1: head }))));
      // Bundles of proposals: two of the ended goal (one sent after its end), and a base bundle, which is not one.
      const blobs = [
        "gdone.t1.1.agent-1",
        "gdone.t2.1.agent-2",
        "grun.t1.1.agent-1",
        "gunknown.t1.1.agent-1",
      ];
      const base = `base.repo-1.${head}`;
      for (const key of [...blobs, base]) await bus.blobs.put(key, encoder.encode("bundle"));
      const output = collectOutput();
      expect(await gcGoals(bus, repo.path, output)).toBe(0);
      expect(repo.git("for-each-ref", "--format=%(refname)").split("\n").sort()).toEqual([
        "refs/heads/guild/gdone.integration",
        "refs/heads/guild/grun/t1",
        "refs/heads/guild/gunknown/t1",
        "refs/heads/main",
      ]);
      expect(output.lines).toContain("gdone: done, 2 ref(s) removed");
      expect(output.lines).toContain("grun: running, kept");
      expect((await bus.blobs.list()).map((b) => b.key).sort()).toEqual([
        base,
        "grun.t1.1.agent-1",
        "gunknown.t1.1.agent-1",
      ]);
      expect(output.lines).toContain("gdone: done, 2 proposal bundle(s) deleted (12 bytes)");
      expect(output.lines).toContain(
        "2 proposal bundle(s) deleted (12 bytes); 1 of goals unknown to the store kept",
      );
    } finally {
      await bus.close();
    }
  });
});
