export {
  arbiterRetryPrompt,
  arbiterSystemPrompt,
  arbiterUserPrompt,
  untrustedTag,
} from "./arbiter-prompt.js";
export { type ArbiterServiceOptions, startArbiterService } from "./arbiter-service.js";
export { type JudgeModel, type JudgeModelOptions, judgeModelOf } from "./judge-model.js";
export { extractJsonObject, type ParsedVerdict, parseVerdict } from "./parse-verdict.js";
