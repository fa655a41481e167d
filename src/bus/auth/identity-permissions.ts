import { GuildError, NO_GOAL, stores, subjects, token } from "../../protocol/index.js";
import { serviceQueues, taskDurable } from "../queues.js";

/** What one identity may publish and subscribe to, as nats-server enforces it. */
export interface Permissions {
  publish: string[];
  subscribe: string[];
  /** Lets the identity answer the requests it receives (publish to their reply subjects, once). */
  allowResponses?: boolean;
}

/**
 * Who may connect: the coordinator, a person (`operator`), a read-only `watcher`, the LLM `planner` and
 * `arbiter` services, one identity per agent role.
 */
export type IdentityName = "coordinator" | "operator" | "watcher" | ServiceIdentity | `agent-${string}`;

/** The request/reply services that run a model with an API key: each answers its own requests only. */
export type ServiceIdentity = "planner" | "arbiter";

/** The identities and agent ids a `guild creds init` writes for. */
export interface IdentityPlan {
  roles: string[];
  /** Agent ids per role: `<role>-1` … `<role>-<replicas>` (NATS permissions match whole tokens only). */
  replicas: number;
  /**
   * Also one identity per agent id, `agent-<role>-<n>`, that speaks only as `<role>-<n>`: for a replica run
   * in a process of its own (`guild agent --role <role> --replica <n>`), so it cannot speak as its siblings.
   */
  replicaKeys?: boolean;
}

/** The agent ids an `agent-<role>` identity may speak for: `<role>-1` … `<role>-<replicas>`. */
export function agentIdsOf(role: string, replicas: number): string[] {
  return Array.from({ length: replicas }, (_, i) => `${token(role)}-${i + 1}`);
}

/** An agent identity: a role's (all its agent ids) or one replica's (`agent-<agent id>`, its id alone). */
interface AgentIdentity {
  name: `agent-${string}`;
  role: string;
  ids: string[];
}

function agentIdentities(plan: IdentityPlan): AgentIdentity[] {
  return plan.roles.flatMap((r) => {
    const role = token(r);
    const ids = agentIdsOf(role, plan.replicas);
    const all: AgentIdentity = { name: `agent-${role}`, role, ids };
    if (!plan.replicaKeys) return [all];
    return [all, ...ids.map((id): AgentIdentity => ({ name: `agent-${id}`, role, ids: [id] }))];
  });
}

/**
 * Every identity of a plan, coordinator first. A replica's name that is also a role's (`agent-api-2` for
 * role `api` replica 2 and role `api-2`) is refused: one key must not stand for both.
 */
export function identityNames(plan: IdentityPlan): IdentityName[] {
  const agents = agentIdentities(plan).map((a) => a.name);
  const twice = agents.find((name, i) => agents.indexOf(name) !== i);
  if (twice) {
    throw new GuildError(
      "config.invalid",
      `identity ${twice} would name a role and a replica: rename the role`,
      {
        details: { setting: "roles", value: twice },
      },
    );
  }
  return ["coordinator", "operator", "watcher", "planner", "arbiter", ...agents];
}

const API = "$JS.API";
const KV_STREAM = `KV_${stores.state}`;
const PRESENCE_STREAM = `KV_${stores.presence}`;
const OBJ_STREAM = `OBJ_${stores.bundles}`;

/** Reading the event stream: ordered consumers (and their probes) on GUILD_EVENTS, nothing else. */
function eventReader(): string[] {
  const s = stores.events;
  return [
    `${API}.INFO`,
    `${API}.STREAM.INFO.${s}`,
    `${API}.CONSUMER.CREATE.${s}`,
    `${API}.CONSUMER.CREATE.${s}.>`,
    `${API}.CONSUMER.INFO.${s}.*`,
    `${API}.CONSUMER.DELETE.${s}.*`,
    `${API}.CONSUMER.MSG.NEXT.${s}.*`,
  ];
}

/** Reading a KV bucket: direct gets and key listings (an ordered consumer on the bucket's stream). */
function bucketReader(stream: string): string[] {
  return [
    `${API}.DIRECT.GET.${stream}`,
    `${API}.DIRECT.GET.${stream}.>`,
    `${API}.STREAM.INFO.${stream}`,
    `${API}.CONSUMER.CREATE.${stream}`,
    `${API}.CONSUMER.CREATE.${stream}.>`,
    `${API}.CONSUMER.INFO.${stream}.*`,
    `${API}.CONSUMER.DELETE.${stream}.*`,
    `${API}.CONSUMER.MSG.NEXT.${stream}.*`,
  ];
}

