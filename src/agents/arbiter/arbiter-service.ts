import { z } from "zod";
import { type Bus, type Subscription, serviceQueues } from "../../bus/index.js";
import {
  type ArbitrationReply,
  ArbitrationRequest,
  type ArbitrationRequestPayload,
  type BrainConfig,
  createLogger,
  GuildError,
  type Logger,
  makeEnvelope,
  subjects,
  toGuildError,
} from "../../protocol/index.js";
import type { LoopMessage, ModelTurn } from "../brains/chat-model.js";
import { completeWithAnswer } from "../brains/structured-answer.js";
import type { ToolDefinition } from "../tools/types.js";
import {
  arbiterRetryPrompt,
  arbiterSystemPrompt,
  arbiterUserPrompt,
  untrustedTag,
} from "./arbiter-prompt.js";
import { type JudgeModelOptions, judgeModelOf } from "./judge-model.js";
import { parseVerdict } from "./parse-verdict.js";

// Below the coordinator's default wait (5 minutes), so a slow judge is answered with an error, not silence.
const DEFAULT_TIMEOUT_MS = 240_000;

/** How an arbiter service is set up: its judge's brain, where keys come from, and its limits. */
export interface ArbiterServiceOptions extends JudgeModelOptions {
  /** An LLM brain (openai or anthropic); keys and endpoints come from `env`. */
  brainConfig: BrainConfig;
  env?: NodeJS.ProcessEnv;
  /** Source token on replies; default `arbiter`. */
  source?: string;
  /**
   * Queue group, so several arbiter replicas share the requests; default `arbiters`, the only group
   * the `arbiter` identity may join.
   */
  queue?: string;
  logger?: Logger;
}

// Flat on purpose: providers want an object schema at the top; the verdict schema checks the rest.
// Every field is required and the unused one is null, because OpenAI's strict structured output has no
// optional properties; `withoutNulls` turns the nulls back into absent fields before the verdict check.
const DecideInput = z.object({
  decision: z.enum(["pick", "combine"]),
  winner: z.string().nullable().describe("pick: the task id of the side to keep; combine: null"),
  files: z
    .array(z.object({ path: z.string(), content: z.string() }))
    .nullable()
    .describe("combine: the full new content of every conflicting file; pick: null"),
  rationale: z.string().describe("why, in one to three sentences"),
});

const { $schema: _schema, ...decideJsonSchema } = z.toJSONSchema(DecideInput) as Record<string, unknown>;

const DECIDE_TOOL: ToolDefinition = {
  name: "decide",
  description: "Give the verdict on the conflict: pick one side, or combine both into new file contents.",
  input: DecideInput,
  jsonSchema: decideJsonSchema,
};

/** The conversation for one attempt: the conflict, then (on a retry) the refused reply and why. */
function messagesOf(tag: string, request: ArbitrationRequestPayload): LoopMessage[] {
  const messages: LoopMessage[] = [{ role: "user", text: arbiterUserPrompt(tag, request) }];
  if (request.previousErrors.length === 0) return messages;
  if (request.previousReply?.trim())
    messages.push({ role: "assistant", text: request.previousReply, toolCalls: [] });
  messages.push({ role: "user", text: arbiterRetryPrompt(request.previousErrors) });
  return messages;
}

/** A decide object with its null fields dropped, as the verdict schema (strict objects) expects; else `raw`. */
function withoutNulls(raw: string): string {
  try {
    const value: unknown = JSON.parse(raw);
    if (value === null || typeof value !== "object" || Array.isArray(value)) return raw;
    return JSON.stringify(Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null)));
  } catch {
    return raw;
  }
}

/** The verdict text of a turn: its structured answer, else the decide call's arguments, else its text. */
function verdictTextOf(turn: ModelTurn): string {
  if (turn.structured !== undefined) return withoutNulls(turn.structured);
  const call = turn.toolCalls.find((c) => c.name === DECIDE_TOOL.name);
  return call ? withoutNulls(call.arguments) : turn.text;
}

/**
 * Serves `guild.arbiter.request`: asks an LLM judge to pick one of two conflicting proposals or combine
 * them, and answers with a verdict checked in code. A malformed or unsound reply, or a failing model,
 * is answered with a `brain.failed` GuildError (details: `errors`, `reply`, `usage`), never a crash.
 * @example await startArbiterService(bus, { brainConfig: { kind: "anthropic", model: "claude-sonnet-4-5" } })
 */
export async function startArbiterService(bus: Bus, options: ArbiterServiceOptions): Promise<Subscription> {
  const judge = judgeModelOf(options.brainConfig, options.env ?? process.env, {
    ...options,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  });
  const source = options.source ?? "arbiter";
  const logger = (options.logger ?? createLogger()).child({ component: "arbiter", judge: judge.name });
  return bus.serve(
    subjects.arbiterRequest,
    ArbitrationRequest,
    async (request) => {
      const tag = untrustedTag();
      let turn: ModelTurn;
      try {
        ({ turn } = await completeWithAnswer(
          judge.model,
          {
            system: arbiterSystemPrompt(tag),
            messages: messagesOf(tag, request.payload),
            tools: [DECIDE_TOOL],
            answer: DECIDE_TOOL,
            signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
          },
          logger.child({ goalId: request.goalId }),
        ));
      } catch (e) {
        throw new GuildError("brain.failed", `arbiter ${judge.name} failed: ${toGuildError(e).message}`, {
          cause: e,
          details: { judge: judge.name },
        });
      }
      const raw = verdictTextOf(turn);
      const parsed = parseVerdict(raw, request.payload);
      if (!parsed.ok) {
        throw new GuildError(
          "brain.failed",
          `arbiter ${judge.name} gave no sound verdict: ${parsed.errors.join("; ")}`,
          {
            details: {
              judge: judge.name,
              errors: parsed.errors,
              reply: raw.slice(0, 20_000),
              usage: turn.usage,
            },
          },
        );
      }
      const payload: ArbitrationReply["payload"] = {
        verdict: parsed.verdict,
        judge: judge.name,
        usage: turn.usage,
      };
      return makeEnvelope({
        type: "arbitration.decided",
        source,
        goalId: request.goalId,
        payload,
      });
    },
    { queue: options.queue ?? serviceQueues.arbiter },
  );
}
