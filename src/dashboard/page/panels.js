import { useState } from "/vendor/preact-hooks.mjs";
import { postJson, readOnly } from "./api.js";
import { DiffHtml, OwnerList, ProposalDiff } from "./diff-view.js";
import { html } from "./html.js";

const money = (n) => (n > 0 ? `$${n.toFixed(4)}` : "—");

/** Every goal with its state, progress, tokens and cost; a click selects it. */
export function GoalList({ goals, selected, onSelect }) {
  if (goals.length === 0)
    return html`<p class="muted">no goals yet: <code>guild goal "…" --repo …</code></p>`;
  return html`<ul class="goals" data-testid="goals">
    ${goals.map((g) => {
      const merged = g.tasks.filter((t) => t.status === "merged").length;
      return html`<li class=${`goal${selected === g.goalId ? " selected" : ""}`} data-goal=${g.goalId}
        data-status=${g.status} onClick=${() => onSelect(g.goalId)}>
        <div class="goal-head"><span class=${`badge g-${g.status}`}>${g.status}</span> <code>${g.goalId}</code></div>
        <div class="goal-text">${g.text}</div>
        <div class="goal-meta">${g.state} · ${merged}/${g.tasks.length} merged · ${g.tokens.total} tokens · ${money(g.cost)}</div>
        ${g.reason ? html`<div class="goal-reason">${g.reason}</div>` : null}
      </li>`;
    })}
  </ul>`;
}

/** The goal's proposals: who made them, what review decided and why, the owners, and the diff on demand. */
export function ProposalList({ goalId, proposals }) {
  const [open, setOpen] = useState(undefined);
  if (proposals.length === 0) return html`<p class="muted">no proposals yet</p>`;
  return html`<ul class="proposals" data-testid="proposals">
    ${proposals.map(
      (p) => html`<li data-proposal=${p.proposalId} data-outcome=${p.outcome} data-role=${p.role}>
        <div><span class=${`badge o-${p.outcome}`}>${p.outcome.replace("_", " ")}</span>
          <b>${p.taskId}</b> by ${p.agentId} (${p.role})
          <button type="button" data-testid="open-diff" onClick=${() => setOpen(open === p.proposalId ? undefined : p.proposalId)}>
            ${open === p.proposalId ? "hide diff" : "diff"}</button></div>
        ${p.reason ? html`<div class="why">${p.reason}</div>` : null}
        ${p.rationale ? html`<div class="rationale">${p.rationale.split("\n")[0]}</div>` : null}
        <${OwnerList} paths=${p.paths} />
        ${open === p.proposalId ? html`<${ProposalDiff} goalId=${goalId} proposalId=${p.proposalId} showOwners=${false} />` : null}
      </li>`,
    )}
  </ul>`;
}

/** Conflicts: both sides (each side's change to the contested files) and how settlement decided. */
export function ConflictList({ goalId, conflicts, proposals }) {
  if (conflicts.length === 0) return html`<p class="muted">no conflicts</p>`;
  const latest = (taskId) => proposals.filter((p) => p.taskId === taskId).at(-1);
  return html`<ul class="conflicts" data-testid="conflicts">
    ${conflicts.map(
      (c) => html`<li>
        <div><b>${c.taskIds.join(" ⟷ ")}</b> on ${c.files.join(", ")}</div>
        ${
          c.settlement
            ? html`<div class="why">winner <b>${c.settlement.winner}</b> over ${c.settlement.loser}
                by <span class="badge">${c.settlement.policy}</span>: ${c.settlement.reason}</div>`
            : html`<div class="why">not settled yet</div>`
        }
        <div class="sides">
          ${c.taskIds.map((t) => {
            const p = latest(t);
            return html`<div class="side"><h4>${t}</h4>
              ${p ? html`<${ProposalDiff} goalId=${goalId} proposalId=${p.proposalId} paths=${c.files} />` : html`<p class="muted">no proposal</p>`}</div>`;
          })}
        </div>
      </li>`,
    )}
  </ul>`;
}

/** Decisions waiting for a person: approve, reject with a reason, or pick the winner of a conflict. */
export function DecisionList({ decisions, onDone }) {
  const [message, setMessage] = useState("");
  const [reasons, setReasons] = useState({});
  if (decisions.length === 0)
    return html`<p class="muted" data-testid="no-decisions">nothing waits for a decision</p>`;
  async function answer(id, body) {
    const reply = await postJson(`/api/decisions/${encodeURIComponent(id)}`, body);
    setMessage(reply.message);
    onDone();
  }
  return html`<div><ul class="decisions" data-testid="decisions">
    ${decisions.map(
      (d) => html`<li data-decision=${d.id}>
        <div><span class=${`badge d-${d.kind}`}>${d.kind}</span> <code>${d.id}</code> tasks ${d.taskIds.join(", ")}
          · paths ${d.paths.join(", ")}</div>
        <div class="why">${d.reason}</div>
        ${
          readOnly
            ? null
            : html`<div class="actions">
          ${
            d.kind === "conflict"
              ? d.taskIds.map(
                  (t) => html`<button type="button" data-testid="pick-winner" data-winner=${t}
                    onClick=${() => answer(d.id, { approve: true, winner: t })}>keep ${t}</button>`,
                )
              : html`<button type="button" data-testid="approve" onClick=${() => answer(d.id, { approve: true })}>approve</button>`
          }
          <input placeholder="reason to reject" value=${reasons[d.id] ?? ""}
            onInput=${(e) => setReasons({ ...reasons, [d.id]: e.currentTarget.value })} />
          <button type="button" data-testid="reject" disabled=${!reasons[d.id]}
            onClick=${() => answer(d.id, { approve: false, reason: reasons[d.id] })}>reject</button>
        </div>`
        }
        <${DiffHtml} diff=${d.diff} />
      </li>`,
    )}
  </ul><p class="message" data-testid="decision-message">${message}</p></div>`;
}

/** Agents that announced themselves, what each works on now, and a box to tell one something. */
export function AgentList({ agents }) {
  const [texts, setTexts] = useState({});
  const [message, setMessage] = useState("");
  if (agents.length === 0) return html`<p class="muted">no agents online</p>`;
  async function tell(agentId) {
    const reply = await postJson(`/api/agents/${encodeURIComponent(agentId)}/tell`, { text: texts[agentId] });
    setMessage(reply.message);
    if (reply.ok) setTexts({ ...texts, [agentId]: "" });
  }
  return html`<div><table class="agents" data-testid="agents">
    <thead><tr><th>agent</th><th>role</th><th>state</th><th>working on</th><th>last seen</th>${readOnly ? null : html`<th>tell</th>`}</tr></thead>
    <tbody>${agents.map(
      (a) => html`<tr data-agent=${a.agentId}>
        <td><code>${a.agentId}</code></td><td>${a.role}</td><td>${a.state}</td>
        <td>${a.taskId ? `${a.goalId} / ${a.taskId}` : "—"}</td><td>${a.lastSeen.slice(11, 19)}</td>
        ${
          readOnly
            ? null
            : html`<td><input value=${texts[a.agentId] ?? ""} placeholder="more context…"
            onInput=${(e) => setTexts({ ...texts, [a.agentId]: e.currentTarget.value })} />
          <button type="button" disabled=${!texts[a.agentId]} onClick=${() => tell(a.agentId)}>tell</button></td>`
        }
      </tr>`,
    )}</tbody></table><p class="message">${message}</p></div>`;
}
