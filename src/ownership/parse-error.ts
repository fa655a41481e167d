import { GuildError } from "../protocol/index.js";

/** Where and why a rules file could not be read. */
export interface ParseErrorDetails {
  file: string;
  line: number;
  column: number;
  /** The whole offending source line; `column` points into it. */
  text: string;
  expected: string;
}

/** A line a lenient reader skipped: where, the message, and what was expected. */
export interface RuleProblem extends ParseErrorDetails {
  message: string;
}

/** Builds the `ownership.parse` error that every rules reader throws. */
export function ownershipParseError(message: string, details: ParseErrorDetails): GuildError {
  return new GuildError("ownership.parse", `${details.file}:${details.line}:${details.column}: ${message}`, {
    details: { ...details },
  });
}

/** Renders a parse or config error for a terminal: position, message, the text and what was expected. */
export function formatRulesError(error: GuildError<"ownership.parse" | "config.invalid">): string {
  const d = error.details ?? {};
  const lines = [`error[${error.code}]: ${error.message}`];
  if (typeof d.text === "string") lines.push(`  | ${d.text}`);
  if (typeof d.column === "number" && typeof d.text === "string") {
    lines.push(`  | ${" ".repeat(Math.max(0, d.column - 1))}^`);
  }
  if (typeof d.expected === "string") lines.push(`  expected: ${d.expected}`);
  return lines.join("\n");
}
