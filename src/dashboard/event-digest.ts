import type { GuildEvent } from "../protocol/index.js";

/** What one agent is doing, as its events tell it. */
export interface AgentView {
  agentId: string;
  role: string;
  brain?: string;
  state: string;
  goalId?: string;
  taskId?: string;
  lastSeen: string;
  lastSeq: number;
}

/** One proposal and what review made of it. */
export interface ProposalView {
  proposalId: string;
  goalId: string;
  taskId: string;
  role: string;
  agentId: string;
  changedPaths: string[];
  outcome: "received" | "accepted" | "revision_requested" | "rejected" | "awaiting";
  reason?: string;
  seq: number;
}

/** Two tasks whose changes met, and how settlement decided between them. */
export interface ConflictView {
  goalId: string;
  taskIds: string[];
  files: string[];
  settlement?: { winner: string; loser: string; policy: string; reason: string };
  seq: number;
}

/** Per goal: tokens the agents reported step by step, and the cost their tool loops estimated. */
export interface GoalSpend {
  inputTokens: number;
  outputTokens: number;
  cost: number;
}

const SETTLED = new Set(["idle", "proposed", "failed", "cancelled"]);

// The tool loop reports an estimated cost only in its closing thought (agent.step has no cost field yet).
const COST_LINE = /estimated cost (\d+(?:\.\d+)?)/;

/**
 * Folds the event log into the views the JSON endpoints serve that the KV state does not hold: agents,
 * proposals with their outcome and reason, conflicts with their settlement, and spend per goal.
 */
export class EventDigest {
  readonly agents = new Map<string, AgentView>();
  readonly proposals = new Map<string, ProposalView>();
  readonly conflicts: ConflictView[] = [];
  readonly spend = new Map<string, GoalSpend>();
  lastSeq = 0;

  add(event: GuildEvent, seq: number): void {
    if (seq <= this.lastSeq) return;
    this.lastSeq = seq;
    const goalId = event.goalId ?? "_";
    this.#touch(event, seq);
    switch (event.type) {
      case "agent.online":
        this.#agent(event.payload.agentId, event, seq, {
          role: event.payload.role,
          brain: event.payload.brain,
        });
        break;
      case "agent.state.changed":
        this.#agent(event.payload.agentId, event, seq, {
          role: event.payload.role,
          state: event.payload.to,
          // A specialist's machine lives for one task: once it settles, the agent is free for the next.
          ...(SETTLED.has(event.payload.to) ? { taskId: undefined, goalId: undefined } : {}),
        });
        break;
      case "task.claimed":
        this.#agent(event.payload.agentId, event, seq, { taskId: event.payload.taskId, goalId });
        break;
      case "agent.step": {
        const spend = this.#spend(goalId);
        spend.inputTokens += event.payload.usage?.inputTokens ?? 0;
        spend.outputTokens += event.payload.usage?.outputTokens ?? 0;
        const cost = COST_LINE.exec(event.payload.text);
        if (cost) spend.cost += Number(cost[1]);
        break;
      }
      case "proposal.received":
        this.proposals.set(key(goalId, event.payload.proposalId), {
          proposalId: event.payload.proposalId,
          goalId,
          taskId: event.payload.taskId,
          role: event.payload.role,
          agentId: event.payload.agentId,
          changedPaths: event.payload.changedPaths,
          outcome: "received",
          seq,
        });
        break;
      case "proposal.accepted":
      case "proposal.rejected":
      case "proposal.revision_requested": {
        const known = this.proposals.get(key(goalId, event.payload.proposalId));
        if (known) {
          known.outcome = event.type.slice("proposal.".length) as ProposalView["outcome"];
          known.reason = event.payload.reason;
        }
        break;
      }
      case "decision.requested":
        for (const p of this.proposals.values())
          if (p.goalId === goalId && event.payload.taskIds.includes(p.taskId) && p.outcome === "received") {
            p.outcome = "awaiting";
            p.reason = event.payload.reason;
          }
        break;
      case "conflict.detected":
        this.conflicts.push({ goalId, taskIds: event.payload.taskIds, files: event.payload.files, seq });
        break;
      case "conflict.settled": {
        const { winner, loser, policy, reason, files } = event.payload;
        const open = this.conflicts.find(
          (c) =>
            c.goalId === goalId && !c.settlement && c.taskIds.includes(winner) && c.taskIds.includes(loser),
        );
        const settlement = { winner, loser, policy, reason };
        if (open) open.settlement = settlement;
        else this.conflicts.push({ goalId, taskIds: [winner, loser], files, settlement, seq });
        break;
      }
    }
  }

  /** Every known source that looks like an agent gets its last-seen time from any event it publishes. */
  #touch(event: GuildEvent, seq: number): void {
    const agent = this.agents.get(event.source);
    if (agent) {
      agent.lastSeen = event.time;
      agent.lastSeq = seq;
    }
  }

  #agent(
    agentId: string,
    event: GuildEvent,
    seq: number,
    change: { [K in keyof AgentView]?: AgentView[K] | undefined },
  ): void {
    const agent = this.agents.get(agentId) ?? {
      agentId,
      role: change.role ?? agentId.replace(/-\d+$/, ""),
      state: "online",
      lastSeen: event.time,
      lastSeq: seq,
    };
    for (const [k, v] of Object.entries(change)) {
      if (v === undefined) delete (agent as unknown as Record<string, unknown>)[k];
      else (agent as unknown as Record<string, unknown>)[k] = v;
    }
    agent.lastSeen = event.time;
    agent.lastSeq = seq;
    this.agents.set(agentId, agent);
  }

  #spend(goalId: string): GoalSpend {
    let spend = this.spend.get(goalId);
    if (!spend) {
      spend = { inputTokens: 0, outputTokens: 0, cost: 0 };
      this.spend.set(goalId, spend);
    }
    return spend;
  }
}

function key(goalId: string, proposalId: string): string {
  return `${goalId}/${proposalId}`;
}
