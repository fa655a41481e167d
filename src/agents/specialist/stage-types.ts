import type { Bus, EventEmitter } from "../../bus/index.js";
import type { AgentWorktree, Workspace } from "../../git/index.js";
import type { RoleConfig } from "../../protocol/index.js";
import type { HostSetting } from "./host-role.js";
import type { PeerInbox } from "./peer-inbox.js";
import type { RepoPlace } from "./repo-place.js";

/** What the stages of one task use from the specialist that runs them. */
export interface StageDeps {
  bus: Bus;
  events: EventEmitter;
  agentId: string;
  role: string;
  /** What this process may run (loaded once at its start); default the built-in brains only. */
  host?: HostSetting;
  /** Overrides the role config after the host's narrowing (set by the process itself, never by a goal). */
  roleOverride?: Partial<RoleConfig>;
  /** Directories prepended to PATH for allowed commands (guild's own node_modules/.bin). */
  extraPath?: string[];
  /** Notes told to this agent while it works (`guild tell`). */
  notes: string[];
  /** What the coordinator passes on while the task runs: overlaps, peers' questions and answers. */
  peers?: PeerInbox;
  signal: () => AbortSignal;
  /** The agent's own worktree in a repository (in `root`, when given), reused from task to task. */
  worktreeFor: (repoDir: string, root?: string) => AgentWorktree;
  /** The agent's home: its mirrors of repositories it has no checkout of (default the guild home). */
  home?: string;
}

/** The per-task state the stages share with each other and with the specialist (which handles a cancel). */
export interface StageState {
  workspace?: Workspace | undefined;
  /** Everything in the worktree was committed for the proposal: releasing it needs no salvage. */
  committed?: boolean;
  /** The paths this task's tools were allowed to write: the proposal's commit holds these only. */
  written?: (() => string[]) | undefined;
  /** The work stage in flight, so a cancel can wait for it to stop before salvaging the worktree. */
  inflight?: Promise<unknown>;
  /** The repository the task works in: the coordinator's (shared objects) or this agent's mirror. */
  place?: RepoPlace;
}
