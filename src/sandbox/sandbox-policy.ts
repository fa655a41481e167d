import type { GuildConfig, SandboxConfig } from "../protocol/index.js";
import type { SandboxPolicy } from "./run-sandboxed.js";

/** The policy a `sandbox:` setting means; unset is bubblewrap with no network and only the worktree writable. */
export function sandboxPolicy(setting: SandboxConfig | undefined): SandboxPolicy {
  if (setting === "none") return { mode: "none", network: false, writable: [] };
  return {
    mode: "bubblewrap",
    network: setting?.network ?? false,
    writable: setting?.writable ?? [],
    ...(setting?.limits ? { limits: setting.limits } : {}),
  };
}

/** A role's policy: its own `sandbox:` when set, else the top-level one. */
export function rolePolicy(config: Pick<GuildConfig, "sandbox" | "roles">, role: string): SandboxPolicy {
  return sandboxPolicy(config.roles[role]?.sandbox ?? config.sandbox);
}
