import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** One row of a benchmark's table. */
export interface BenchRow {
  metric: string;
  value: number;
  unit: string;
  /** Against the baseline run in the same process, where there is one. */
  ratio?: number;
  target?: string;
  /** Whether the figure meets its target, where it has one. */
  ok?: boolean;
}

export interface BenchResult {
  name: string;
  description: string;
  rows: BenchRow[];
  notes?: string[];
}

/** A benchmark: `bench/<name>.bench.ts` exports one as default. */
export interface Benchmark {
  name: string;
  description: string;
  run(progress: (message: string) => void): Promise<BenchResult>;
}

const resultsDir = join(dirname(fileURLToPath(import.meta.url)), "results");

export function formatTable(result: BenchResult): string {
  const header = ["metric", "value", "unit", "ratio", "target", "ok"];
  const rows = result.rows.map((r) => [
    r.metric,
    formatNumber(r.value),
    r.unit,
    r.ratio === undefined ? "" : `${formatNumber(r.ratio)}x`,
    r.target ?? "",
    r.ok === undefined ? "" : r.ok ? "yes" : "NO",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ");
  return [
    `## ${result.name} — ${result.description}`,
    line(header),
    line(widths.map((w) => "-".repeat(w))),
    ...rows.map(line),
    ...(result.notes ?? []).map((n) => `  ${n}`),
  ].join("\n");
}

export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Math.abs(n) >= 1000) return Math.round(n).toLocaleString("en-US");
  if (Math.abs(n) >= 10) return n.toFixed(1);
  return n.toFixed(3);
}

/** Writes `bench/results/<name>.json` (git-ignored). */
export function saveResult(result: BenchResult): string {
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `${result.name}.json`);
  writeFileSync(file, `${JSON.stringify({ ...result, time: new Date().toISOString() }, null, 2)}\n`);
  return file;
}

/** Percentile of a sorted-or-not list of numbers (nearest rank). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}
