import { spawnSync } from "node:child_process";

/** How commands run: confined by bubblewrap, or unconfined because config says `sandbox: none`. */
export type SandboxMode = "bubblewrap" | "none";

/** Whether this machine can sandbox, and if not, why. */
export type SandboxAvailability = { available: true; bwrap: string } | { available: false; reason: string };

let cached: SandboxAvailability | undefined;

/** Probes once per process whether bubblewrap runs here (Linux, bwrap on PATH, namespaces allowed). */
export function sandboxAvailability(): SandboxAvailability {
  if (cached) return cached;
  if (process.platform !== "linux") {
    cached = { available: false, reason: `no OS sandbox on ${process.platform} (bubblewrap is Linux only)` };
    return cached;
  }
  const probe = spawnSync(
    "bwrap",
    ["--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev", "--unshare-all", "--die-with-parent", "true"],
    { stdio: ["ignore", "ignore", "pipe"], timeout: 10_000 },
  );
  if (probe.error) {
    const missing = (probe.error as NodeJS.ErrnoException).code === "ENOENT";
    cached = {
      available: false,
      reason: missing ? "bubblewrap (bwrap) is not installed" : `bwrap failed: ${probe.error.message}`,
    };
  } else if (probe.status !== 0) {
    cached = {
      available: false,
      reason: `bwrap cannot create namespaces here: ${String(probe.stderr).trim()}`,
    };
  } else cached = { available: true, bwrap: "bwrap" };
  return cached;
}

/**
 * One line for `guild up` and `guild agent` to print: the mode commands run in, or why they are refused.
 * @example describeSandbox("bubblewrap") // "sandbox: bubblewrap (read-only root, private /tmp and HOME, …)"
 */
export function describeSandbox(configured: SandboxMode): string {
  if (configured === "none") return "sandbox: none (config says sandbox: none; commands run unconfined)";
  const availability = sandboxAvailability();
  return availability.available
    ? "sandbox: bubblewrap (read-only root, worktree writable, private /tmp and HOME, no network unless configured)"
    : `sandbox: unavailable (${availability.reason}); commands are refused unless config says sandbox: none`;
}
