import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { z } from "zod";
import { forceAddPath, gitCommand } from "../../git/index.js";
import { defineTool, refuse } from "./define-tool.js";
import { truncateMiddle } from "./untrusted.js";
import { guardWrite } from "./write-guard.js";

const HEADER = /^(?:--- |\+\+\+ |rename from |rename to |copy from |copy to )(.+)$/;
const DIFF_GIT = /^diff --git a\/(.+) b\/(.+)$/;

function stripPrefix(raw: string): string | undefined {
  const path = raw.replace(/\t.*$/, "").trim();
  if (path === "/dev/null") return undefined;
  return path.replace(/^"|"$/g, "").replace(/^[ab]\//, "");
}

/** The paths a unified diff touches, taken from every header that names one. */
export function pathsOfPatch(patch: string): string[] {
  const paths = new Set<string>();
  for (const line of patch.split("\n")) {
    const git = DIFF_GIT.exec(line);
    if (git) {
      for (const p of [git[1], git[2]]) if (p) paths.add(p);
      continue;
    }
    const header = HEADER.exec(line);
    if (header?.[1]) {
      const path =
        line.startsWith("---") || line.startsWith("+++") ? stripPrefix(header[1]) : header[1].trim();
      if (path) paths.add(path);
    }
  }
  return [...paths];
}

// guild's own git: a clean filter or fsmonitor the repository's config names must not run as the agent's patch lands.
async function gitApply(
  cwd: string,
  patch: string,
  timeoutMs: number,
): Promise<{ code: number; output: string }> {
  const { args, env } = await gitCommand(cwd, ["apply", "--recount", "--whitespace=nowarn", "-"]);
  return new Promise((resolve, reject) => {
    const child = spawn("git", args, {
      cwd,
      env,
      timeout: timeoutMs,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
    child.stdin.end(patch);
  });
}

/** Applies a unified diff after checking every path it names against the sandbox and ownership. */
export const applyPatchTool = defineTool({
  name: "apply_patch",
  description: "Apply a unified diff (git format, paths a/… b/…) to files your role owns.",
  input: z.object({ patch: z.string().min(1) }),
  async run(context, input) {
    const bytes = Buffer.byteLength(input.patch, "utf8");
    if (bytes > context.limits.maxFileBytes) {
      throw refuse(`patch is ${bytes} bytes, over the ${context.limits.maxFileBytes}-byte limit`);
    }
    if (/^(?:new file mode|new mode|old mode) 120000/m.test(input.patch)) {
      throw refuse("patches that create symlinks are refused");
    }
    if (/^GIT binary patch/m.test(input.patch)) throw refuse("binary patches are refused");
    const paths = pathsOfPatch(input.patch);
    if (paths.length === 0) throw refuse("the patch names no file; send a unified diff with ---/+++ headers");
    const guarded = paths.map((p) => guardWrite(context, p));
    const rels = guarded.map((g) => g.rel);
    const { code, output } = await gitApply(context.workdir, input.patch, context.limits.commandTimeoutMs);
    if (code !== 0) return { ok: false, output: `patch did not apply:\n${truncateMiddle(output, 4000)}` };
    for (const g of guarded) if (g.ignored && existsSync(g.abs)) forceAddPath(context.workdir, g.rel);
    return { ok: true, output: `patched ${rels.join(", ")}` };
  },
});
