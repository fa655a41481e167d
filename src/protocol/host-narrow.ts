import { posix } from "node:path";
import type { BrainConfig, SandboxConfig } from "./config.js";
import type { HostRole } from "./host-config.js";

/** What a goal's guild.yaml asks for one role; a field it does not write takes the host's. */
export interface RepoRoleAsk {
  brain?: BrainConfig;
  allowCommands?: readonly (readonly string[])[];
  sandbox?: SandboxConfig;
  env?: readonly string[];
}

/** The role config a host runs: what it allows, narrowed by what the repository asked. */
export interface EffectiveRole {
  brain: BrainConfig;
  allowCommands: string[][];
  sandbox: SandboxConfig | undefined;
  env: string[];
}

/** One thing a repository asked for that the host does not allow, and why. */
export interface Refusal {
  field: "brain" | "allowCommands" | "sandbox" | "env";
  asked: string;
  reason: string;
}

export type Narrowed = { ok: true; role: EffectiveRole } | { ok: false; refusals: Refusal[] };

type LimitName = keyof NonNullable<Exclude<SandboxConfig, "none">["limits"]>;
/** The sandbox's default limits, which bind where the host sets none (the sandbox room owns the figures). */
export type LimitDefaults = Record<LimitName, number>;

/** Brains built into guild: they run no program and reach no network, so any repository may choose them. */
const BUILT_IN = new Set<BrainConfig["kind"]>(["offline", "scripted"]);

/**
 * The role config a host runs for a repository's ask: the repository chooses among the host's brains
 * and may narrow commands, sandbox and environment names, never widen them. Anything wider is refused.
 * @example narrow({ allowCommands: [["npm", "test"]] }, { allowCommands: [["npm", "test", "--", "a"]] }, limits).ok // true
 */
export function narrow(host: HostRole, repo: RepoRoleAsk, limits: LimitDefaults): Narrowed {
  const refusals: Refusal[] = [];
  const brain = narrowBrain(host.brains ?? [], repo.brain, refusals);
  const allowCommands = (repo.allowCommands ?? host.allowCommands).map((argv) => [...argv]);
  if (repo.allowCommands) {
    for (const argv of repo.allowCommands) {
      if (!host.allowCommands.some((prefix) => isPrefix(prefix, argv)))
        refusals.push({
          field: "allowCommands",
          asked: `command ${JSON.stringify(argv)}`,
          reason: `this host allows only ${describeCommands(host.allowCommands)}`,
        });
    }
  }
  const hostEnv = host.env ?? [];
  for (const name of missing(repo.env ?? [], hostEnv))
    refusals.push({
      field: "env",
      asked: `env ${name}`,
      reason: `this host passes on only ${list(hostEnv)}`,
    });
  const sandbox = narrowSandbox(host.sandbox, repo.sandbox, limits, refusals);
  if (refusals.length > 0) return { ok: false, refusals };
  return { ok: true, role: { brain, allowCommands, sandbox, env: [...(repo.env ?? hostEnv)] } };
}

function narrowBrain(allowed: readonly BrainConfig[], asked: BrainConfig | undefined, refusals: Refusal[]) {
  const fallback = allowed[0] ?? { kind: "offline" as const };
  if (asked === undefined || BUILT_IN.has(asked.kind)) return asked ?? fallback;
  const misfits = allowed.filter((h) => h.kind === asked.kind).map((h) => brainMisfit(h, asked));
  if (misfits.includes(undefined)) return asked;
  const kinds = [...new Set(["offline", "scripted", ...allowed.map((b) => b.kind)])];
  refusals.push({
    field: "brain",
    asked: describeBrain(asked),
    reason:
      misfits.length > 0
        ? `it differs from this host's ${asked.kind} brain: ${misfits.join("; ")}`
        : `this host runs only ${kinds.join(", ")} brains for this role`,
  });
  return fallback;
}

