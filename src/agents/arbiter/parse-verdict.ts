import { type ArbitrationRequestPayload, ArbitrationVerdict, verdictProblems } from "../../protocol/index.js";
import { balancedEnd } from "../json-scan.js";

/** Longest judge reply read at all; a combine of 50 files of 100k characters fits. */
const MAX_REPLY_CHARS = 6_000_000;

/** A judge's reply read as a verdict: the verdict, or every reason it was refused. */
export type ParsedVerdict = { ok: true; verdict: ArbitrationVerdict } | { ok: false; errors: string[] };

// How many opening braces are tried before giving up, so a hostile reply of braces stays linear-ish.
const MAX_STARTS = 32;

/**
 * The first JSON object in a model's reply, after dropping Markdown code-fence lines; models wrap JSON in
 * fences or prose however they are told. Only whole fence lines go: valid JSON has no raw newline inside
 * a string, so fences within file contents survive. Returns undefined when no balanced object parses.
 * @example extractJsonObject('Sure!\n```json\n{"decision":"pick"}\n```') // { decision: "pick" }
 */
export function extractJsonObject(text: string): unknown {
  const unfenced = text.replace(/^[ \t]*```[A-Za-z0-9_-]*[ \t]*$/gm, "");
  let start = unfenced.indexOf("{");
  for (let tries = 0; start >= 0 && tries < MAX_STARTS; tries++) {
    const end = balancedEnd(unfenced, start);
    if (end >= 0) {
      try {
        const value: unknown = JSON.parse(unfenced.slice(start, end + 1));
        if (value !== null && typeof value === "object" && !Array.isArray(value)) return value;
      } catch {
        // Not JSON (a brace in prose); try the next one.
      }
    }
    start = unfenced.indexOf("{", start + 1);
  }
  return undefined;
}

/** Reads a judge's raw reply: one JSON object, schema-valid, and sound for this request (see `verdictProblems`). */
export function parseVerdict(raw: string, request: ArbitrationRequestPayload): ParsedVerdict {
  if (raw.length > MAX_REPLY_CHARS)
    return { ok: false, errors: [`reply is longer than ${MAX_REPLY_CHARS} characters`] };
  const json = extractJsonObject(raw);
  if (json === undefined)
    return { ok: false, errors: ["reply holds no JSON object; send exactly one JSON object"] };
  const parsed = ArbitrationVerdict.safeParse(json);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((i) => `${i.path.join(".") || "verdict"}: ${i.message}`),
    };
  }
  const problems = verdictProblems(parsed.data, request);
  return problems.length > 0 ? { ok: false, errors: problems } : { ok: true, verdict: parsed.data };
}
