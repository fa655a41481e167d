import { useEffect, useRef, useState } from "/vendor/preact-hooks.mjs";
import { getJson } from "./api.js";
import { html } from "./html.js";

/** Owners of each changed path, as the rules say: who may change it, and whether only a person may. */
export function OwnerList({ paths }) {
  if (!paths?.length) return null;
  return html`<ul class="owners">
    ${paths.map(
      (
        p,
      ) => html`<li><code>${p.path}</code> <span class="owner">${p.owners.length ? p.owners.join(" ") : "unowned"}</span>
        ${p.protected ? html`<span class="badge protected">protected</span>` : null}</li>`,
    )}
  </ul>`;
}

/** A unified diff drawn by diff2html (its bundle is loaded by the page as a classic script). */
export function DiffHtml({ diff }) {
  const box = useRef(null);
  useEffect(() => {
    if (!box.current) return;
    box.current.innerHTML = diff
      ? window.Diff2Html.html(diff, { drawFileList: false, matching: "lines", outputFormat: "line-by-line" })
      : "<p class='muted'>no changes</p>";
  }, [diff]);
  return html`<div class="diff" data-testid="diff" ref=${box}></div>`;
}

/** Fetches and shows one proposal's diff (optionally limited to some paths), with the owner of every path. */
export function ProposalDiff({ goalId, proposalId, paths, showOwners = true }) {
  const [state, setState] = useState({ loading: true });
  useEffect(() => {
    const query = paths?.length ? `?paths=${encodeURIComponent(paths.join(","))}` : "";
    getJson(`/api/goals/${goalId}/proposals/${encodeURIComponent(proposalId)}/diff${query}`)
      .then((body) => setState({ body }))
      .catch((error) => setState({ error: error.message }));
  }, [goalId, proposalId, paths?.join(",")]);
  if (state.loading) return html`<p class="muted">loading diff…</p>`;
  if (state.error) return html`<p class="error">${state.error}</p>`;
  return html`<div>${showOwners ? html`<${OwnerList} paths=${state.body.owners} />` : null}<${DiffHtml} diff=${state.body.diff} /></div>`;
}
