import { render } from "/vendor/preact.mjs";
import { useEffect, useRef, useState } from "/vendor/preact-hooks.mjs";
import { getJson, readOnly } from "./api.js";
import { EventList } from "./event-list.js";
import { createEventStore } from "./event-store.js";
import { html } from "./html.js";
import { AgentList, ConflictList, DecisionList, GoalList, ProposalList } from "./panels.js";
import { TalkList } from "./talk-list.js";
import { talkOf } from "./talk-log.js";
import { TaskGraph } from "./task-graph.js";

const store = createEventStore();
const TABS = ["proposals", "conflicts", "decisions", "talk", "agents", "events"];

// Events that change what the JSON endpoints return; anything else (a brain's step) only adds a row.
const REFRESHING =
  /^(goal|plan|task|proposal|conflict|decision|merge|verify|coordinator|agent\.(online|state))\./;

/** Calls `fn` at most once per `ms`, after the last call in a burst. */
function debounce(fn, ms) {
  let timer = 0;
  return () => {
    clearTimeout(timer);
    timer = setTimeout(fn, ms);
  };
}

function App() {
  const [version, setVersion] = useState(0);
  const [goals, setGoals] = useState([]);
  const [selected, setSelected] = useState(undefined);
  const [detail, setDetail] = useState({ proposals: [], conflicts: [] });
  const [decisions, setDecisions] = useState([]);
  const [agents, setAgents] = useState([]);
  const [tab, setTab] = useState(location.hash.slice(1) || "proposals");
  const [error, setError] = useState("");
  const selectedRef = useRef(selected);
  selectedRef.current = selected;

  const refresh = useRef(
    debounce(async () => {
      try {
        const [g, d, a] = await Promise.all([
          getJson("/api/goals"),
          getJson("/api/decisions"),
          getJson("/api/agents"),
        ]);
        setGoals(g);
        setDecisions(d);
        setAgents(a);
        const goalId = selectedRef.current ?? g[0]?.goalId;
        if (goalId && !selectedRef.current) setSelected(goalId);
        if (goalId) {
          const [proposals, conflicts] = await Promise.all([
            getJson(`/api/goals/${goalId}/proposals`),
            getJson(`/api/goals/${goalId}/conflicts`),
          ]);
          setDetail({ goalId, proposals, conflicts });
        }
        setError("");
      } catch (e) {
        setError(e.message);
      }
    }, 150),
  ).current;

  useEffect(() => {
    refresh();
    return store.subscribe((batch) => {
      setVersion((v) => v + 1);
      if (batch.length === 0 || batch.some((e) => REFRESHING.test(e.type))) refresh();
    });
  }, []);
  useEffect(() => refresh(), [selected]);
  useEffect(() => {
    location.hash = tab;
  }, [tab]);

  const goal = goals.find((g) => g.goalId === selected);
  const proposals = detail.goalId === selected ? detail.proposals : [];
  const conflicts = detail.goalId === selected ? detail.conflicts : [];
  const talk = selected ? talkOf(store.events, selected).length : 0;
  const counts = { decisions: decisions.length, talk, agents: agents.length, events: store.events.length };
  return html`<header>
      <h1>guild</h1>
      <span class=${`conn c-${store.status}`} data-testid="connection" data-last=${store.lastSeq}>${store.status}</span>
      <span class="hint">last event #${store.lastSeq}</span>
      ${readOnly ? html`<span class="badge">read-only</span>` : null}
      ${error ? html`<span class="error">${error}</span>` : null}
    </header>
    <main>
      <aside><h2>goals</h2><${GoalList} goals=${goals} selected=${selected} onSelect=${setSelected} /></aside>
      <section class="detail">
        ${
          goal
            ? html`<h2>${goal.text} <span class=${`badge g-${goal.status}`}>${goal.status}</span></h2>
            <div class="muted">${goal.goalId} · ${goal.state} · ${goal.tokens.input} in / ${goal.tokens.output} out tokens
              ${goal.verify ? ` · tests ${goal.verify.passed ? "passed" : "failed"}` : ""}</div>
            <div class="graph-box"><${TaskGraph} tasks=${goal.tasks} /></div>`
            : html`<p class="muted">waiting for a goal…</p>`
        }
        <nav class="tabs">${TABS.map(
          (
            t,
          ) => html`<button type="button" data-tab=${t} class=${tab === t ? "active" : ""} onClick=${() => setTab(t)}>
            ${t}${counts[t] ? ` (${counts[t]})` : ""}</button>`,
        )}</nav>
        <div class="tab-body">
          ${tab === "proposals" && goal ? html`<${ProposalList} goalId=${goal.goalId} proposals=${proposals} />` : null}
          ${tab === "conflicts" && goal ? html`<${ConflictList} goalId=${goal.goalId} conflicts=${conflicts} proposals=${proposals} />` : null}
          ${tab === "decisions" ? html`<${DecisionList} decisions=${decisions} onDone=${refresh} />` : null}
          ${tab === "talk" && goal ? html`<${TalkList} store=${store} version=${version} goalId=${goal.goalId} />` : null}
          ${tab === "agents" ? html`<${AgentList} agents=${agents} />` : null}
          ${tab === "events" ? html`<${EventList} store=${store} version=${version} goals=${goals} />` : null}
        </div>
      </section>
    </main>`;
}

render(html`<${App} />`, document.getElementById("app"));
