export { parseCodeowners } from "./codeowners-parser.js";
export { type Coverage, measureCoverage, type UnownedFolder } from "./coverage.js";
export { type DetectedTestCommand, detectTestCommand } from "./detect-test-command.js";
export { type LoadedGuildConfig, loadGuildConfig } from "./guild-config-loader.js";
export { type ImportedRules, importCodeowners, type UnmappedOwner, withRules } from "./import-codeowners.js";
export {
  brainFromEnvironment,
  codeownersHandles,
  type InitInput,
  type InitProposal,
  proposeInit,
} from "./init-config.js";
export { guessRoleOfHandle, proposeLayoutRules } from "./layout-rules.js";
export { hasLintFindings, type LintReport, lintOwnership, type UnknownOwner } from "./lint-ownership.js";
export {
  findRulesFile,
  type LoadOwnershipOptions,
  loadOwnership,
  NO_RULES,
  type Ownership,
  RULES_SEARCH_ORDER,
} from "./load-ownership.js";
export { normalizeRepoPath } from "./normalize-path.js";
export { isConfigOwner, isOwnerToken } from "./owner-syntax.js";
export { type Explanation, OwnershipMatcher, UNOWNED } from "./ownership-matcher.js";
export {
  formatRulesError,
  ownershipParseError,
  type ParseErrorDetails,
  type RuleProblem,
} from "./parse-error.js";
export { detectRulesFormat, type ParsedRules, parseRules, type RulesFormat } from "./parse-rules.js";
export { type CompiledPattern, compilePattern, PatternSyntaxError } from "./pattern.js";
export { plainScanLastMatch } from "./plain-scan.js";
export { BUILT_IN_PROTECTED } from "./protected-paths.js";
export {
  type CompiledRule,
  HUMAN_OWNER,
  isProtectingRule,
  type OwnershipRule,
  type RuleSource,
} from "./rule.js";
export { RuleIndex } from "./rule-index.js";
export { covers, findShadowedRules, type ShadowedRule } from "./shadowing.js";
export { listTrackedFiles } from "./tracked-files.js";
