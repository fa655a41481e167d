import { type JSDoc, Node, Scope } from "ts-morph";

/** What the API reference says about one exported symbol. */
export interface SymbolDoc {
  name: string;
  kind: "function" | "class" | "interface" | "type" | "const" | "enum";
  signature: string;
  description: string;
  params: { name: string; type: string; description: string }[];
  returns?: { type: string; description: string };
  examples: string[];
  line: number;
}

function jsDocsOf(node: Node): JSDoc[] {
  const holder = Node.isVariableDeclaration(node) ? node.getVariableStatement() : node;
  return holder && Node.isJSDocable(holder) ? holder.getJsDocs() : [];
}

function tagText(comment: string | undefined): string {
  return (comment ?? "").replace(/^\s*-\s*/, "").trim();
}

function functionParts(node: Node): { params: SymbolDoc["params"]; returnType: string } | undefined {
  const fn = Node.isVariableDeclaration(node) ? node.getInitializer() : node;
  if (!fn || !(Node.isFunctionDeclaration(fn) || Node.isArrowFunction(fn) || Node.isFunctionExpression(fn)))
    return undefined;
  const params = fn.getParameters().map((p) => ({
    name: `${p.isRestParameter() ? "..." : ""}${p.getName()}${p.hasQuestionToken() || p.hasInitializer() ? "?" : ""}`,
    type: p.getTypeNode()?.getText() ?? p.getType().getText(p),
    description: "",
  }));
  return { params, returnType: fn.getReturnTypeNode()?.getText() ?? fn.getReturnType().getText(fn) };
}

/** Describes one exported declaration from its code and its JSDoc; undefined for kinds not documented. */
export function describeSymbol(name: string, node: Node): SymbolDoc | undefined {
  const docs = jsDocsOf(node);
  const doc: SymbolDoc = {
    name,
    kind: "const",
    signature: "",
    description: docs
      .map((d) => d.getDescription().trim())
      .filter(Boolean)
      .join("\n\n"),
    params: [],
    examples: [],
    line: node.getStartLineNumber(),
  };
  const paramDocs = new Map<string, string>();
  for (const tag of docs.flatMap((d) => d.getTags())) {
    const tagName = tag.getTagName();
    const comment = tag.getCommentText();
    if (Node.isJSDocParameterTag(tag)) paramDocs.set(tag.getName(), tagText(comment));
    else if (tagName === "returns" || tagName === "return")
      doc.returns = { type: "", description: tagText(comment) };
    else if (tagName === "example") doc.examples.push((comment ?? "").trim());
  }
  const fn = functionParts(node);
  if (fn) {
    doc.kind = "function";
    doc.params = fn.params.map((p) => ({
      ...p,
      description: paramDocs.get(p.name.replace(/^\.\.\.|\?$/g, "")) ?? "",
    }));
    doc.signature = `function ${name}(${fn.params.map((p) => `${p.name}: ${p.type}`).join(", ")}): ${fn.returnType}`;
    doc.returns = { type: fn.returnType, description: doc.returns?.description ?? "" };
  } else if (Node.isClassDeclaration(node)) {
    doc.kind = "class";
    const members = node
      .getMethods()
      .filter((m) => m.getScope() !== Scope.Private && !m.getName().startsWith("#"))
      .map(
        (m) =>
          `  ${m.isStatic() ? "static " : ""}${m.getName()}(${m
            .getParameters()
            .map((p) => p.getText())
            .join(", ")})${m.getReturnTypeNode() ? `: ${m.getReturnTypeNode()?.getText()}` : ""}`,
      );
    doc.signature = [`class ${name} {`, ...members, "}"].join("\n");
  } else if (Node.isInterfaceDeclaration(node)) {
    doc.kind = "interface";
    doc.signature = node
      .getText()
      .replace(/\/\*\*[\s\S]*?\*\/\s*/g, "")
      .replace(/^export\s+/, "");
  } else if (Node.isTypeAliasDeclaration(node)) {
    doc.kind = "type";
    doc.signature = `type ${name} = ${node.getTypeNode()?.getText() ?? "unknown"}`;
  } else if (Node.isEnumDeclaration(node)) {
    doc.kind = "enum";
    doc.signature = `enum ${name} { ${node
      .getMembers()
      .map((m) => m.getName())
      .join(", ")} }`;
  } else if (Node.isVariableDeclaration(node)) {
    // Literal types are widened: a constant's value (perhaps a secret) does not belong in the docs.
    const type = node.getType();
    const shown = type.isLiteral() ? type.getBaseTypeOfLiteralType() : type;
    doc.signature = `const ${name}: ${node.getTypeNode()?.getText() ?? shown.getText(node)}`;
  } else {
    return undefined;
  }
  return doc;
}
