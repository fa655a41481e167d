import type { Brain, BrainStep } from "../brains/index.js";

/**
 * What an offline owner does with a change request: apply the patch through the sandboxed `apply_patch`
 * tool (so ownership still holds), or decline it with the reason the tool gave.
 */
export const changeRequestBrain: Brain = {
  name: "change-request",
  async *run({ task, tools }): AsyncIterable<BrainStep> {
    const request = task.task.changeRequest;
    if (!request) {
      yield { kind: "summary", text: "declined: the task carries no change request" };
      return;
    }
    yield {
      kind: "thought",
      text: `change request from ${request.fromRole} (${request.fromTask}): ${request.reason}`,
    };
    yield { kind: "tool_call", id: "cr-1", tool: "apply_patch", input: { bytes: request.patch.length } };
    // The review's diff text comes trimmed; git apply needs the patch's last line to end in a newline.
    const patch = request.patch.endsWith("\n") ? request.patch : `${request.patch}\n`;
    const applied = await tools.call("apply_patch", { patch });
    yield { kind: "tool_result", id: "cr-1", tool: "apply_patch", ok: applied.ok, output: applied.output };
    const summary = applied.ok
      ? `applied ${request.fromRole}'s change to ${task.task.expectedPaths.join(", ")}`
      : `could not apply ${request.fromRole}'s change: ${applied.output}`;
    await tools.call("finish", { summary });
    yield { kind: "summary", text: summary };
  },
};
