import { isGuildError, redactText } from "../../protocol/index.js";
import { type SandboxPolicy, sandboxPolicy } from "../../sandbox/index.js";
import { applyPatchTool } from "./apply-patch-tool.js";
import { definitionTool, exportsTool, outlineTool, referencesTool } from "./code-tools.js";
import type { Tool } from "./define-tool.js";
import { listFilesTool, readFileTool, writeFileTool } from "./file-tools.js";
import { finishTool } from "./finish-tool.js";
import { type PeerChannel, peerTools } from "./peer-tools.js";
import { runCommandTool } from "./run-command-tool.js";
import { searchTool } from "./search-tool.js";
import {
  DEFAULT_TOOL_LIMITS,
  type OwnershipCheck,
  type ToolContext,
  type ToolLimits,
} from "./tool-context.js";
import type { ToolSet } from "./types.js";
import { checkWrite, type ForeignWrite } from "./write-check.js";

/** A refused tool call, as reported to the user (the specialist turns it into `tool.denied`). */
export interface ToolDenial {
  tool: string;
  path?: string;
  reason: string;
}

export interface ToolSetOptions {
  /** The task's worktree. */
  workdir: string;
  role: string;
  ownership: OwnershipCheck;
  /** argv prefixes the role may run (`RoleConfig.allowCommands`). */
  allowCommands: readonly (readonly string[])[];
  limits?: Partial<ToolLimits>;
  onDenied?: (denial: ToolDenial) => void;
  /** Directories put first on PATH for commands (e.g. `node_modules/.bin`). */
  extraPath?: readonly string[];
  forceAddIgnored?: boolean;
  /** What a write to another role's path checked by `checkWrite` becomes (the review's `foreignWrites`). */
  foreignWrites?: "change_request" | "reject";
  /** Adds ask_peer and answer_peer, carried by this channel (live coordination). */
  peers?: { channel: PeerChannel; maxQuestions?: number };
  /** How commands are confined; default bubblewrap without network (refused where it cannot run). */
  sandbox?: SandboxPolicy;
  /** Environment names passed on to commands (the role's `env:`). */
  passEnv?: readonly string[];
}

/** Every tool, in the order models see them. */
export const ALL_TOOLS: readonly Tool[] = [
  readFileTool,
  listFilesTool,
  searchTool,
  outlineTool,
  definitionTool,
  referencesTool,
  exportsTool,
  writeFileTool,
  applyPatchTool,
  runCommandTool,
  finishTool,
];

/**
 * The sandboxed tools of one task; `call` never throws for a model's mistake, it answers
 * `{ ok: false, output: reason }` and reports refusals to `onDenied`.
 */
export function createToolSet(options: ToolSetOptions): ToolSet {
  const context: ToolContext = {
    workdir: options.workdir,
    role: options.role,
    ownership: options.ownership,
    allowCommands: options.allowCommands,
    limits: { ...DEFAULT_TOOL_LIMITS, ...options.limits },
    extraPath: options.extraPath ?? [],
    forceAddIgnored: options.forceAddIgnored === true,
    sandbox: options.sandbox ?? sandboxPolicy(undefined),
    passEnv: options.passEnv ?? [],
    written: new Set(),
  };
  // The peer tools come before finish, so a model reads finish last as it does without them.
  const tools = options.peers
    ? [...ALL_TOOLS.slice(0, -1), ...peerTools(options.peers.channel, options.peers.maxQuestions), finishTool]
    : ALL_TOOLS;
  const byName = new Map(tools.map((t) => [t.definition.name, t]));
  const deny = (tool: string, reason: string, path?: string) => {
    options.onDenied?.(path === undefined ? { tool, reason } : { tool, path, reason });
    return { ok: false, output: `refused: ${reason}` };
  };
  const foreign = options.foreignWrites === "reject" ? undefined : new Map<string, ForeignWrite>();
  return {
    checkWrite(path, content) {
      const verdict = checkWrite(context, path, content, foreign);
      if (!verdict.ok) deny("write", verdict.reason, verdict.path);
      return verdict;
    },
    foreignWrites: () => [...(foreign?.values() ?? [])],
    definitions: tools.map((t) => t.definition),
    written: () => [...context.written].sort(),
    confinement: { sandbox: context.sandbox, passEnv: context.passEnv, extraPath: context.extraPath },
    async call(name, input) {
      const tool = byName.get(name);
      if (!tool)
        return deny(
          name,
          `unknown tool ${JSON.stringify(name)}; available: ${[...byName.keys()].join(", ")}`,
        );
      try {
        return await tool.execute(context, input);
      } catch (e) {
        if (isGuildError(e, "sandbox.denied")) {
          const path = typeof e.details?.path === "string" ? e.details.path : undefined;
          return deny(name, e.message, path);
        }
        // File-system and process errors are the model's to see and recover from, not the agent's to crash on.
        const message = e instanceof Error ? e.message.replaceAll(context.workdir, ".") : String(e);
        return { ok: false, output: `error: ${redactText(message)}` };
      }
    },
  };
}
