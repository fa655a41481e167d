import { readdirSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type Benchmark, formatTable, saveResult } from "./harness.js";

// `npm run bench` runs every bench/*.bench.ts; `npm run bench -- <name>` runs one.
const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2).filter((a) => !a.startsWith("-"));
const files = readdirSync(here)
  .filter((f) => f.endsWith(".bench.ts"))
  .sort();
const benches: Benchmark[] = [];
for (const file of files) {
  const mod = (await import(pathToFileURL(`${here}/${file}`).href)) as { default: Benchmark };
  if (wanted.length === 0 || wanted.includes(mod.default.name)) benches.push(mod.default);
}
if (benches.length === 0) {
  console.error(
    `no benchmark named ${wanted.join(", ")}; have: ${files.map((f) => f.replace(".bench.ts", "")).join(", ")}`,
  );
  process.exit(2);
}
for (const bench of benches) {
  const started = Date.now();
  const result = await bench.run((message) => process.stderr.write(`[${bench.name}] ${message}\n`));
  console.log(formatTable(result));
  console.log(`  (${((Date.now() - started) / 1000).toFixed(1)} s; figures in ${saveResult(result)})\n`);
}
