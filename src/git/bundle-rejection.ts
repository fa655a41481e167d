import { GuildError } from "../protocol/index.js";

/** Why a bundle or commit range was refused; stable strings for the coordinator and the dashboard. */
export type RejectionRule =
  | "malformed_bundle"
  | "refs_outside_namespace"
  | "not_based_on_base"
  | "unsafe_path"
  | "symlink_escape"
  | "file_too_large"
  | "total_too_large"
  | "protected_paths"
  | "proposal_exists";

/** Builds the `git.bundle_rejected` error for a broken rule, with the offending details. */
export function rejected(
  rule: RejectionRule,
  message: string,
  details: Record<string, unknown> = {},
): GuildError {
  return new GuildError("git.bundle_rejected", message, { details: { rule, ...details } });
}
