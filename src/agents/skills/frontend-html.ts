import { type AttributeFix, a11yFixes } from "./a11y-fixes.js";

/** Where an attribute goes in the text, and what it fixes. */
export interface HtmlEdit {
  /** Offset to insert at: just after the tag name. */
  at: number;
  line: number;
  fix: AttributeFix;
}

const TAG =
  /<!--[\s\S]*?-->|<(script|style)\b[\s\S]*?<\/\1\s*>|<(\/?)([a-zA-Z][\w-]*)((?:\s+[^\s=>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>"']+))?)*)\s*\/?>/g;
const ATTR = /([^\s=>/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?/g;

function parseAttrs(text: string): Map<string, string | undefined> {
  const attrs = new Map<string, string | undefined>();
  for (const m of text.matchAll(ATTR)) attrs.set((m[1] ?? "").toLowerCase(), m[2] ?? m[3] ?? m[4]);
  return attrs;
}

/** Finds accessibility problems in an HTML document: img alt, button type, unlabelled fields. */
export function htmlA11yEdits(html: string): HtmlEdit[] {
  const labelledIds = new Set<string>();
  for (const m of html.matchAll(/<label\b[^>]*\bfor\s*=\s*["']?([^"'\s>]+)/gi)) labelledIds.add(m[1] ?? "");
  const edits: HtmlEdit[] = [];
  let formDepth = 0;
  let labelDepth = 0;
  for (const m of html.matchAll(TAG)) {
    const tag = m[3];
    if (!tag) continue;
    const name = tag.toLowerCase();
    const closing = m[2] === "/";
    if (name === "form") formDepth += closing ? -1 : 1;
    if (name === "label") labelDepth += closing ? -1 : 1;
    if (closing) continue;
    const attrs = parseAttrs(m[4] ?? "");
    const labelled = labelDepth > 0 || labelledIds.has(attrs.get("id") ?? "\u0000");
    const at = (m.index ?? 0) + 1 + tag.length;
    const line = html.slice(0, at).split("\n").length;
    for (const fix of a11yFixes(name, attrs, formDepth > 0, labelled)) edits.push({ at, line, fix });
  }
  return edits;
}

/** Applies edits as ` attr="value"` insertions, from the end so offsets stay valid. */
export function applyHtmlEdits(html: string, edits: readonly HtmlEdit[]): string {
  let out = html;
  for (const edit of [...edits].sort((a, b) => b.at - a.at)) {
    const value = edit.fix.value.replace(/&/g, "&amp;").replace(/"/g, "&quot;");
    out = `${out.slice(0, edit.at)} ${edit.fix.attribute}="${value}"${out.slice(edit.at)}`;
  }
  return out;
}
