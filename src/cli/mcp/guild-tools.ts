import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import type { Bus } from "../../bus/index.js";
import { type GuildEvent, subjects, TaskSpec, Token } from "../../protocol/index.js";
import {
  controlGoal,
  decide,
  pendingDecisions,
  readGoals,
  requestGoal,
  taskCounts,
  tellAgent,
} from "../client/index.js";
import { runPlan } from "../commands/plan.js";
import { collectOutput } from "../output.js";

/** The bus of the guild the tools talk to; connected on first use, so the server starts before the guild. */
export type BusSource = () => Promise<Bus>;

type ToolResult = { content: { type: "text"; text: string }[]; isError?: boolean };

function reply(value: unknown, isError = false): ToolResult {
  return {
    content: [{ type: "text", text: JSON.stringify(value, null, 2) }],
    ...(isError ? { isError } : {}),
  };
}

/** Runs a tool's work; a failure (no guild running, a timeout, a bad id) is a tool error the model can read. */
async function guarded(work: () => Promise<ToolResult>): Promise<ToolResult> {
  try {
    return await work();
  } catch (error) {
    return reply({ error: error instanceof Error ? error.message : String(error) }, true);
  }
}

/** Event types that say what happened; `agent.step` (every model turn) is left out unless asked for. */
function pickEvents(events: GuildEvent[], options: { types?: string[]; limit: number }): unknown[] {
  const wanted = options.types?.length
    ? events.filter((e) =>
        options.types?.some((t) => (t.endsWith("*") ? e.type.startsWith(t.slice(0, -1)) : e.type === t)),
      )
    : events.filter((e) => e.type !== "agent.step");
  return wanted
    .slice(-options.limit)
    .map((e) => ({ time: e.time, type: e.type, source: e.source, payload: e.payload }));
}

/**
 * An MCP server whose tools drive a guild as `guild goal`, `plan`, `status`, `watch`, `review`, `approve`,
 * `reject`, `tell` and `cancel` do, through the same bus requests.
 */