const SERVICE_REQUESTS: Record<ServiceIdentity, string> = {
  planner: subjects.planRequest,
  arbiter: subjects.arbiterRequest,
};

/**
 * A service answers its request subject in its queue group (`subject queue` is nats-server's queue
 * permission: no plain subscription that would see every request beside the group) and replies to each
 * request once (allow_responses). The bus checks JetStream (`$JS.API.INFO`) when it connects, and reports a
 * malformed request as `bus.message.rejected` (goal `_`, source `bus`); nothing else: a service reads no
 * KV, stream or store, since each request carries what it needs.
 */
function servicePermissions(service: ServiceIdentity, replies: string): Permissions {
  return {
    publish: [`${API}.INFO`, subjects.event(NO_GOAL, "bus", "bus.message.rejected")],
    subscribe: [replies, `${SERVICE_REQUESTS[service]} ${serviceQueues[service]}`],
    allowResponses: true,
  };
}

/**
 * The permissions of one identity. `inbox` is the identity's own reply prefix (see `inboxPrefixOf`): replies
 * and pulled messages arrive under it, so no identity reads another's replies.
 */
export function permissionsFor(identity: IdentityName, plan: IdentityPlan, inbox: string): Permissions {
  const replies = `${inbox}.>`;
  if (identity === "coordinator") {
    // The coordinator manages streams, consumers and its state, and speaks to every agent.
    return { publish: [">"], subscribe: [">"], allowResponses: true };
  }
  if (identity === "planner" || identity === "arbiter") return servicePermissions(identity, replies);
  if (identity === "watcher") return { publish: eventReader(), subscribe: [replies] };
  if (identity === "operator") {
    return {
      publish: [
        subjects.goalSubmit,
        "guild.goal.*.control",
        // `guild tell` speaks to an agent's inbox directly.
        "guild.agent.*.inbox",
        ...eventReader(),
        ...bucketReader(KV_STREAM),
        ...bucketReader(PRESENCE_STREAM),
      ],
      subscribe: [replies],
    };
  }
  const agent = agentIdentities(plan).find((a) => a.name === identity);
  if (!agent) {
    throw new GuildError("config.invalid", `no identity ${identity} in this plan`, {
      details: { setting: "identity", value: identity },
    });
  }
  return agentPermissions(agent, replies);
}

/**
 * An agent identity's permissions: its role's queue, claims and budget (shared by the role's replicas),
 * and events, proposals, presence and inbox only for its own agent ids.
 */
function agentPermissions({ role, ids }: AgentIdentity, replies: string): Permissions {
  const tasks = stores.tasks;
  const durable = taskDurable(role);
  return {
    publish: [
      `${API}.INFO`,
      // Bind to and pull from the role's durable, which the coordinator created; ack, nak, keep alive.
      `${API}.CONSUMER.INFO.${tasks}.${durable}`,
      `${API}.CONSUMER.MSG.NEXT.${tasks}.${durable}`,
      `$JS.ACK.${tasks}.${durable}.>`,
      // Events and proposals only on subjects that carry one of this identity's agent ids.
      ...ids.map((id) => `guild.evt.*.${id}.>`),
      ...ids.map((id) => `guild.proposal.*.${id}`),
      // What the bus itself reports from this process (a rejected message, a restarted pull).
      "guild.evt.*.bus.bus.>",
      // KV: read any key; write only this role's task claims, its share of a goal's tokens, its presence.
      `${API}.DIRECT.GET.${PRESENCE_STREAM}.>`,
      `${API}.DIRECT.GET.${KV_STREAM}`,
      `${API}.DIRECT.GET.${KV_STREAM}.>`,
      `$KV.${stores.state}.claim.${role}.>`,
      `$KV.${stores.state}.budget.*.${role}`,
      ...ids.map((id) => `$KV.${stores.presence}.${id}`),
      // Bundles: write chunks and metadata, look an object up and read it (an ordered consumer on the
      // store's own stream, which holds bundles only: bases from the coordinator, other agents' proposals);
      // never purge or delete the store. Object names are encoded into one subject token, so the server
      // cannot tell keys apart: review reads a proposal's bundle only under its own agent's key.
      `$O.${stores.bundles}.C.>`,
      `$O.${stores.bundles}.M.>`,
      `${API}.STREAM.MSG.GET.${OBJ_STREAM}`,
      ...bucketReader(OBJ_STREAM),
    ],
    subscribe: [replies, ...ids.map((id) => subjects.agentInbox(id))],
  };
}
