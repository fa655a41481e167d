import { PlanDraft } from "../../protocol/index.js";
import { balancedEnd } from "../json-scan.js";

/** A model reply read as a plan draft, or why it could not be. */
export type ParsedPlan = { ok: true; draft: PlanDraft } | { ok: false; reason: string };

const FENCE = /```[a-zA-Z]*\s*\n([\s\S]*?)```/;
const MAX_ISSUES = 20;

/**
 * The first balanced JSON object or array in `text` (strings and escapes respected), or undefined.
 * @example firstJsonValue('Sure! {"tasks": []} Done.') === '{"tasks": []}'
 */
export function firstJsonValue(text: string): string | undefined {
  const start = text.search(/[{[]/);
  if (start < 0) return undefined;
  const end = balancedEnd(text, start);
  return end < 0 ? undefined : text.slice(start, end + 1);
}

/**
 * Reads a plan out of a model's text: the contents of a code fence if there is one, else the text;
 * then the first JSON value in it. A bare array of tasks is taken as `{ tasks }`. Never throws.
 */
export function parsePlanReply(text: string): ParsedPlan {
  const body = FENCE.exec(text)?.[1] ?? text;
  const json = firstJsonValue(body) ?? firstJsonValue(text);
  if (json === undefined) return { ok: false, reason: "the reply holds no JSON object" };
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (e) {
    return { ok: false, reason: `the reply's JSON does not parse: ${(e as Error).message}` };
  }
  if (Array.isArray(value)) value = { tasks: value };
  const result = PlanDraft.safeParse(value);
  if (result.success) return { ok: true, draft: result.data };
  const issues = result.error.issues
    .slice(0, MAX_ISSUES)
    .map((i) => `${i.path.map(String).join(".") || "(plan)"}: ${i.message}`);
  return { ok: false, reason: `the plan does not match the schema: ${issues.join("; ")}` };
}
