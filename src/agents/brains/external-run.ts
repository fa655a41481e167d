import { GuildError, redactText, type TokenUsage } from "../../protocol/index.js";
import { type AgentHome, createAgentHome } from "./agent-env.js";
import type { BrainRunContext, BrainStep } from "./brain.js";
import { type BudgetBreach, BudgetTracker, budgetExceeded } from "./budget.js";
import { restoreGitControl, snapshotGitControl } from "./cli-git-guard.js";
import { harvestChanges, markWorktree } from "./cli-harvest.js";

/** How an external agent's run ended, as its adapter saw it. */
export interface ExternalExit {
  ok: boolean;
  /** e.g. "exit code 0", "success after 3 turns". */
  status: string;
  /** The agent's last message, where its "No changes needed: …" would be. */
  finalText: string;
  /** The first error the agent reported, for the failure reason. */
  errorLine?: string;
}

/** What an adapter gets for one run: the signal that stops it (cancel, timeout, budget) and a private HOME. */
export interface ExternalRunIo {
  signal: AbortSignal;
  home: AgentHome;
  /** Counts the agent's token use against the task's and the goal's budgets as it reports it. */
  meter(usage: TokenUsage): void;
}

/**
 * Runs an external coding agent (Claude Code, Codex) in the worktree under guild's rules: git config and
 * hooks are restored, every change is replayed through the tool set (ownership, protected paths), a
 * timeout or budget stops it, a cancel leaves its edits for salvage, and a failure is reported with the
 * first error line.
 */
export async function* runExternalAgent(
  context: BrainRunContext,
  name: string,
  timeoutMs: number,
  run: (io: ExternalRunIo) => AsyncGenerator<BrainStep, ExternalExit, undefined>,
): AsyncGenerator<BrainStep, void, undefined> {
  const { workdir } = context;
  const mark = markWorktree(workdir);
  const gitControl = snapshotGitControl(workdir);
  const home = createAgentHome();
  const stop = new AbortController();
  let breach: BudgetBreach | undefined;
  const onCancel = () => stop.abort(new Error("cancelled"));
  context.signal.addEventListener("abort", onCancel, { once: true });
  const timer = setTimeout(() => {
    breach = { budget: "wall_ms", limit: timeoutMs, used: timeoutMs };
    stop.abort(new Error(`timed out after ${timeoutMs} ms`));
  }, timeoutMs);
  const tracker = new BudgetTracker(
    { ...context.budget, maxSteps: Number.MAX_SAFE_INTEGER },
    context.now ?? Date.now,
    context.meter,
  );
  const meter = (usage: TokenUsage) => {
    tracker.record(usage);
    const over = tracker.breach();
    if (over && over.budget !== "wall_ms" && !breach) {
      breach = over;
      stop.abort(new Error(`budget exceeded: ${over.budget}`));
    }
  };
  let exit: ExternalExit;
  try {
    exit = yield* run({ signal: stop.signal, home, meter });
  } catch (error) {
    if (!stop.signal.aborted) {
      const message = error instanceof Error ? error.message : String(error);
      throw new GuildError("brain.failed", `${name}: ${redactText(message).split("\n")[0]}`, {
        cause: error,
      });
    }
    exit = { ok: false, status: String((stop.signal.reason as Error)?.message ?? "stopped"), finalText: "" };
  } finally {
    clearTimeout(timer);
    context.signal.removeEventListener("abort", onCancel);
    home.dispose();
  }
  const tampered = restoreGitControl(gitControl);
  if (tampered.length > 0) {
    const reason = `refused: the agent changed git config or hooks; restored ${tampered.length} file(s)`;
    yield { kind: "tool_result", id: "git-guard", tool: name, ok: false, output: reason };
  }
  if (context.signal.aborted) {
    // Cancelled: the agent's edits stay as they are, for the specialist to salvage.
    yield { kind: "summary", text: `${name} cancelled; its edits are left for salvage` };
    return;
  }
  const { applied, refused } = yield* harvestChanges(workdir, mark, context.tools);
  const lines = [
    `${name} ${exit.status}; kept ${applied.length} changed path(s)${applied.length ? `: ${applied.join(", ")}` : ""}`,
  ];
  if (refused.length > 0) lines.push(`refused: ${refused.join(", ")}`);
  if (exit.finalText.trim()) lines.push(redactText(exit.finalText.trim()).slice(0, 2000));
  yield { kind: "summary", text: lines.join("\n") };
  if (breach) throw budgetExceeded(breach);
  // A failed agent that still left owned changes is proposed; one that left nothing is a failure.
  if (!exit.ok && applied.length === 0) {
    throw new GuildError(
      "brain.failed",
      `${name} ${exit.status}${exit.errorLine ? `: ${exit.errorLine}` : ""}`,
    );
  }
}
