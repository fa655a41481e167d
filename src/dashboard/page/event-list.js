import { useEffect, useMemo, useRef, useState } from "/vendor/preact-hooks.mjs";
import { roleOf } from "./event-store.js";
import { html } from "./html.js";

const ROW = 22;
const OVERSCAN = 10;

/** A one-line description of an event, from the fields people look for first. */
export function describe(event) {
  const p = event.payload ?? {};
  const parts = [p.taskId, p.agentId && p.agentId !== event.source ? p.agentId : undefined];
  const text = p.reason ?? p.text ?? p.summary ?? (p.changedPaths ? p.changedPaths.join(", ") : undefined);
  if (p.to) parts.push(`${p.from} → ${p.to}`);
  if (p.files) parts.push(p.files.join(", "));
  if (text) parts.push(String(text).split("\n")[0].slice(0, 200));
  return parts.filter(Boolean).join("  ");
}

function matches(event, filter) {
  if (filter.goal && event.goalId !== filter.goal) return false;
  if (filter.role && roleOf(event) !== filter.role) return false;
  if (filter.type && !event.type.startsWith(filter.type)) return false;
  return true;
}

/**
 * The event stream with goal, role and type filters. Only the rows in view are in the DOM (a fixed row
 * height makes the window a division), so ten thousand events scroll like ten.
 */
export function EventList({ store, version, goals }) {
  const [filter, setFilter] = useState({ goal: "", role: "", type: "" });
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(480);
  const [follow, setFollow] = useState(true);
  const box = useRef(null);
  const events = store.events;
  const shown = useMemo(
    () => (filter.goal || filter.role || filter.type ? events.filter((e) => matches(e, filter)) : events),
    [version, filter.goal, filter.role, filter.type],
  );
  const roles = useMemo(() => [...new Set(events.map(roleOf))].sort(), [version]);
  const types = useMemo(() => [...new Set(events.map((e) => e.type))].sort(), [version]);

  useEffect(() => {
    if (box.current) setHeight(box.current.clientHeight || 480);
  }, []);
  useEffect(() => {
    if (follow && box.current) box.current.scrollTop = shown.length * ROW;
  }, [shown.length, follow]);

  const first = Math.max(0, Math.floor(scrollTop / ROW) - OVERSCAN);
  const last = Math.min(shown.length, Math.ceil((scrollTop + height) / ROW) + OVERSCAN);
  const rows = [];
  for (let i = first; i < last; i++) {
    const e = shown[i];
    rows.push(html`<div class="event-row" style=${`top:${i * ROW}px`} data-seq=${e.seq} key=${e.seq}>
      <span class="seq">#${e.seq}</span>
      <span class="time">${e.time.slice(11, 19)}</span>
      <span class="src">${e.source}</span>
      <span class=${`type t-${e.type.split(".")[0]}`}>${e.type}</span>
      <span class="ev-goal">${e.goalId ?? ""}</span>
      <span class="text">${describe(e)}</span>
    </div>`);
  }
  const set = (key) => (ev) => setFilter({ ...filter, [key]: ev.currentTarget.value });
  return html`<section class="events">
    <div class="filters">
      <select data-testid="filter-goal" value=${filter.goal} onChange=${set("goal")}>
        <option value="">every goal</option>
        ${goals.map((g) => html`<option value=${g.goalId}>${g.goalId}</option>`)}
      </select>
      <select data-testid="filter-role" value=${filter.role} onChange=${set("role")}>
        <option value="">every role</option>
        ${roles.map((r) => html`<option value=${r}>${r}</option>`)}
      </select>
      <select data-testid="filter-type" value=${filter.type} onChange=${set("type")}>
        <option value="">every type</option>
        ${types.map((t) => html`<option value=${t}>${t}</option>`)}
      </select>
      <label><input type="checkbox" checked=${follow} onChange=${(ev) => setFollow(ev.currentTarget.checked)} /> follow</label>
      <span class="count" data-testid="event-count" data-count=${shown.length}>${shown.length} of ${events.length} events</span>
    </div>
    <div class="event-scroll" ref=${box} data-testid="event-list"
      onScroll=${(ev) => setScrollTop(ev.currentTarget.scrollTop)}>
      <div class="event-space" style=${`height:${shown.length * ROW}px`}>${rows}</div>
    </div>
  </section>`;
}
