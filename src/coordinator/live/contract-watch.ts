import { createHash } from "node:crypto";
import {
  type ContractBroken,
  type ContractParty,
  contractText,
  normalizeSignature,
  type PeerDirective,
  type ProvidedExport,
  signatureKeeps,
  type WorkProgress,
} from "../../protocol/index.js";

/** A provider task as the watch sees it: its declared exports and the tasks depending on it. */
export interface ProviderView {
  role: string;
  provides: readonly ProvidedExport[];
  dependents: readonly ContractParty[];
}

/**
 * Compares a provider's exported surface, from its progress, with the exports its task declared: an
 * export declared with one signature and written with another, or removed, breaks the contract (at once,
 * while the provider works); one still not exported when its proposal is sent is missing. Each break (of
 * a symbol, to one shape) is reported once.
 */
export class ContractWatch {
  readonly #raised = new Set<string>();

  /** The breaks in `progress` not reported before; `final` when it is the provider's last progress of an attempt. */
  check(progress: WorkProgress, provider: ProviderView, final: boolean): ContractBroken[] {
    const out: ContractBroken[] = [];
    for (const declared of provider.provides) {
      const entry = progress.surface.find((c) => c.path === declared.path && c.symbol === declared.symbol);
      let change: ContractBroken["change"] | undefined;
      if (entry?.change === "removed") change = "removed";
      else if (entry?.after !== undefined && !signatureKeeps(declared, entry.after)) change = "changed";
      // Unlisted at the end: not added nor changed (a module past the progress limits may be unlisted).
      else if (!entry && final && progress.truncated === 0) change = "missing";
      if (!change) continue;
      const actual = change === "changed" ? entry?.after : undefined;
      const key = [progress.taskId, declared.path, declared.symbol, change, normalizeSignature(actual ?? "")];
      const id = key.join("\0");
      if (this.#raised.has(id)) continue;
      this.#raised.add(id);
      out.push({
        contractId: `ct-${createHash("sha256").update(id).digest("hex").slice(0, 16)}`,
        provider: { taskId: progress.taskId, role: provider.role, agentId: progress.agentId },
        dependents: [...provider.dependents],
        path: declared.path,
        symbol: declared.symbol,
        declared: contractText(declared),
        change,
        ...(actual !== undefined ? { actual } : {}),
      });
    }
    return out;
  }
}

function didText(c: ContractBroken): string {
  if (c.change === "changed") return `exports ${c.actual ?? "?"} instead`;
  if (c.change === "removed") return `removes ${c.symbol} from ${c.path}`;
  return `sent its proposal without adding or changing ${c.symbol} in ${c.path}`;
}

/** What the provider and each dependent are told of a broken contract, with their options. */
export function contractDirectives(c: ContractBroken): {
  provider: PeerDirective;
  dependent(taskId: string): PeerDirective;
} {
  const head = `Contract broken (${c.contractId}):`;
  const names = c.dependents.map((d) => `${d.taskId} (${d.role})`).join(", ") || "none";
  const provider: PeerDirective = {
    kind: "peer",
    topic: "contract",
    taskId: c.provider.taskId,
    text:
      `${head} your task declared it ${c.declared}, but your change ${didText(c)}. Tasks building on the ` +
      `declaration: ${names}. Options: keep to the declaration (export ${c.symbol} exactly as declared), or ` +
      "if the new shape is needed, tell them with ask_peer; they were told of this too and may adapt.",
  };
  return {
    provider,
    dependent: (taskId) => ({
      kind: "peer",
      topic: "contract",
      taskId,
      text:
        `${head} task ${c.provider.taskId} (${c.provider.role}) declared it ${c.declared}, but its change ` +
        `${didText(c)}. Your change builds on that declaration. Options: adapt your change to the shape it ` +
        `exports, or ask ${c.provider.role} with ask_peer to keep to the declaration.`,
    }),
  };
}
