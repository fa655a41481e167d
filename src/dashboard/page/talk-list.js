import { useMemo } from "/vendor/preact-hooks.mjs";
import { html } from "./html.js";
import { talkOf } from "./talk-log.js";

/** The selected goal's live coordination: who told whom what, and why. */
export function TalkList({ store, version, goalId }) {
  const rows = useMemo(() => talkOf(store.events, goalId), [version, goalId]);
  if (rows.length === 0)
    return html`<p class="muted" data-testid="talk-empty">No agent was told anything on this goal yet.</p>`;
  return html`<table class="talk" data-testid="talk">
    <thead><tr><th>when</th><th>from</th><th>to</th><th>what</th><th>why</th></tr></thead>
    <tbody>${rows.map(
      (r) => html`<tr data-talk=${r.kind} data-seq=${r.seq} key=${r.seq}>
        <td class="time">${r.time?.slice(11, 19) ?? ""}</td>
        <td class="from">${r.from}</td>
        <td class="to">${r.to}</td>
        <td class="what">${r.what}</td>
        <td class="why">${r.why}</td>
      </tr>`,
    )}</tbody>
  </table>`;
}
