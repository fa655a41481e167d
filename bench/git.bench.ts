import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createWorkspace, detectConflicts, removeWorkspace } from "../src/git/index.js";
import { type Benchmark, percentile } from "./harness.js";

const FILES = 20_000;
const DIRS = 200;
const PROPOSALS = 50;
const RUNS = 3;

const env = {
  ...process.env,
  GIT_AUTHOR_NAME: "bench",
  GIT_AUTHOR_EMAIL: "b@x",
  GIT_COMMITTER_NAME: "bench",
  GIT_COMMITTER_EMAIL: "b@x",
};
const git = (cwd: string, args: string[], input?: string) =>
  execFileSync("git", args, { cwd, env, input, encoding: "utf8", maxBuffer: 1 << 28 }).trim();

function data(text: string): string {
  return `data ${Buffer.byteLength(text)}\n${text}\n`;
}

const fileText = (d: number, f: number, tag = "") =>
  Array.from({ length: 12 }, (_, l) => `// pkg${d} file${f} line ${l}${l === 6 ? tag : ""}`).join("\n") +
  "\n";

// fast-import writes 20,000 files in one process in about a second; `git add` would dominate the run.
function generateRepo(dir: string): string {
  git(dir, ["init", "-q", "-b", "main"]);
  const per = FILES / DIRS;
  let stream = `commit refs/heads/main\nmark :1\ncommitter bench <b@x> 1700000000 +0000\n${data("generated")}`;
  for (let d = 0; d < DIRS; d++) {
    for (let f = 0; f < per; f++) stream += `M 100644 inline pkg${d}/file${f}.ts\n${data(fileText(d, f))}`;
  }
  stream += `M 100644 inline shared/common.ts\n${data(`${Array.from({ length: 200 }, (_, l) => `common ${l}`).join("\n")}\n`)}`;
  // 50 proposals: each changes files of its own package; every third also edits one shared file,
  // at a line of its own (mergeable) or, for a few, at the same line (conflicting).
  for (let p = 0; p < PROPOSALS; p++) {
    stream += `commit refs/proposals/p${p}\ncommitter bench <b@x> 1700000100 +0000\n${data(`proposal ${p}`)}from :1\n`;
    for (let f = 0; f < 10; f++)
      stream += `M 100644 inline pkg${p}/file${f}.ts\n${data(fileText(p, f, ` changed by p${p}`))}`;
    if (p % 3 === 0) {
      const lines = Array.from({ length: 200 }, (_, l) => `common ${l}`);
      const at = p % 9 === 0 ? 100 : (p * 3) % 200;
      lines[at] = `common ${at} edited by p${p}`;
      stream += `M 100644 inline shared/common.ts\n${data(`${lines.join("\n")}\n`)}`;
    }
  }
  git(dir, ["fast-import", "--quiet"], stream);
  git(dir, ["reset", "-q", "--hard", "main"]);
  return git(dir, ["rev-parse", "main"]);
}

async function time<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const value = await fn();
  return [performance.now() - started, value];
}

const bench: Benchmark = {
  name: "git",
  description: `workspaces and conflict detection on a generated repository of ${FILES.toLocaleString("en-US")} files`,
  async run(progress) {
    const dir = mkdtempSync(join(tmpdir(), "guild-bench-git-"));
    try {
      progress("generating repository");
      const base = generateRepo(dir);
      const full: number[] = [];
      const sparse: number[] = [];
      for (let r = 0; r < RUNS; r++) {
        progress(`workspaces, run ${r + 1}/${RUNS}`);
        const [tf, wf] = await time(() =>
          createWorkspace({ repoDir: dir, goalId: "bench", taskId: `full${r}`, baseCommit: base }),
        );
        full.push(tf);
        const [ts, ws] = await time(() =>
          createWorkspace({
            repoDir: dir,
            goalId: "bench",
            taskId: `sparse${r}`,
            baseCommit: base,
            sparse: [`/pkg${r}/`, "/shared/", "/package.json"],
          }),
        );
        sparse.push(ts);
        await removeWorkspace(wf, { salvage: false });
        await removeWorkspace(ws, { salvage: false });
      }
      progress("conflict detection");
      const proposals = Array.from({ length: PROPOSALS }, (_, p) => ({
        id: `p${p}`,
        base,
        head: git(dir, ["rev-parse", `refs/proposals/p${p}`]),
      }));
      const [tc, report] = await time(() => detectConflicts(dir, proposals));
      const fullMs = percentile(full, 50);
      const sparseMs = percentile(sparse, 50);
      const ratio = sparseMs / fullMs;
      const perPair = tc / Math.max(1, report.pairsCompared);
      return {
        name: "git",
        description: bench.description,
        rows: [
          { metric: "create full workspace (median)", value: fullMs, unit: "ms" },
          {
            metric: "create sparse workspace (median)",
            value: sparseMs,
            unit: "ms",
            ratio,
            target: "< 0.2x",
            ok: ratio < 0.2,
          },
          { metric: `conflict detection, ${PROPOSALS} proposals`, value: tc, unit: "ms" },
          { metric: "pairs merged", value: report.pairsCompared, unit: "pairs" },
          { metric: "pairs skipped (no shared file)", value: report.pairsSkipped, unit: "pairs" },
          { metric: "time per pair merged", value: perPair, unit: "ms" },
          { metric: "conflicting pairs", value: report.conflicts.length, unit: "pairs" },
        ],
        notes: [
          `full: ${full.map((t) => t.toFixed(0)).join(", ")} ms; sparse: ${sparse.map((t) => t.toFixed(0)).join(", ")} ms`,
          `sparse checks out ~${FILES / DIRS + 1} of ${FILES + 1} files; pairs merged in parallel (8 at a time)`,
        ],
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default bench;
