import { ArbitrationRequestPayload } from "../../../../src/protocol/index.js";

const BASE = 'export function greet(name: string): string {\n  return "Hello " + name;\n}\n';
const OURS = 'export function greet(name: string): string {\n  return "Hello " + escapeHtml(name);\n}\n';
const THEIRS =
  'export function greet(name: string, locale = "en"): string {\n  return translate(locale, "hello", name);\n}\n';

/** The combined file a good judge would write: both the escaping and the locale. */
export const COMBINED =
  'export function greet(name: string, locale = "en"): string {\n  return translate(locale, "hello", escapeHtml(name));\n}\n';

/** A realistic conflict: security escapes a greeting, frontend localises it, on the same line. */
export function conflictRequest(overrides: { oursDiff?: string; theirsRationale?: string } = {}) {
  return ArbitrationRequestPayload.parse({
    goalText: "Localise the greeting and make it safe to render",
    files: ["src/greet.ts"],
    sides: [
      {
        taskId: "t-security",
        role: "security",
        title: "Escape user input in greet",
        rationale: "name is rendered as HTML; unescaped it is an XSS sink",
        diff:
          overrides.oursDiff ??
          '--- a/src/greet.ts\n+++ b/src/greet.ts\n@@ -2 +2 @@\n-  return "Hello " + name;\n+  return "Hello " + escapeHtml(name);\n',
      },
      {
        taskId: "t-frontend",
        role: "frontend",
        title: "Localise greet",
        rationale: overrides.theirsRationale ?? "greetings must follow the user's locale",
        diff: '--- a/src/greet.ts\n+++ b/src/greet.ts\n@@ -1,2 +1,2 @@\n-export function greet(name: string): string {\n-  return "Hello " + name;\n+export function greet(name: string, locale = "en"): string {\n+  return translate(locale, "hello", name);\n',
      },
    ],
    hunks: [
      {
        file: "src/greet.ts",
        ours: '  return "Hello " + escapeHtml(name);',
        theirs: '  return translate(locale, "hello", name);',
        base: '  return "Hello " + name;',
      },
    ],
    contents: [{ path: "src/greet.ts", base: BASE, ours: OURS, theirs: THEIRS }],
  });
}
