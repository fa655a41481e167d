import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { childEnv } from "../../sandbox/index.js";

/** A private HOME and TMPDIR for one run of an external agent, removed by `dispose`. */
export interface AgentHome {
  home: string;
  tmp: string;
  dispose(): void;
}

/**
 * Makes the agent's private HOME and TMPDIR side by side (never one inside the other: codex refuses to
 * put its helper binaries in a CODEX_HOME under TMPDIR), so no user config, login or history leaks in.
 */
export function createAgentHome(): AgentHome {
  const base = mkdtempSync(join(tmpdir(), "guild-agent-"));
  const home = join(base, "home");
  const tmp = join(base, "tmp");
  mkdirSync(home);
  mkdirSync(tmp);
  return { home, tmp, dispose: () => rmSync(base, { recursive: true, force: true }) };
}

/**
 * The environment of an external agent: the clean allowlist, a private HOME and TMPDIR, and only the
 * variables its role's `env` names (its own key and endpoint); no other role's key passes.
 * @example externalAgentEnv({ pass: ["ANTHROPIC_API_KEY"], home }) // no OPENAI_API_KEY, NATS_URL…
 */
export function externalAgentEnv(
  options: {
    pass: readonly string[];
    home: AgentHome;
    extraPath?: readonly string[];
    set?: Readonly<Record<string, string>>;
  },
  from: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  return childEnv(
    {
      home: options.home.home,
      tmp: options.home.tmp,
      pass: options.pass,
      ...(options.extraPath ? { extraPath: options.extraPath } : {}),
      ...(options.set ? { set: options.set } : {}),
    },
    from,
  );
}
