import { realpathSync } from "node:fs";
import { relative } from "node:path";
import { Node, SyntaxKind } from "ts-morph";
import { declarationsOf, outlineOf } from "./code-outline.js";
import { projectOf, sourceFileOf } from "./code-project.js";
import type { ToolContext } from "./tool-context.js";
import type { ToolResult } from "./types.js";
import { truncateMiddle, wrapUntrusted } from "./untrusted.js";

const MAX_HITS = 200;

function relOf(context: ToolContext, abs: string): string {
  // ts-morph holds real paths; a worktree under a symlinked temp dir (macOS /tmp) must still yield `src/…`.
  return relative(realpathSync(context.workdir), abs).split("\\").join("/");
}

/** Shows a file's declarations and signatures without bodies. */
export async function runOutline(context: ToolContext, input: { path: string }): Promise<ToolResult> {
  const { file, rel } = sourceFileOf(context, input.path);
  return { ok: true, output: wrapUntrusted(`outline=${rel}`, outlineOf(file) || "(no declarations)") };
}

function findDeclarations(context: ToolContext, symbol: string, path: string | undefined) {
  const files = path ? [sourceFileOf(context, path).file] : projectOf(context).getSourceFiles();
  const [owner, member] = symbol.includes(".") ? symbol.split(".", 2) : [symbol, undefined];
  return files.flatMap((file) =>
    declarationsOf(file)
      .filter((d) => d.name === symbol || (member === undefined && d.name === owner))
      .map((d) => ({ ...d, rel: relOf(context, file.getFilePath()) })),
  );
}

/** Finds where a symbol is declared and shows its full text. */
export async function runDefinition(
  context: ToolContext,
  input: { symbol: string; path?: string | undefined },
): Promise<ToolResult> {
  const found = findDeclarations(context, input.symbol, input.path);
  if (found.length === 0) return { ok: false, output: `no declaration named ${input.symbol}` };
  const text = found
    .slice(0, 10)
    .map((d) => `${d.rel}:${d.startLine}-${d.endLine}\n${d.node.getText()}`)
    .join("\n\n");
  return {
    ok: true,
    output: wrapUntrusted(`definition=${input.symbol}`, truncateMiddle(text, context.limits.maxOutputChars)),
  };
}

/** Lists every reference to a symbol across the worktree. */
export async function runReferences(
  context: ToolContext,
  input: { symbol: string; path?: string | undefined },
): Promise<ToolResult> {
  const [decl] = findDeclarations(context, input.symbol, input.path);
  if (!decl) return { ok: false, output: `no declaration named ${input.symbol}` };
  const nameNode = Node.isVariableStatement(decl.node)
    ? decl.node
        .getDeclarations()
        .find((v) => v.getName() === decl.name)
        ?.getNameNode()
    : decl.node.getFirstChildByKind(SyntaxKind.Identifier);
  if (!nameNode || !Node.isIdentifier(nameNode))
    return { ok: false, output: `cannot resolve ${input.symbol}` };
  const hits = nameNode.findReferencesAsNodes().slice(0, MAX_HITS);
  const lines = hits.map((n) => {
    const file = n.getSourceFile();
    const line = n.getStartLineNumber();
    const text = file.getFullText().split("\n")[line - 1]?.trim() ?? "";
    return `${relOf(context, file.getFilePath())}:${line}: ${text}`;
  });
  return {
    ok: true,
    output: wrapUntrusted(`references=${input.symbol}`, lines.join("\n") || "(no references)"),
  };
}

/** Lists a module's exported API with signatures. */
export async function runExports(context: ToolContext, input: { path: string }): Promise<ToolResult> {
  const { file, rel } = sourceFileOf(context, input.path);
  const lines: string[] = [];
  for (const [name, decls] of file.getExportedDeclarations()) {
    for (const d of decls) {
      const header = d.getText().split("{")[0]?.replace(/\s+/g, " ").trim().slice(0, 200) ?? "";
      const from =
        d.getSourceFile() === file ? "" : ` (from ${relOf(context, d.getSourceFile().getFilePath())})`;
      lines.push(`${name}: ${d.getKindName()} ${header}${from}`);
    }
  }
  return { ok: true, output: wrapUntrusted(`exports=${rel}`, lines.join("\n") || "(no exports)") };
}
