import { delimiter } from "node:path";

// Names that carry no secret and that ordinary tools need to behave (find programs, print text, tell time).
const ALLOWED = ["PATH", "LANG", "LANGUAGE", "TZ", "TERM", "SystemRoot"];
const ALLOWED_PREFIX = "LC_";

/** What a child process's environment is built from, besides the allowlist. */
export interface ChildEnvOptions {
  /** The child's HOME, a private directory; left out, `runSandboxed` gives the command its own. */
  home?: string;
  /** The child's TMPDIR (default `/tmp`, which is private inside the sandbox). */
  tmp?: string;
  /** Names the role's config passes on explicitly (`env: [NAME, …]`), copied from `from` when set there. */
  pass?: readonly string[];
  /** Directories put first on PATH (e.g. `node_modules/.bin`). */
  extraPath?: readonly string[];
  /** Variables set as given, after everything else (e.g. `CI: "1"`). */
  set?: Readonly<Record<string, string>>;
}

/**
 * The one environment policy for every process guild starts on an agent's or model's behalf: the
 * allowlist (PATH, LANG, LC_*, TZ, TERM), a private HOME and TMPDIR, and only the names config passes on.
 * @example childEnv({ home: "/tmp/h", pass: ["OPENAI_API_KEY"] }) // no AWS_*, DATABASE_URL, NATS_URL…
 */
export function childEnv(
  options: ChildEnvOptions,
  from: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(from)) {
    if (value !== undefined && (ALLOWED.includes(name) || name.startsWith(ALLOWED_PREFIX))) env[name] = value;
  }
  for (const name of options.pass ?? []) {
    const value = from[name];
    if (value !== undefined) env[name] = value;
  }
  env.PATH = [...(options.extraPath ?? []), ...(from.PATH ?? "/usr/local/bin:/usr/bin:/bin").split(delimiter)]
    .filter(Boolean)
    .join(delimiter);
  if (options.home !== undefined) env.HOME = options.home;
  env.TMPDIR = options.tmp ?? "/tmp";
  return { ...env, ...options.set };
}
