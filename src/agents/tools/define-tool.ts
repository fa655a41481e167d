import { z } from "zod";
import { GuildError } from "../../protocol/index.js";
import type { ToolContext } from "./tool-context.js";
import type { ToolDefinition, ToolResult } from "./types.js";

/** A tool with its implementation; `execute` validates raw model input before running. */
export interface Tool {
  definition: ToolDefinition;
  execute(context: ToolContext, input: unknown): Promise<ToolResult>;
}

function schemaOf(input: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...schema } = z.toJSONSchema(input) as Record<string, unknown>;
  return schema;
}

/** Declares a tool from a zod schema; the JSON Schema for LLM providers is derived from it. */
export function defineTool<S extends z.ZodType>(spec: {
  name: string;
  description: string;
  input: S;
  run(context: ToolContext, input: z.infer<S>): Promise<ToolResult>;
}): Tool {
  const definition: ToolDefinition = {
    name: spec.name,
    description: spec.description,
    input: spec.input,
    jsonSchema: schemaOf(spec.input),
  };
  return {
    definition,
    async execute(context, raw) {
      // Every tool takes an object; text here means the model's arguments were not valid JSON.
      if (typeof raw === "string") {
        throw new GuildError(
          "sandbox.denied",
          `arguments of ${spec.name} are not valid JSON; send one JSON object`,
          { details: { tool: spec.name } },
        );
      }
      const parsed = spec.input.safeParse(raw);
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`);
        throw new GuildError("sandbox.denied", `invalid input for ${spec.name}: ${issues.join("; ")}`, {
          details: { tool: spec.name },
        });
      }
      return spec.run(context, parsed.data);
    },
  };
}

/** Refuses a call in a way the tool set reports to the model and to `onDenied`. */
export function refuse(reason: string, path?: string): GuildError {
  return new GuildError("sandbox.denied", reason, path === undefined ? undefined : { details: { path } });
}
