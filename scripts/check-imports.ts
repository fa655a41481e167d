import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { parseCircular, parseDependencyTree } from "dpdm";

// Enforces docs/ARCHITECTURE.md's room rules: a room imports only from protocol/ and rooms below it,
// agents/ and coordinator/ never import each other, nobody outside bus/ imports @nats-io/*, and no cycles.
// Inside a room split by concern, a part reaches another part only through that part's index.ts.
const LAYERS = [
  "protocol",
  "bus",
  "ownership",
  "git",
  "sandbox",
  "agents",
  "coordinator",
  "dashboard",
  "cli",
] as const;
const SPLIT_ROOMS = new Set(["coordinator"]);
const root = resolve(import.meta.dirname, "..");
const src = join(root, "src");

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? files(full) : full.endsWith(".ts") ? [full] : [];
  });
}

function roomOf(file: string): string {
  return relative(src, file).split("/")[0] ?? "";
}

/** The part of a split room a file is in (its first folder below the room), or "" at the room's top. */
function partOf(file: string): string {
  const parts = relative(src, file).split("/");
  return parts.length > 2 ? (parts[1] ?? "") : "";
}

const problems: string[] = [];
for (const file of files(src)) {
  const room = roomOf(file);
  const text = readFileSync(file, "utf8");
  for (const m of text.matchAll(
    /(?:import|export)[^'"]*?from\s+["']([^"']+)["']|import\(["']([^"']+)["']\)/g,
  )) {
    const spec = m[1] ?? m[2] ?? "";
    if (spec.startsWith("@nats-io/") && room !== "bus") {
      problems.push(`${relative(root, file)}: only src/bus may import ${spec}`);
    }
    if (!spec.startsWith(".")) continue;
    const target = resolve(dirname(file), spec);
    if (!target.startsWith(src)) continue;
    const to = roomOf(target);
    if (to === room && SPLIT_ROOMS.has(room)) {
      const part = partOf(target);
      if (part && part !== partOf(file) && basename(target) !== "index.js") {
        problems.push(
          `${relative(root, file)}: ${room}/${part}/ is reached only through its index.ts (${spec})`,
        );
      }
    }
    if (to === room || to.endsWith(".ts") || room.endsWith(".ts")) continue;
    const from = LAYERS.indexOf(room as (typeof LAYERS)[number]);
    const dest = LAYERS.indexOf(to as (typeof LAYERS)[number]);
    const pair = new Set([room, to]);
    if (pair.has("agents") && pair.has("coordinator")) {
      problems.push(`${relative(root, file)}: agents/ and coordinator/ never import each other (${spec})`);
    } else if (from >= 0 && dest >= 0 && dest > from) {
      problems.push(`${relative(root, file)}: ${room}/ may not import upward from ${to}/ (${spec})`);
    }
  }
}

const tree = await parseDependencyTree(["src/**/*.ts"], {
  context: root,
  transform: true,
  skipDynamicImports: false,
});
for (const cycle of parseCircular(tree)) problems.push(`import cycle: ${cycle.join(" -> ")}`);

if (problems.length > 0) {
  console.error(problems.join("\n"));
  process.exit(1);
}
console.log(`imports ok: ${files(src).length} files, rooms ${LAYERS.join(" < ")}, no cycles`);
