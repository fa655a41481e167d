import { z } from "zod";
import type { Bus, Subscription } from "../../bus/index.js";
import {
  type ArbitrationReply,
  ArbitrationRequest,
  type ArbitrationRequestPayload,
  type BrainConfig,
  GuildError,
  makeEnvelope,
  subjects,
  toGuildError,
} from "../../protocol/index.js";
import type { LoopMessage, ModelTurn } from "../brains/chat-model.js";
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
  /** Queue group, so several arbiter replicas share the requests; default `arbiters`. */
  queue?: string;
}

// Flat on purpose: providers want an object schema at the top; the verdict schema checks the rest.
const DecideInput = z.object({
  decision: z.enum(["pick", "combine"]),
  winner: z.string().optional().describe("pick: the task id of the side to keep"),
  files: z
    .array(z.object({ path: z.string(), content: z.string() }))
    .optional()
    .describe("combine: the full new content of every conflicting file"),
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

/** The verdict text of a turn: the decide call's arguments when the judge called it, else its text. */
function verdictTextOf(turn: ModelTurn): string {
  const call = turn.toolCalls.find((c) => c.name === DECIDE_TOOL.name);
  return call ? call.arguments : turn.text;
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
  return bus.serve(
    subjects.arbiterRequest,
    ArbitrationRequest,
    async (request) => {
      const tag = untrustedTag();
      let turn: ModelTurn;
      try {
        turn = await judge.model.complete({
          system: arbiterSystemPrompt(tag),
          messages: messagesOf(tag, request.payload),
          tools: [DECIDE_TOOL],
          signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
        });
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
    { queue: options.queue ?? "arbiters" },
  );
}
