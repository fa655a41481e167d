/** Paths no agent may change without a person's approval, whatever the rules say. */
export const BUILT_IN_PROTECTED: readonly string[] = [
  "/guild.yaml",
  "CODEOWNERS",
  "/.github/",
  "/.ci/",
  // Lockfiles: a change here pulls code from outside the repository.
  "package-lock.json",
  "npm-shrinkwrap.json",
  "yarn.lock",
  "pnpm-lock.yaml",
  "bun.lock",
  "bun.lockb",
  "Cargo.lock",
  "go.sum",
  "poetry.lock",
  "Pipfile.lock",
  "uv.lock",
  "Gemfile.lock",
  "composer.lock",
  "flake.lock",
];
