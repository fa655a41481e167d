/** Who owns one changed path, by the repository's ownership rules. */
export interface PathOwner {
  path: string;
  owners: string[];
  protected: boolean;
}

/**
 * What the dashboard may read from a goal's repository when it runs beside it: diffs between commits and
 * the owners of paths. The process that starts the dashboard supplies it (the CLI wires git and ownership),
 * so this room stays a bus client; without it, the page shows what the bus carries (decision diffs, paths).
 */
export interface RepoAccess {
  diff(repo: string, base: string, head: string, paths?: string[]): Promise<string>;
  owners(repo: string, paths: string[]): Promise<PathOwner[]>;
}
