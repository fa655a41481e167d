/** A row of the in-memory database. */
export type Row = Record<string, string | number>;

/** A value bound to a `?` placeholder. */
export type SqlValue = string | number;

type Token = { kind: "word" | "string" | "number" | "param" | "symbol"; text: string };

// The tokens of the tiny SQL subset: words, 'strings' ('' escapes a quote), numbers, ?, and , * =.
const TOKEN =
  /\s*(?:(?<string>'(?:[^']|'')*')|(?<number>-?\d+(?:\.\d+)?)|(?<word>[A-Za-z_][\w]*)|(?<sym>[?,*=]))/y;

function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < sql.trimEnd().length) {
    const m = TOKEN.exec(sql);
    if (!m?.groups) throw new Error(`SQL syntax error near: ${sql.slice(TOKEN.lastIndex)}`);
    const g = m.groups;
    if (g.string !== undefined)
      tokens.push({ kind: "string", text: g.string.slice(1, -1).replaceAll("''", "'") });
    else if (g.number !== undefined) tokens.push({ kind: "number", text: g.number });
    else if (g.word !== undefined) tokens.push({ kind: "word", text: g.word });
    else tokens.push({ kind: g.sym === "?" ? "param" : "symbol", text: g.sym ?? "" });
  }
  return tokens;
}

/** An in-memory table store that answers `SELECT cols FROM t [WHERE c = v [AND|OR c = v]...]`. */
export class MemoryDb {
  private readonly tables = new Map<string, Row[]>();

  /** Adds a row to a table, creating the table on first use. */
  insert(table: string, row: Row): void {
    const rows = this.tables.get(table) ?? [];
    rows.push({ ...row });
    this.tables.set(table, rows);
  }

  /**
   * Runs a SELECT; `?` placeholders take their values from `params`, in order.
   * @param sql - the statement
   * @param params - values for the placeholders
   */
  query(sql: string, params: readonly SqlValue[] = []): Row[] {
    const tokens = tokenize(sql);
    let at = 0;
    let nextParam = 0;
    const take = (): Token => {
      const token = tokens[at++];
      if (!token) throw new Error("SQL syntax error: unexpected end");
      return token;
    };
    const expectWord = (word: string): void => {
      const token = take();
      if (token.kind !== "word" || token.text.toUpperCase() !== word)
        throw new Error(`SQL: expected ${word}`);
    };
    const value = (): SqlValue => {
      const token = take();
      if (token.kind === "param") {
        if (nextParam >= params.length) throw new Error("SQL: missing parameter");
        return params[nextParam++] as SqlValue;
      }
      if (token.kind === "string") return token.text;
      if (token.kind === "number") return Number(token.text);
      throw new Error(`SQL: expected a value, got ${token.text}`);
    };

    expectWord("SELECT");
    const columns: string[] = [];
    do columns.push(take().text);
    while (tokens[at]?.text === "," && take());
    expectWord("FROM");
    const rows = this.tables.get(take().text) ?? [];
    // Conditions combine left to right, without precedence: enough for this demo's queries.
    const conditions: { joiner: string; column: string; expected: SqlValue }[] = [];
    if (at < tokens.length) {
      expectWord("WHERE");
      let joiner = "AND";
      for (;;) {
        const column = take().text;
        if (take().text !== "=") throw new Error("SQL: only = comparisons are supported");
        conditions.push({ joiner, column, expected: value() });
        if (at >= tokens.length) break;
        joiner = take().text.toUpperCase();
        if (joiner !== "AND" && joiner !== "OR") throw new Error(`SQL: unexpected ${joiner}`);
      }
    }
    const keep = (row: Row): boolean =>
      conditions.reduce(
        (acc, c) =>
          c.joiner === "AND" ? acc && row[c.column] === c.expected : acc || row[c.column] === c.expected,
        true,
      );
    const pick = (row: Row): Row =>
      columns[0] === "*" ? { ...row } : Object.fromEntries(columns.map((c) => [c, row[c] ?? ""]));
    return rows.filter(keep).map(pick);
  }
}
