import { Node, type Type } from "ts-morph";

/** A JSON value the tests skill passes to a function under test. */
export type Sample = string | number | boolean | null | Sample[] | { [key: string]: Sample };

const STRINGS: Sample[] = ["", "Hello World", "  a-b_c 42 ", "Crème brûlée", "ada@example.com"];
const NUMBERS: Sample[] = [0, 1, -2.5, 42, 1999];
const BOOLEANS: Sample[] = [true, false];

/**
 * Sample values for a parameter type: strings, numbers, booleans, literals, unions, arrays and
 * plain object shapes; undefined when the type is something the skill cannot make up (a class, a function).
 */
export function samplesFor(type: Type, at: Node, depth = 0): Sample[] | undefined {
  if (depth > 3) return undefined;
  if (type.isStringLiteral() || type.isNumberLiteral()) return [type.getLiteralValue() as string | number];
  if (type.isBooleanLiteral()) return [type.getText() === "true"];
  if (type.isString()) return [...STRINGS, ...literalsNear(at)];
  if (type.isNumber()) return NUMBERS;
  if (type.isBoolean()) return BOOLEANS;
  if (type.isNull()) return [null];
  if (type.isUnion()) {
    const parts = type.getUnionTypes().filter((t) => !t.isUndefined());
    const all: Sample[] = [];
    for (const part of parts) {
      // A member no value can be made for (`string | TemplateStringsArray`) leaves the others to test.
      const samples = samplesFor(part, at, depth + 1);
      if (!samples) continue;
      for (const s of samples) if (!all.some((x) => JSON.stringify(x) === JSON.stringify(s))) all.push(s);
    }
    return all.length > 0 ? all : undefined;
  }
  if (type.isArray()) {
    const element = type.getArrayElementType();
    const items = element ? samplesFor(element, at, depth + 1) : undefined;
    if (!items) return undefined;
    return [[], items.slice(0, 3)];
  }
  if (
    type.isObject() &&
    type.getCallSignatures().length === 0 &&
    !type.isClass() &&
    type.getConstructSignatures().length === 0
  ) {
    const props = type.getProperties();
    // Records, maps and other library types have methods or index signatures we cannot fill meaningfully.
    if (props.length === 0 || type.getStringIndexType() || type.getNumberIndexType()) return undefined;
    const fields: [string, Sample[]][] = [];
    for (const prop of props) {
      const propType = prop.getTypeAtLocation(at);
      if (propType.getCallSignatures().length > 0) return undefined;
      const samples = samplesFor(propType, at, depth + 1);
      if (!samples) return undefined;
      fields.push([prop.getName(), samples]);
    }
    return [0, 1, 2].map((i) =>
      Object.fromEntries(fields.map(([k, s]) => [k, s[(i + 1) % s.length] as Sample])),
    );
  }
  return undefined;
}

/**
 * String literals the enclosing function itself uses (its keywords, separators, the characters it treats
 * specially), a few of them, so the recorded calls reach its branches.
 */
function literalsNear(at: Node): Sample[] {
  const fn = at.getFirstAncestor(
    (n) => Node.isFunctionDeclaration(n) || Node.isArrowFunction(n) || Node.isFunctionExpression(n),
  );
  if (!fn) return [];
  const found: Sample[] = [];
  for (const literal of fn.getDescendants()) {
    if (!Node.isStringLiteral(literal) && !Node.isNoSubstitutionTemplateLiteral(literal)) continue;
    const text = literal.getLiteralText();
    if (text !== "" && !STRINGS.includes(text) && !found.includes(text)) found.push(text);
    if (found.length >= 4) break;
  }
  return found;
}

/** Argument lists for one function: the i-th case takes sample (i + j) of parameter j, so values mix. */
export function casesFor(params: readonly Sample[][]): Sample[][] {
  if (params.length === 0) return [[]];
  const count = Math.max(3, ...params.map((p) => p.length));
  return Array.from({ length: count }, (_, i) =>
    params.map((samples, j) => samples[(i + j) % samples.length] as Sample),
  );
}
