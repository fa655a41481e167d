import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";

// Names that carry no secret and that ordinary programs need (find programs, print text, tell time).
// This mirrors the sandbox's child environment policy; when src/sandbox lands, `externalAgentEnv`
// becomes a call to its `childEnv`, the one place an agent's environment is built.
const ALLOWED = ["PATH", "LANG", "LANGUAGE", "TZ", "TERM"];
const ALLOWED_PREFIX = "LC_";

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
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(from)) {
    if (value !== undefined && (ALLOWED.includes(name) || name.startsWith(ALLOWED_PREFIX))) env[name] = value;
  }
  for (const name of options.pass) {
    const value = from[name];
    if (value !== undefined) env[name] = value;
  }
  env.PATH = [...(options.extraPath ?? []), ...(from.PATH ?? "/usr/local/bin:/usr/bin:/bin").split(delimiter)]
    .filter(Boolean)
    .join(delimiter);
  env.HOME = options.home.home;
  env.TMPDIR = options.home.tmp;
  return { ...env, ...options.set };
}
