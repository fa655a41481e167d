import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import {
  lintOwnership,
  OwnershipMatcher,
  parseCodeowners,
  plainScanLastMatch,
} from "../src/ownership/index.js";
import { GuildConfig } from "../src/protocol/index.js";
import type { Benchmark, BenchRow } from "./harness.js";

const RULES = 2_000;
const PATHS = 100_000;
// The plain scan tests all 2,000 rules per path, so it runs on a sample; lookups/s are comparable.
const SCAN_SAMPLE = 5_000;

/** Deterministic PRNG (mulberry32) so every run measures the same rules and paths. */
export function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TOPS = ["apps", "packages", "services", "libs", "tools", "docs", "infra", "scripts"];
const SUBS = [
  "src",
  "test",
  "lib",
  "components",
  "api",
  "migrations",
  "fixtures",
  "__snapshots__",
  "utils",
  "config",
];
const EXTS = ["ts", "tsx", "js", "json", "md", "go", "py", "rs", "yaml", "css", "sql", "sh", "proto", "html"];

export function generate(random: () => number, count = RULES) {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const name = () =>
    `${pick(["core", "web", "auth", "billing", "search", "data", "ui", "edge"])}-${Math.floor(random() * 250)}`;
  const owner = () => (random() < 0.05 ? "" : ` @org/team-${Math.floor(random() * 40)}`);
  const lines = ["* @org/default"];
  while (lines.length < count) {
    const r = random();
    const top = pick(TOPS);
    let pattern: string;
    if (r < 0.5) pattern = `/${top}/${name()}/`;
    else if (r < 0.6) pattern = `/${top}/${name()}/${pick(SUBS)}/**`;
    else if (r < 0.68) pattern = random() < 0.5 ? `*.${pick(EXTS)}` : `*.test.${pick(EXTS)}`;
    else if (r < 0.76) pattern = `**/${pick(SUBS)}`;
    else if (r < 0.84) pattern = `/${top}/*/${pick(SUBS)}/`;
    else if (r < 0.92) pattern = `/${top}/${name()}/*.${pick(EXTS)}`;
    else if (r < 0.97) pattern = `${pick(SUBS)}/`;
    // Patterns no index can key on (one regex test each per lookup), distinct so none dedupes.
    else pattern = `${pick(["*-", "?", "*."])}${name()}${pick(["*", ".*", ""])}`;
    lines.push(`${pattern}${owner()}`);
  }
  const paths: string[] = [];
  for (let i = 0; i < PATHS; i++) {
    const depth = Math.floor(random() * 4);
    const dirs = [pick(TOPS), name(), ...Array.from({ length: depth }, () => pick(SUBS))];
    const file = `${pick(["index", "main", "util", "handler", "view", "model"])}${random() < 0.2 ? ".test" : ""}.${pick(EXTS)}`;
    paths.push([...dirs, file].join("/"));
  }
  return { text: `${lines.join("\n")}\n`, paths };
}

function exposeGc(): (() => void) | undefined {
  try {
    setFlagsFromString("--expose-gc");
    return runInNewContext("gc") as () => void;
  } catch {
    return undefined;
  }
}

/** Milliseconds `guild owners lint` takes on `count` generated rules over `files` (best of three). */
function lintMs(count: number, files: readonly string[]): number {
  const matcher = new OwnershipMatcher(
    parseCodeowners(generate(prng(count), count).text, "CODEOWNERS"),
    GuildConfig.parse({}),
  );
  return Math.min(
    ...[0, 1, 2].map(() => {
      const started = process.hrtime.bigint();
      lintOwnership(matcher, files);
      return Number(process.hrtime.bigint() - started) / 1e6;
    }),
  );
}

function lookupsPerSecond(paths: readonly string[], lookup: (path: string) => unknown): number {
  const started = process.hrtime.bigint();
  for (const path of paths) lookup(path);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return paths.length / seconds;
}

const benchmark: Benchmark = {
  name: "ownership",
  description: `ownerOf for ${RULES.toLocaleString("en-US")} CODEOWNERS rules over ${PATHS.toLocaleString("en-US")} paths, vs a plain last-match-wins scan`,
  async run(progress) {
    const { text, paths } = generate(prng(42));
    const gc = exposeGc();
    gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const compileStarted = process.hrtime.bigint();
    const rules = parseCodeowners(text, "CODEOWNERS");
    const matcher = new OwnershipMatcher(rules, GuildConfig.parse({}));
    const compileMs = Number(process.hrtime.bigint() - compileStarted) / 1e6;
    gc?.();
    const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
    progress(`compiled ${matcher.rules.length} rules in ${compileMs.toFixed(1)} ms`);

    const sample = paths.slice(0, SCAN_SAMPLE);
    let mismatches = 0;
    for (const path of sample) {
      if (plainScanLastMatch(matcher.rules, path)?.index !== matcher.explain(path).rule?.index) mismatches++;
    }
    // Warm both paths up before timing, then take the better of three runs of each.
    lookupsPerSecond(sample, (p) => plainScanLastMatch(matcher.rules, p));
    lookupsPerSecond(paths, (p) => matcher.ownerOf(p));
    const scan = Math.max(
      ...[0, 1, 2].map(() => lookupsPerSecond(sample, (p) => plainScanLastMatch(matcher.rules, p))),
    );
    progress(`plain scan: ${Math.round(scan)} lookups/s`);
    const compiled = Math.max(...[0, 1, 2].map(() => lookupsPerSecond(paths, (p) => matcher.ownerOf(p))));
    progress(`compiled: ${Math.round(compiled)} lookups/s`);
    const ratio = compiled / scan;
    // Lint over the same files for both sizes, so the ratio is what ten times the rules costs.
    const lintFiles = paths.slice(0, 10_000);
    const lint1k = lintMs(1_000, lintFiles);
    const lint10k = lintMs(10_000, lintFiles);
    progress(`owners lint: ${lint1k.toFixed(0)} ms for 1,000 rules, ${lint10k.toFixed(0)} ms for 10,000`);
    const lintRatio = lint10k / lint1k;
    const rows: BenchRow[] = [
      {
        metric: "compiled ownerOf",
        value: compiled,
        unit: "lookups/s",
        ratio,
        target: ">= 20x",
        ok: ratio >= 20,
      },
      { metric: "plain last-match-wins scan", value: scan, unit: "lookups/s", ratio: 1 },
      { metric: "parse + compile", value: compileMs, unit: "ms" },
      { metric: "owners lint, 1,000 rules", value: lint1k, unit: "ms", ratio: 1 },
      {
        metric: "owners lint, 10,000 rules",
        value: lint10k,
        unit: "ms",
        ratio: lintRatio,
        // Ten times the rules: near-linear is about 10x; a quadratic check would be about 100x.
        target: "<= 20x",
        ok: lintRatio <= 20,
      },
      ...(gc
        ? [{ metric: "compiled rules heap", value: heapMb, unit: "MB", target: "< 50 MB", ok: heapMb < 50 }]
        : []),
      {
        metric: "disagreements with the scan",
        value: mismatches,
        unit: `of ${SCAN_SAMPLE} paths`,
        target: "0",
        ok: mismatches === 0,
      },
    ];
    return {
      name: "ownership",
      description: benchmark.description,
      rows,
      notes: [
        `${paths.length.toLocaleString("en-US")} generated paths timed for the compiled matcher, ${SCAN_SAMPLE.toLocaleString("en-US")} for the scan`,
        gc
          ? "heap measured with gc() before and after parse + compile"
          : "gc not available: heap figure omitted",
      ],
    };
  },
};

export default benchmark;
