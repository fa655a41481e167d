import { Node, ts } from "ts-morph";
import type { RuleContext } from "./security-rule.js";

/**
 * A JSX `<iframe>` without `sandbox` runs the framed page's scripts, forms and top navigation with the
 * embedding page's trust; it gets `sandbox=""` (every restriction), which a page that needs more must
 * loosen by name. An iframe with spread props is reported, not changed: its attributes are unknown.
 */
export function iframeRule(ctx: RuleContext): void {
  const tags = [
    ...ctx.sf.getDescendantsOfKind(ts.SyntaxKind.JsxOpeningElement),
    ...ctx.sf.getDescendantsOfKind(ts.SyntaxKind.JsxSelfClosingElement),
  ].filter((tag) => tag.getTagNameNode().getText() === "iframe");
  const inserts: number[] = [];
  for (const tag of tags) {
    const attributes = tag.getAttributes();
    const line = tag.getStartLineNumber();
    if (
      attributes.some((a) => Node.isJsxAttribute(a) && a.getNameNode().getText().toLowerCase() === "sandbox")
    )
      continue;
    if (attributes.some((a) => !Node.isJsxAttribute(a))) {
      ctx.report(
        line,
        "iframe-sandbox",
        "medium",
        "iframe without sandbox (spread props: not changed)",
        false,
      );
      continue;
    }
    inserts.push(tag.getTagNameNode().getEnd());
    ctx.report(line, "iframe-sandbox", "medium", 'iframe without sandbox; added sandbox=""', true);
  }
  // From the end, so each offset still points where it was read.
  for (const at of inserts.sort((a, b) => b - a)) ctx.sf.insertText(at, ' sandbox=""');
}
