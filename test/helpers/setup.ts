// Node 20 lacks the disposal symbols that `await using` needs; TypeScript/esbuild lower the syntax.
const sym = Symbol as unknown as { asyncDispose?: symbol; dispose?: symbol };
sym.asyncDispose ??= Symbol.for("Symbol.asyncDispose");
sym.dispose ??= Symbol.for("Symbol.dispose");
