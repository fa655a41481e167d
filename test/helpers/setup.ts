// Node 20 lacks the disposal symbols that `await using` needs; TypeScript/esbuild lower the syntax.
const sym = Symbol as unknown as { asyncDispose?: symbol; dispose?: symbol };
sym.asyncDispose ??= Symbol.for("Symbol.asyncDispose");
sym.dispose ??= Symbol.for("Symbol.dispose");

// Worktrees live under the guild home; tests keep theirs in a temp home of their own, removed afterwards.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";

if (!process.env.GUILD_HOME) {
  const home = mkdtempSync(join(tmpdir(), "guild-home-"));
  process.env.GUILD_HOME = home;
  afterAll(() => rmSync(home, { recursive: true, force: true }));
}