export function createGuildMcpServer(busOf: BusSource, version: string): McpServer {
  const server = new McpServer({ name: "guild", version });
  const goalId = Token.describe("a goal id, e.g. g-1a2b3c");

  server.registerTool(
    "submit_goal",
    {
      description:
        "Submit a goal to the running guild: its agents plan, work in parallel, review and merge into guild/<goal>.integration. Returns the goal id; follow it with goal_status and goal_events.",
      inputSchema: {
        text: z.string().min(1).max(20_000).describe("what to do, in plain words"),
        repo: z.string().min(1).describe("path of the repository (as the coordinator's machine sees it)"),
        base: z.string().optional().describe("base branch or commit (default HEAD)"),
        plan: z
          .array(TaskSpec)
          .optional()
          .describe("a prepared plan (the tasks of plan_goal) instead of the planner"),
      },
    },
    (args) =>
      guarded(async () => {
        const accepted = await requestGoal(await busOf(), {
          text: args.text,
          repo: args.repo,
          ...(args.base ? { base: args.base } : {}),
          ...(args.plan ? { plan: args.plan } : {}),
        });
        return reply(accepted);
      }),
  );

  server.registerTool(
    "plan_goal",
    {
      description:
        "Show the checked plan for a goal without running it: tasks, roles, expected paths and their owners, dependencies, and any errors the coordinator would reject it for.",
      inputSchema: {
        text: z.string().min(1).max(20_000),
        repo: z.string().min(1).describe("path of the repository"),
      },
    },
    (args) =>
      guarded(async () => {
        const output = collectOutput();
        // The rules planner needs no guild; an LLM planner is asked over the bus.
        const bus = await busOf().catch(() => undefined);
        const result = await runPlan(bus, args.text, { repo: args.repo }, output);
        return reply(
          {
            ok: result.ok,
            ...(result.reason ? { reason: result.reason } : {}),
            ...(result.planned
              ? {
                  planner: result.planned.planner,
                  tasks: result.planned.tasks,
                  errors: result.planned.errors,
                }
              : {}),
            text: output.lines.join("\n"),
          },
          !result.ok,
        );
      }),
  );

  server.registerTool(
    "goal_status",
    {
      description:
        "The goals this guild knows (or one goal), with status, state, tasks accepted and the reason it ended.",
      inputSchema: { goalId: goalId.optional() },
    },
    (args) =>
      guarded(async () => {
        const goals = (await readGoals(await busOf())).filter(
          (g) => !args.goalId || g.goalId === args.goalId,
        );
        if (args.goalId && goals.length === 0) return reply({ error: `no goal ${args.goalId}` }, true);
        return reply(
          goals.map((g) => ({
            goalId: g.goalId,
            status: g.status,
            state: g.state,
            text: g.context.text,
            ...taskCounts(g),
            ...(g.context.reason ? { reason: g.context.reason } : {}),
            updatedAt: g.updatedAt,
          })),
        );
      }),
  );

  server.registerTool(
    "goal_events",
    {
      description:
        "A goal's events from the durable event stream (plan, dispatch, proposals, settlements, merges, tests, end), oldest first.",
      inputSchema: {
        goalId,
        types: z.array(z.string()).optional().describe("only these types; `proposal.*` matches a prefix"),
        limit: z.number().int().min(1).max(1000).default(100).describe("the latest this many"),
      },
    },
    (args) =>
      guarded(async () => {
        const events = await (await busOf()).events.read({ subject: subjects.eventsOfGoal(args.goalId) });
        return reply(pickEvents(events, { ...(args.types ? { types: args.types } : {}), limit: args.limit }));
      }),
  );

  server.registerTool(
    "pending_decisions",
    {
      description:
        "Decisions waiting for a person (a protected path, a conflict no policy settled), with their diffs.",
      inputSchema: { goalId: goalId.optional() },
    },
    (args) => guarded(async () => reply(await pendingDecisions(await busOf(), args.goalId))),
  );

  server.registerTool(
    "approve",
    {
      description: "Approve a pending decision; a conflict needs the winning task.",
      inputSchema: {
        decisionId: z.string().describe("<goal>:<n>, from pending_decisions"),
        winner: Token.optional().describe("for a conflict: the task whose change is kept"),
      },
    },
    (args) =>
      guarded(async () => {
        const answer = await decide(await busOf(), args.decisionId, {
          approve: true,
          ...(args.winner ? { winner: args.winner } : {}),
        });
        return reply(answer, !answer.ok);
      }),
  );

  server.registerTool(
    "reject",
    {
      description: "Reject a pending decision, with the reason (recorded as an event).",
      inputSchema: { decisionId: z.string(), reason: z.string().min(1) },
    },
    (args) =>
      guarded(async () => {
        const answer = await decide(await busOf(), args.decisionId, { approve: false, reason: args.reason });
        return reply(answer, !answer.ok);
      }),
  );

  server.registerTool(
    "tell_agent",
    {
      description: "Give a working agent more context (delivered to its inbox), e.g. security-1.",
      inputSchema: { agentId: Token, text: z.string().min(1).max(20_000) },
    },
    (args) =>
      guarded(async () => {
        await tellAgent(await busOf(), args.agentId, args.text);
        return reply({ ok: true, message: `told ${args.agentId}` });
      }),
  );

  server.registerTool(
    "cancel_goal",
    {
      description: "Cancel a goal: its agents stop and keep their work on guild/salvage/ refs.",
      inputSchema: { goalId, reason: z.string().optional() },
    },
    (args) =>
      guarded(async () => {
        const answer = await controlGoal(await busOf(), args.goalId, {
          action: "cancel",
          reason: args.reason ?? "cancelled over MCP",
        });
        return reply(answer, !answer.ok);
      }),
  );
  return server;
}
