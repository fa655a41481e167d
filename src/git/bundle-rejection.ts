import { type BundleRejectionRule, type ErrorDetails, GuildError } from "../protocol/index.js";

/** Why a bundle or commit range was refused; stable strings for the coordinator and the dashboard. */
export type RejectionRule = BundleRejectionRule;

/** Builds the `git.bundle_rejected` error for a broken rule, with the offending details. */
export function rejected(
  rule: RejectionRule,
  message: string,
  details: Omit<ErrorDetails<"git.bundle_rejected">, "rule"> = {},
): GuildError<"git.bundle_rejected"> {
  return new GuildError("git.bundle_rejected", message, { details: { rule, ...details } });
}
