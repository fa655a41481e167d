import { basename } from "node:path";
import type { SandboxMode } from "../../sandbox/index.js";

/**
 * codex's own `--sandbox` for a run in guild's `mode`: nested in bubblewrap, codex's workspace-write sandbox
 * runs its commands to no effect (exit 0, no edit), so there guild's sandbox is the confinement and codex's
 * is off; unconfined by guild (`sandbox: none`), codex's workspace-write is the only one left.
 */
export function codexSandboxMode(mode: SandboxMode): "danger-full-access" | "workspace-write" {
  return mode === "bubblewrap" ? "danger-full-access" : "workspace-write";
}

/**
 * A `kind: cli` argv with a codex's `--sandbox workspace-write` (or `-s`, `--sandbox=`) made what
 * `codexSandboxMode` says for `mode`; any other command, or another codex sandbox, is left as written.
 * @example withCodexSandbox(["codex", "exec", "--sandbox", "workspace-write", "x"], "bubblewrap")
 * // ["codex", "exec", "--sandbox", "danger-full-access", "x"]
 */
export function withCodexSandbox(argv: readonly string[], mode: SandboxMode): string[] {
  const out = [...argv];
  if (basename(out[0] ?? "") !== "codex") return out;
  const wanted = codexSandboxMode(mode);
  for (const [i, arg] of out.entries()) {
    if ((arg === "--sandbox" || arg === "-s") && out[i + 1] === "workspace-write") out[i + 1] = wanted;
    else if (arg === "--sandbox=workspace-write") out[i] = `--sandbox=${wanted}`;
  }
  return out;
}
