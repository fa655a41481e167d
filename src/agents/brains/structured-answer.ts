import type { Logger } from "../../protocol/index.js";
import type { ChatModel, ChatRequest, ModelTurn } from "./chat-model.js";

/** A turn and the channel its answer came on: `structured` when the SDK's structured output carried it. */
export interface AnsweredTurn {
  turn: ModelTurn;
  /** The answer's JSON text: the structured part, or else the text path's raw material. */
  channel: "structured" | "text";
}

// A server without structured output refuses the parameter as a bad request (OpenAI-compatible servers
// answer 400 or 422); other failures are the model's, and retrying them without the schema would hide them.
function refusedParameter(error: unknown): boolean {
  const status = (error as { status?: unknown } | null)?.status;
  return status === 400 || status === 422;
}

/**
 * One model call that asks for the answer as structured output (`request.answer`). A server that refuses
 * the structured request is asked once more without it, and a reply without the structured part is left
 * to the caller's text scanner; both are logged, so a server that lacks the feature is visible.
 * @throws whatever the model call throws, after the one fallback.
 */
export async function completeWithAnswer(
  model: ChatModel,
  request: ChatRequest & { answer: NonNullable<ChatRequest["answer"]> },
  logger: Logger,
): Promise<AnsweredTurn> {
  let turn: ModelTurn;
  try {
    turn = await model.complete(request);
  } catch (e) {
    if (!refusedParameter(e) || request.signal.aborted) throw e;
    logger.warn(
      { model: model.model, answer: request.answer.name, err: (e as Error).message },
      "the server refused structured output; asking again for a text answer",
    );
    const { answer: _dropped, ...plain } = request;
    return { turn: await model.complete(plain), channel: "text" };
  }
  if (turn.structured !== undefined) return { turn, channel: "structured" };
  logger.warn(
    { model: model.model, answer: request.answer.name },
    "the reply carried no structured answer; reading it with the text scanner",
  );
  return { turn, channel: "text" };
}
