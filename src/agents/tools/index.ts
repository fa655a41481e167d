export { applyPatchTool, pathsOfPatch } from "./apply-patch-tool.js";
export type { Declaration } from "./code-outline.js";
export { definitionTool, exportsTool, outlineTool, referencesTool } from "./code-tools.js";
export { ALL_TOOLS, createToolSet, type ToolDenial, type ToolSetOptions } from "./create-tool-set.js";
export { defineTool, refuse, type Tool } from "./define-tool.js";
export { listFilesTool, readFileTool, writeFileTool } from "./file-tools.js";
export { finishTool } from "./finish-tool.js";
export { DEFAULT_MAX_QUESTIONS, type PeerChannel, peerTools } from "./peer-tools.js";
export { commandEnv, isAllowedCommand, runCommandTool } from "./run-command-tool.js";
export { type ResolvedPath, resolveInWorktree } from "./sandbox-path.js";
export { searchTool } from "./search-tool.js";
export {
  DEFAULT_TOOL_LIMITS,
  type OwnershipCheck,
  type ToolContext,
  type ToolLimits,
} from "./tool-context.js";
export type { Confinement, ToolDefinition, ToolResult, ToolSet } from "./types.js";
export { isWrappedUntrusted, truncateMiddle, wrapUntrusted } from "./untrusted.js";
export { checkWrite, type ForeignWrite, type WriteCheck } from "./write-check.js";
export { guardWrite } from "./write-guard.js";
