import { z } from "zod";
import { defineTool } from "./define-tool.js";

// The implementations need ts-morph and the TypeScript compiler (tens of MB); they load on the first
// call, so an agent that never reads code through these tools never carries them.
const impl = () => import("./code-tools-run.js");

/** Shows a file's declarations and signatures without bodies. */
export const outlineTool = defineTool({
  name: "outline",
  description:
    "Outline a TypeScript/JavaScript file: its declarations with line ranges and signatures, no bodies.",
  input: z.object({ path: z.string().min(1) }),
  run: async (context, input) => (await impl()).runOutline(context, input),
});

/** Finds where a symbol is declared and shows its full text. */
export const definitionTool = defineTool({
  name: "find_definition",
  description:
    "Find the declaration of a symbol (`name` or `Class.member`), optionally in one file; shows its code.",
  input: z.object({ symbol: z.string().min(1).max(200), path: z.string().min(1).optional() }),
  run: async (context, input) => (await impl()).runDefinition(context, input),
});

/** Lists every reference to a symbol across the worktree. */
export const referencesTool = defineTool({
  name: "find_references",
  description:
    "List references to a symbol (`name` or `Class.member`) across the repository, as file:line: text.",
  input: z.object({ symbol: z.string().min(1).max(200), path: z.string().min(1).optional() }),
  run: async (context, input) => (await impl()).runReferences(context, input),
});

/** Lists a module's exported API with signatures. */
export const exportsTool = defineTool({
  name: "module_exports",
  description: "List the exported API of a module: each exported name with its kind and signature.",
  input: z.object({ path: z.string().min(1) }),
  run: async (context, input) => (await impl()).runExports(context, input),
});
