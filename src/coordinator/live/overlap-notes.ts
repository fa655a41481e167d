import type { OverlapDetected, PeerDirective } from "../../protocol/index.js";

/** What each side of an overlap is told, with the options: keep to the old shape, adapt, or ask. */
export function overlapDirectives(o: OverlapDetected): { a: PeerDirective; b: PeerDirective } {
  const head = `Live overlap (${o.overlapId}):`;
  if (o.kind === "lines") {
    const text = (other: typeof o.a) =>
      `${head} task ${other.taskId} (${other.role}) ${other.did}, which your change also changes. ` +
      `Options: keep to the old shape of those lines, adapt your change so the two fit, or ask ${other.role} with ask_peer.`;
    return {
      a: { kind: "peer", topic: "overlap", taskId: o.a.taskId, text: text(o.b) },
      b: { kind: "peer", topic: "overlap", taskId: o.b.taskId, text: text(o.a) },
    };
  }
  const symbol = o.symbol ?? "?";
  const adaptHow =
    o.change === "renamed"
      ? `use ${o.renamedTo} instead of ${symbol}`
      : o.change === "removed"
        ? `stop using ${symbol}`
        : `call ${symbol} in its new shape`;
  const toUser =
    `${head} task ${o.a.taskId} (${o.a.role}) ${o.a.did}; your change ${o.b.did.replace(/^uses/, "uses it")}. ` +
    `Options: adapt your change (${adaptHow}), keep to the old shape (ask ${o.a.role} to keep ${symbol} with ask_peer), or ask ${o.a.role} with ask_peer.`;
  const toBreaker =
    `${head} task ${o.b.taskId} (${o.b.role}) ${o.b.did}, which your change ${o.change === "changed" ? "changes" : "removes"}. ` +
    `Options: keep to the old shape (keep ${symbol} as it was), adapt, or ask ${o.b.role} with ask_peer. ` +
    `${o.b.role} was told too and may adapt.`;
  return {
    a: { kind: "peer", topic: "overlap", taskId: o.a.taskId, text: toBreaker },
    b: {
      kind: "peer",
      topic: "overlap",
      taskId: o.b.taskId,
      text: toUser,
      overlap: {
        path: o.path,
        symbol,
        change: o.change ?? "changed",
        ...(o.renamedTo ? { renamedTo: o.renamedTo } : {}),
      },
    },
  };
}
