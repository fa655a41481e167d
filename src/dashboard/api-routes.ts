import { type Context, Hono } from "hono";
import type { Bus } from "../bus/index.js";
import { DecisionAnswer, DecisionId, sendDecision, TellRequest, tellAgent } from "./control-requests.js";
import type { EventDigest } from "./event-digest.js";
import { type GoalView, goalIds, goalView, readStoredGoal, type StoredGoal } from "./goal-view.js";
import type { RepoAccess } from "./repo-access.js";

const FINAL = new Set(["done", "failed", "cancelled"]);
const AGENT_ID = /^[A-Za-z0-9_-]+$/;

/** The JSON endpoints: goals, tasks, proposals with diffs, conflicts, decisions, agents; and the two changes. */
export function apiRoutes(bus: Bus, digest: EventDigest, repo: RepoAccess | undefined): Hono {
  const api = new Hono();

  async function goalOr404(c: Context): Promise<StoredGoal | Response> {
    const goal = await readStoredGoal(bus, c.req.param("goalId") ?? "");
    return goal ?? c.json({ error: `no goal ${c.req.param("goalId")}` }, 404);
  }

  async function withSpend(goal: StoredGoal): Promise<GoalView & { cost: number }> {
    const view = await goalView(bus, goal);
    const spend = digest.spend.get(goal.goalId);
    // Tokens the agents reported step by step count too: a task still working has no proposal yet.
    const stepped = (spend?.inputTokens ?? 0) + (spend?.outputTokens ?? 0);
    view.tokens.total = Math.max(view.tokens.total, stepped);
    return { ...view, cost: spend?.cost ?? 0 };
  }

  async function proposalsOf(goal: StoredGoal) {
    const list = [...digest.proposals.values()].filter((p) => p.goalId === goal.goalId);
    const owners = repo
      ? await repo
          .owners(goal.context.repo, [...new Set(list.flatMap((p) => p.changedPaths))])
          .catch(() => [])
      : [];
    const byPath = new Map(owners.map((o) => [o.path, o]));
    return list.map((p) => {
      const current = goal.context.tasks[p.taskId]?.proposal;
      return {
        ...p,
        rationale: current?.proposalId === p.proposalId ? current.rationale : undefined,
        diffAvailable: current?.proposalId === p.proposalId && repo !== undefined,
        paths: p.changedPaths.map((path) => byPath.get(path) ?? { path, owners: [], protected: false }),
      };
    });
  }

  api.get("/goals", async (c) => {
    const views = [];
    for (const id of await goalIds(bus)) {
      const goal = await readStoredGoal(bus, id).catch(() => undefined);
      if (goal) views.push(await withSpend(goal));
    }
    views.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
    return c.json(views);
  });

  api.get("/goals/:goalId", async (c) => {
    const goal = await goalOr404(c);
    return goal instanceof Response ? goal : c.json(await withSpend(goal));
  });

  api.get("/goals/:goalId/tasks", async (c) => {
    const goal = await goalOr404(c);
    return goal instanceof Response ? goal : c.json((await goalView(bus, goal)).tasks);
  });

  api.get("/goals/:goalId/proposals", async (c) => {
    const goal = await goalOr404(c);
    return goal instanceof Response ? goal : c.json(await proposalsOf(goal));
  });

  api.get("/goals/:goalId/conflicts", async (c) => {
    const goal = await goalOr404(c);
    if (goal instanceof Response) return goal;
    return c.json(digest.conflicts.filter((x) => x.goalId === goal.goalId));
  });

  api.get("/goals/:goalId/proposals/:proposalId/diff", async (c) => {
    const goal = await goalOr404(c);
    if (goal instanceof Response) return goal;
    const id = c.req.param("proposalId");
    const task = Object.values(goal.context.tasks).find((t) => t.proposal?.proposalId === id);
    const paths = c.req.query("paths")?.split(",").filter(Boolean);
    if (task?.proposal && repo) {
      const { baseCommit, headCommit, changedPaths } = task.proposal;
      const diff = await repo.diff(goal.context.repo, baseCommit, headCommit, paths);
      const owners = await repo.owners(goal.context.repo, changedPaths).catch(() => []);
      return c.json({ diff, owners, source: "repository" });
    }
    // Without the repository, a decision that names the task still carries its diff.
    const taskId = task?.spec.taskId ?? digest.proposals.get(`${goal.goalId}/${id}`)?.taskId;
    const decision = goal.context.decisions.find((d) => taskId && d.taskIds.includes(taskId) && d.diff);
    if (decision) return c.json({ diff: decision.diff, owners: [], source: "decision" });
    return c.json(
      { error: `no diff for proposal ${id}: it was replaced, or the repository is not here` },
      404,
    );
  });

  api.get("/decisions", async (c) => {
    const pending = [];
    for (const id of await goalIds(bus)) {
      const goal = await readStoredGoal(bus, id).catch(() => undefined);
      if (!goal || FINAL.has(goal.status)) continue;
      for (const d of goal.context.decisions) if (!d.resolution) pending.push({ ...d, goalId: goal.goalId });
    }
    return c.json(pending);
  });

  api.get("/agents", (c) =>
    c.json([...digest.agents.values()].sort((a, b) => a.agentId.localeCompare(b.agentId))),
  );

  api.post("/decisions/:decisionId", async (c) => {
    const id = DecisionId.safeParse(c.req.param("decisionId"));
    const answer = DecisionAnswer.safeParse(await c.req.json().catch(() => undefined));
    if (!id.success || !answer.success) {
      return c.json({ error: "expected {approve: true, winner?} or {approve: false, reason}" }, 400);
    }
    const reply = await sendDecision(bus, id.data, answer.data);
    return c.json(reply, reply.ok ? 200 : 409);
  });

  api.post("/agents/:agentId/tell", async (c) => {
    const agentId = c.req.param("agentId");
    const body = TellRequest.safeParse(await c.req.json().catch(() => undefined));
    if (!AGENT_ID.test(agentId) || !body.success) return c.json({ error: "expected {text}" }, 400);
    await tellAgent(bus, agentId, body.data.text);
    return c.json({ ok: true, message: `told ${agentId}` });
  });

  return api;
}
