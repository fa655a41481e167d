import { Node, SyntaxKind } from "ts-morph";
import type { RuleContext } from "./security-rule.js";

const RENAMED = /^\s*Renamed to `?([A-Za-z_$][\w$]*)`?/;

/**
 * An exported function whose doc says `@deprecated Renamed to newName` is renamed (with its uses in
 * the file): the rename its owner announced, done. Importers elsewhere are their owners' to adapt.
 */
export function deprecatedRule(ctx: RuleContext): void {
  for (const fn of ctx.sf.getFunctions()) {
    const name = fn.getName();
    if (!name || !fn.isExported()) continue;
    for (const doc of fn.getJsDocs()) {
      const tag = doc.getTags().find((t) => t.getTagName() === "deprecated");
      const to = RENAMED.exec(tag?.getCommentText() ?? "")?.[1];
      if (!tag || !to || to === name) continue;
      if (ctx.sf.getFunction(to) || ctx.sf.getVariableDeclaration(to)) continue;
      const line = fn.getStartLineNumber();
      const uses = ctx.sf.getDescendantsOfKind(SyntaxKind.Identifier).filter((id) => {
        if (id.getText() !== name) return false;
        const parent = id.getParent();
        return !(Node.isPropertyAccessExpression(parent) && parent.getNameNode() === id);
      });
      for (const id of uses.reverse()) id.replaceWithText(to);
      tag.remove();
      ctx.renamed(name, to);
      ctx.report(
        line,
        "deprecated-rename",
        "low",
        `${name} was deprecated as renamed to ${to}; renamed`,
        true,
      );
    }
  }
}
