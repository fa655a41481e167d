// Run as a child process (with tsx) by the tests skill: imports a module, calls its functions with
// the given arguments, and prints each outcome as source text for an assertion.
import { pathToFileURL } from "node:url";

interface Call {
  fn: string;
  args: unknown[];
}

type Outcome =
  | { kind: "value"; literal: string }
  | { kind: "throws"; message: string }
  | { kind: "unsupported"; reason: string };

/** Source text that evaluates to a value equal (deepStrictEqual) to `value`; undefined when there is none. */
export function toLiteral(value: unknown): string | undefined {
  if (value === undefined) return "undefined";
  if (value === null || typeof value === "boolean" || typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "Number.NaN";
    if (Object.is(value, -0)) return "-0";
    if (!Number.isFinite(value)) return value > 0 ? "Number.POSITIVE_INFINITY" : "Number.NEGATIVE_INFINITY";
    return String(value);
  }
  if (typeof value === "bigint") return `${value}n`;
  if (Array.isArray(value)) {
    const items = value.map(toLiteral);
    return items.every((i) => i !== undefined) ? `[${items.join(", ")}]` : undefined;
  }
  if (typeof value === "object" && [Object.prototype, null].includes(Object.getPrototypeOf(value))) {
    const entries = Object.entries(value).map(([k, v]) => [JSON.stringify(k), toLiteral(v)] as const);
    return entries.every(([, v]) => v !== undefined)
      ? `{ ${entries.map(([k, v]) => `${k}: ${v}`).join(", ")} }`
      : undefined;
  }
  return undefined;
}

async function main(): Promise<void> {
  let input = "";
  for await (const chunk of process.stdin) input += String(chunk);
  const { module, calls } = JSON.parse(input) as { module: string; calls: Call[] };
  const mod = (await import(pathToFileURL(module).href)) as Record<string, unknown>;
  const outcomes: Outcome[] = calls.map(({ fn, args }) => {
    const f = mod[fn];
    if (typeof f !== "function")
      return { kind: "unsupported", reason: `${fn} is not a function at run time` };
    try {
      const literal = toLiteral(f(...args));
      return literal === undefined
        ? { kind: "unsupported", reason: "the result has no literal form" }
        : { kind: "value", literal };
    } catch (error) {
      return { kind: "throws", message: error instanceof Error ? error.message : String(error) };
    }
  });
  process.stdout.write(JSON.stringify(outcomes));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
