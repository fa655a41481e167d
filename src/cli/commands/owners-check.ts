import type { Output } from "../output.js";
import { describeRule, type OwnersOptions, reportRulesError, withOwnership } from "./owners-common.js";
import { repoRelativePath } from "./owners-paths.js";

/** `guild owners check <path...> [--json]`: the owners of each path, or `unowned`; exit 0 (2 for a path outside the repository). */
export async function runOwnersCheck(
  options: OwnersOptions & { paths: string[]; json?: boolean },
  output: Output,
): Promise<number> {
  let paths: string[];
  try {
    paths = options.paths.map((path) => repoRelativePath(options.repoDir, path));
  } catch (error) {
    return reportRulesError(error, output);
  }
  return withOwnership(options, output, ({ matcher }) => {
    const results = paths.map((path) => ({
      path,
      owners: matcher.ownerOf(path),
      roles: matcher.rolesOf(path),
      protected: matcher.isProtected(path),
    }));
    if (options.json) {
      output.out(JSON.stringify(results));
      return 0;
    }
    const width = Math.max(0, ...results.map((r) => r.path.length));
    for (const r of results) {
      const owners = r.owners.length === 0 ? "unowned" : r.owners.join(" ");
      output.out(`${r.path.padEnd(width)}  ${owners}${r.protected ? "  (protected)" : ""}`);
    }
    return 0;
  });
}

/** `guild owners explain <path>`: the deciding rule, the rules it overrode, and protection. */
export function runOwnersExplain(
  options: OwnersOptions & { path: string; json?: boolean },
  output: Output,
): Promise<number> {
  return withOwnership(options, output, ({ matcher, source }) => {
    const e = matcher.explain(repoRelativePath(options.repoDir, options.path));
    if (options.json) {
      output.out(JSON.stringify({ ...e, source }));
      return 0;
    }
    output.out(e.path);
    output.out(`  owners:     ${e.owners.length === 0 ? "unowned" : e.owners.join(" ")}`);
    output.out(`  roles:      ${e.roles.length === 0 ? "(none)" : e.roles.join(" ")}`);
    output.out(`  decided by: ${e.rule ? describeRule(e.rule) : `no rule in ${source} matches`}`);
    // Most recent first: the order in which they were overridden.
    for (const [i, rule] of [...e.overridden].reverse().entries()) {
      output.out(`  ${i === 0 ? "overrode:  " : "           "} ${describeRule(rule)}`);
    }
    output.out(`  protected:  ${e.protectedBy ? `yes, by ${describeRule(e.protectedBy)}` : "no"}`);
    return 0;
  });
}