/** Why `asked` is not the host's brain `host` or a narrowing of it; `undefined` when it is. */
function brainMisfit(host: BrainConfig, asked: BrainConfig): string | undefined {
  const problems: string[] = [];
  const same = (field: string, a: unknown, b: unknown) => {
    if (JSON.stringify(a) !== JSON.stringify(b))
      problems.push(`${field} ${JSON.stringify(b) ?? "unset"} (host: ${JSON.stringify(a) ?? "unset"})`);
  };
  const atMost = (field: string, a: number | undefined, b: number | undefined) => {
    if (a !== undefined && (b === undefined || b > a))
      problems.push(`${field} ${b ?? "unset"} (host: at most ${a})`);
  };
  const h = host as Record<string, unknown>;
  const r = asked as Record<string, unknown>;
  for (const field of ["command", "model", "baseURL"]) same(field, h[field], r[field]);
  atMost("timeoutMs", h.timeoutMs as number | undefined, r.timeoutMs as number | undefined);
  atMost("maxTurns", h.maxTurns as number | undefined, r.maxTurns as number | undefined);
  const extra = missing((r.env as string[] | undefined) ?? [], (h.env as string[] | undefined) ?? []);
  if (extra.length > 0) problems.push(`env ${extra.join(", ")} (host: ${list((h.env as string[]) ?? [])})`);
  return problems.length > 0 ? problems.join(", ") : undefined;
}

function narrowSandbox(
  host: SandboxConfig | undefined,
  asked: SandboxConfig | undefined,
  defaults: LimitDefaults,
  refusals: Refusal[],
): SandboxConfig | undefined {
  if (asked === undefined) return host;
  if (host === "none") return asked;
  if (asked === "none") {
    refusals.push({
      field: "sandbox",
      asked: "sandbox: none",
      reason: "this host confines the role's commands",
    });
    return host;
  }
  if (asked.network && !host?.network)
    refusals.push({
      field: "sandbox",
      asked: "network: true",
      reason: "this host gives the role no network",
    });
  const hostWritable = (host?.writable ?? []).map(normalDir);
  for (const dir of asked.writable)
    if (!hostWritable.includes(normalDir(dir)))
      refusals.push({
        field: "sandbox",
        asked: `writable ${dir}`,
        reason: `this host lets the role write only the worktree${hostWritable.length ? ` and ${list(hostWritable)}` : ""}`,
      });
  for (const [name, value] of Object.entries(asked.limits ?? {}) as [LimitName, number | undefined][]) {
    const ceiling = host?.limits?.[name] ?? defaults[name];
    if (value !== undefined && value > ceiling)
      refusals.push({
        field: "sandbox",
        asked: `limits.${name} ${value}`,
        reason: `this host's limit is ${ceiling}`,
      });
  }
  const merged = { ...host?.limits, ...asked.limits };
  return {
    network: asked.network,
    writable: asked.writable,
    ...(Object.keys(merged).length > 0 ? { limits: merged } : {}),
  };
}

function isPrefix(prefix: readonly string[], argv: readonly string[]): boolean {
  return prefix.length <= argv.length && prefix.every((word, i) => argv[i] === word);
}

function missing(asked: readonly string[], allowed: readonly string[]): string[] {
  return asked.filter((name) => !allowed.includes(name));
}

function normalDir(dir: string): string {
  return posix.normalize(dir).replace(/(.)\/+$/, "$1");
}

function list(items: readonly string[]): string {
  return items.length > 0 ? items.join(", ") : "none";
}

function describeCommands(commands: readonly (readonly string[])[]): string {
  return commands.length > 0 ? commands.map((c) => JSON.stringify(c)).join(", ") : "no commands";
}

/** A brain as a refusal names it: its kind and what would run. */
export function describeBrain(brain: BrainConfig): string {
  switch (brain.kind) {
    case "cli":
      return `cli brain ${JSON.stringify(brain.command)}${brain.env?.length ? ` with env ${brain.env.join(", ")}` : ""}`;
    case "openai":
    case "anthropic":
      return `${brain.kind} brain ${brain.model}${brain.baseURL ? ` at ${brain.baseURL}` : ""}`;
    case "codex":
    case "claude-code":
      return `${brain.kind} brain${brain.model ? ` ${brain.model}` : ""}${brain.env?.length ? ` with env ${brain.env.join(", ")}` : ""}`;
    default:
      return `${brain.kind} brain`;
  }
}
