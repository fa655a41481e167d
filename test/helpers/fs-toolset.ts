import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, normalize } from "node:path";
import { z } from "zod";
import type { ToolDefinition, ToolResult, ToolSet } from "../../src/agents/tools/types.js";

const WriteInput = z.object({ path: z.string().min(1), content: z.string() });
const ReadInput = z.object({ path: z.string().min(1) });
const FinishInput = z.object({ summary: z.string().min(1) });

function definition<I>(name: string, description: string, input: z.ZodType<I>): ToolDefinition {
  return {
    name,
    description,
    input: input as z.ZodType<unknown>,
    jsonSchema: z.toJSONSchema(input) as Record<string, unknown>,
  };
}

/**
 * A small real ToolSet over a directory: `read_file`, `write_file` (confined to the dir and to
 * `writable` prefixes when given) and `finish`; it records every call for assertions.
 */
export function fsToolSet(root: string, options: { writable?: readonly string[] } = {}) {
  const calls: { name: string; input: unknown; result: ToolResult }[] = [];
  let finished: string | undefined;
  const confine = (path: string): string | undefined => {
    const rel = normalize(path);
    return isAbsolute(rel) || rel.startsWith("..") ? undefined : rel;
  };
  const handlers: Record<string, (input: unknown) => ToolResult> = {
    read_file(raw) {
      const rel = confine(ReadInput.parse(raw).path);
      if (!rel) return { ok: false, output: "path escapes the worktree" };
      return { ok: true, output: readFileSync(join(root, rel), "utf8") };
    },
    write_file(raw) {
      const input = WriteInput.parse(raw);
      const rel = confine(input.path);
      if (!rel) return { ok: false, output: `refused: ${input.path} escapes the worktree` };
      if (options.writable && !options.writable.some((p) => rel.startsWith(p))) {
        return { ok: false, output: `refused: ${rel} is not owned by this role` };
      }
      mkdirSync(dirname(join(root, rel)), { recursive: true });
      writeFileSync(join(root, rel), input.content);
      return { ok: true, output: `wrote ${rel} (${input.content.length} chars)` };
    },
    finish(raw) {
      finished = FinishInput.parse(raw).summary;
      return { ok: true, output: "finished", finished: { summary: finished } };
    },
  };
  const tools: ToolSet = {
    definitions: [
      definition("read_file", "Read a file", ReadInput),
      definition("write_file", "Write a whole file", WriteInput),
      definition("finish", "End the task", FinishInput),
    ],
    async call(name, input) {
      const handler = handlers[name];
      const result = handler ? handler(input) : { ok: false, output: `unknown tool ${name}` };
      calls.push({ name, input, result });
      return result;
    },
  };
  return { tools, calls, finished: () => finished };
}
