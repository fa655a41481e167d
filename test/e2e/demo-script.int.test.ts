import { execFile } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { git } from "../helpers/git-repo.js";
import { startNats } from "../helpers/nats.js";

const root = join(import.meta.dirname, "..", "..");
const run = promisify(execFile);

/** Runs `npm run demo`'s script as a user does (a child process, offline), on a nats-server of the test's own. */
async function runDemo(natsUrl: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, NATS_URL: natsUrl, NO_COLOR: "1" };
  delete env.OPENAI_API_KEY;
  delete env.ANTHROPIC_API_KEY;
  try {
    const { stdout, stderr } = await run(join(root, "node_modules", ".bin", "tsx"), ["scripts/demo.ts"], {
      cwd: root,
      env,
      maxBuffer: 64 * 1024 * 1024,
      timeout: 280_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

describe("npm run demo", () => {
  it("settles a same-lines conflict on a co-owned file with its reason, has a foreign write applied by its owner as a change request, and exits 0 with the tests passing", async () => {
    await using nats = await startNats();
    const demo = await runDemo(nats.url);
    const repo = /demo repository: (\S+)/.exec(demo.stderr)?.[1];
    try {
      expect(demo.code, `${demo.stdout}\n${demo.stderr}`.slice(-4000)).toBe(0);
      const out = demo.stdout;
      expect(out).toMatch(/== goal g-\S+: done/);
      // Frontend and security both changed the iframe's line of src/ui/signup-form.tsx (co-owned, frontend first).
      expect(out).toContain(
        "src/ui/signup-form.tsx: frontend kept over security, by ownership: frontend is the primary owner of src/ui/signup-form.tsx; security is not",
      );
      expect(out).toContain("security redid its work on top of frontend's (attempt 2): merged");
      // Backend's fix of calculator.ts needs src/lib/safe-arithmetic.ts, which security owns.
      expect(out).toContain(
        "backend (backend-security) → security: src/lib/safe-arithmetic.ts: applied by security-1 (src/lib/safe-arithmetic.ts), merged",
      );
      expect(out).toMatch(
        /src\/ui\/signup-form\.tsx: frontend changes line \d+ of src\/ui\/signup-form\.tsx; security changes line \d+/,
      );
      expect(out).toMatch(
        /== tests on the integration branch\n {3}passed \(exit 0\)\n {3}# tests 12\n {3}# pass 12\n {3}# fail 0/,
      );

      // The branch the demo points at holds what the summary says: both fixes of the contested line,
      // and the change request's file from a commit of security's, not backend's.
      const branch = /git diff main\.\.\.(\S+) --stat/.exec(out)?.[1] as string;
      expect(branch).toMatch(/^guild\/g-\S+\.integration$/);
      const form = git(repo as string, "show", `${branch}:src/ui/signup-form.tsx`);
      expect(form).toMatch(/<iframe (?=[^>]*sandbox="")(?=[^>]*title="Terms")[^>]*\/>/);
      const g = (...args: string[]) => git(repo as string, ...args);
      const mergeOf = (taskId: string) =>
        g("log", "--merges", "--format=%H %(trailers:key=Guild-Task,valueonly,separator=)", `main..${branch}`)
          .split("\n")
          .find((l) => l.endsWith(` ${taskId}`))
          ?.split(" ")[0] as string;
      const changedBy = (merge: string) => g("diff", "--name-only", `${merge}^1`, merge).split("\n");
      const request = mergeOf("backend-security-cr-security");
      expect(changedBy(request)).toEqual(["src/lib/safe-arithmetic.ts"]);
      expect(g("log", "-1", "--format=%(trailers:key=Guild-Role,valueonly)", `${request}^2`)).toBe(
        "security",
      );
      expect(changedBy(mergeOf("backend-security"))).not.toContain("src/lib/safe-arithmetic.ts");
    } finally {
      if (repo?.includes("guild-demo-")) rmSync(repo, { recursive: true, force: true });
    }
  }, 300_000);
});
