/**
 * `-c` options every git process guild starts carries: no hooks and no fsmonitor program, whatever a
 * repository's config or a planted `.git/hooks` script says, no `ext::` transport, and no signing or
 * signature checks (a repository's `gpg.program` would run). Filters and merge drivers, named per
 * repository, are switched off where guild's git runs (src/git/repo-programs.ts).
 */
export const SAFE_GIT_ARGS: readonly string[] = [
  "-c",
  "core.hooksPath=/dev/null",
  "-c",
  "core.fsmonitor=false",
  "-c",
  "protocol.ext.allow=never",
  "-c",
  "commit.gpgSign=false",
  "-c",
  "tag.gpgSign=false",
  "-c",
  "log.showSignature=false",
  "-c",
  "merge.verifySignatures=false",
];

/**
 * Environment for guild's git: no system or user config (where a CLI agent may add `core.hooksPath`, a
 * filter or a diff driver to `~/.gitconfig`) and no system attributes; only the repository's own config counts.
 */
export const SAFE_GIT_ENV: Readonly<Record<string, string>> = {
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_ATTR_NOSYSTEM: "1",
};
