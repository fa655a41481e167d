import { z } from "zod";

/**
 * One export a planned task promises to provide: dependents may start against it before the task merges.
 * `signature` as a declaration reads without `export` and body (`login(user: string): Promise<Session>`);
 * without it only the name is promised.
 */
export const ProvidedExport = z.object({
  path: z.string().min(1).max(1000).describe("the module's repository path"),
  symbol: z.string().min(1).max(200).describe("the exported name"),
  signature: z.string().max(400).optional().describe("e.g. login(user: string): Promise<Session>"),
});
export type ProvidedExport = z.infer<typeof ProvidedExport>;

/** The most exports one task may declare. */
export const MAX_PROVIDES = 20;

export const Provides = z.array(ProvidedExport).max(MAX_PROVIDES);
export type Provides = z.infer<typeof Provides>;

const LINE = /^\s*(?:exports?\s+)?(.+?)\s+from\s+(\S+?)\s*$/i;
const NAME =
  /^(?:(?:export|default|declare|async|function|const|let|var|class|interface|type)\s+)*([A-Za-z_$][\w$]*)/;

/**
 * A contract written as a line of text, the way a planner may say it in prose.
 * @example parseContractLine("exports login(user, password): Promise<Session> from src/lib/auth.ts")
 *   // { path: "src/lib/auth.ts", symbol: "login", signature: "login(user, password): Promise<Session>" }
 */
export function parseContractLine(line: string): ProvidedExport | undefined {
  const m = LINE.exec(line);
  if (!m) return undefined;
  const declaration = (m[1] as string).trim();
  const path = (m[2] as string).replace(/[.,;]+$/, "").replace(/^["'`]+|["'`]+$/g, "");
  const symbol = NAME.exec(declaration)?.[1];
  if (!symbol || !path) return undefined;
  const signature = declaration === symbol ? undefined : declaration;
  return ProvidedExport.parse({ path, symbol, ...(signature ? { signature: signature.slice(0, 400) } : {}) });
}

/** A signature with keywords, spaces and a trailing `;` or `{` left out, so the same shape compares equal. */
export function normalizeSignature(signature: string): string {
  return signature
    .replace(/\b(?:export|default|declare|async|function)\b/g, " ")
    .replace(/^\s*(?:const|let|var)\s+/, "")
    .replace(/[;{]\s*$/, "")
    .replace(/\s+/g, "")
    .replace(/=\((.*)\)/, "($1)");
}

/** Whether an exported signature keeps a declared one (no declared signature: any export of that name does). */
export function signatureKeeps(declared: ProvidedExport, actual: string): boolean {
  if (declared.signature === undefined) return true;
  return normalizeSignature(declared.signature) === normalizeSignature(actual);
}

/** A contract as one line of text, for prompts and notes. */
export function contractText(p: ProvidedExport): string {
  return `exports ${p.signature ?? p.symbol} from ${p.path}`;
}
