import { Node, type SourceFile, ts } from "ts-morph";
import { a11yFixes } from "./a11y-fixes.js";
import type { HtmlEdit } from "./frontend-html.js";

type JsxTag = import("ts-morph").JsxOpeningElement | import("ts-morph").JsxSelfClosingElement;

function attributesOf(tag: JsxTag): Map<string, string | undefined> | undefined {
  const attrs = new Map<string, string | undefined>();
  for (const attr of tag.getAttributes()) {
    // With a spread we cannot know which attributes arrive, so the element is left alone.
    if (!Node.isJsxAttribute(attr)) return undefined;
    const init = attr.getInitializer();
    const value = init && Node.isStringLiteral(init) ? init.getLiteralText() : undefined;
    const name = attr.getNameNode().getText();
    attrs.set(name === "htmlFor" ? "for" : name.toLowerCase(), value);
  }
  return attrs;
}

function insideElement(node: Node, name: string): boolean {
  return node
    .getAncestors()
    .some((a) => Node.isJsxElement(a) && a.getOpeningElement().getTagNameNode().getText() === name);
}

/** Finds accessibility problems in the JSX of a TSX file; the edits use offsets into its text. */
export function tsxA11yEdits(sf: SourceFile): HtmlEdit[] {
  const tags: JsxTag[] = [
    ...sf.getDescendantsOfKind(ts.SyntaxKind.JsxOpeningElement),
    ...sf.getDescendantsOfKind(ts.SyntaxKind.JsxSelfClosingElement),
  ];
  const labelledIds = new Set<string>();
  for (const tag of tags) {
    if (tag.getTagNameNode().getText() === "label") {
      const target = attributesOf(tag)?.get("for");
      if (target) labelledIds.add(target);
    }
  }
  const edits: HtmlEdit[] = [];
  for (const tag of tags) {
    const name = tag.getTagNameNode().getText();
    // Capitalised names are components; their props are not DOM attributes.
    if (!/^[a-z]/.test(name)) continue;
    const attrs = attributesOf(tag);
    if (!attrs) continue;
    const labelled = insideElement(tag, "label") || labelledIds.has(attrs.get("id") ?? "\u0000");
    const at = tag.getTagNameNode().getEnd();
    for (const fix of a11yFixes(name, attrs, insideElement(tag, "form"), labelled)) {
      edits.push({ at, line: tag.getStartLineNumber(), fix });
    }
  }
  return edits.sort((a, b) => a.at - b.at);
}
