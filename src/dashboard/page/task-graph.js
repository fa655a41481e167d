import dagre from "/vendor/dagre.mjs";
import { useMemo } from "/vendor/preact-hooks.mjs";
import { html } from "./html.js";

const WIDTH = 250;
const HEIGHT = 70;

function elapsed(task, now) {
  if (task.dispatchedAt === undefined) return "";
  const end = task.proposedAt ?? (["dispatched"].includes(task.status) ? now : undefined);
  if (end === undefined) return "";
  const s = Math.max(0, Math.round((end - task.dispatchedAt) / 1000));
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
}

const clip = (text, n) => (text.length > n ? `${text.slice(0, n - 1)}…` : text);

/** Lays the plan's tasks out left to right by their dependencies (dagre) and draws them as an SVG. */
export function TaskGraph({ tasks, onSelect, selected }) {
  const layout = useMemo(() => {
    const g = new dagre.graphlib.Graph();
    g.setGraph({ rankdir: "LR", nodesep: 18, ranksep: 46, marginx: 8, marginy: 8 });
    g.setDefaultEdgeLabel(() => ({}));
    for (const t of tasks) g.setNode(t.taskId, { width: WIDTH, height: HEIGHT });
    for (const t of tasks) for (const d of t.dependsOn) if (g.hasNode(d)) g.setEdge(d, t.taskId);
    dagre.layout(g);
    return g;
  }, [tasks.map((t) => `${t.taskId}<${t.dependsOn.join(",")}`).join(";")]);
  const graph = layout.graph();
  const now = Date.now();
  return html`<svg class="dag" data-testid="task-graph" width=${graph.width ?? 0} height=${graph.height ?? 0}>
    <defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto">
      <path d="M0,0 L10,5 L0,10 z" class="arrow" /></marker></defs>
    ${layout.edges().map((e) => {
      const points = layout.edge(e).points ?? [];
      const d = points.map((p, i) => `${i ? "L" : "M"}${p.x},${p.y}`).join(" ");
      return html`<path class="edge" d=${d} marker-end="url(#arrow)" />`;
    })}
    ${tasks.map((t) => {
      const n = layout.node(t.taskId);
      if (!n) return null;
      const x = n.x - WIDTH / 2;
      const y = n.y - HEIGHT / 2;
      return html`<g class=${`task s-${t.status}${selected === t.taskId ? " selected" : ""}`}
        data-task=${t.taskId} data-status=${t.status} transform=${`translate(${x},${y})`}
        onClick=${() => onSelect?.(t.taskId)}>
        <rect width=${WIDTH} height=${HEIGHT} rx="6" />
        <text x="10" y="18" class="title">${clip(`${t.taskId}: ${t.title}`, 36)}</text>
        <text x="10" y="36">${t.role}${t.agentId ? ` · ${t.agentId}` : ""}</text>
        <text x="10" y="54" class="status">${t.status} · try ${t.attempt}${elapsed(t, now) ? ` · ${elapsed(t, now)}` : ""}</text>
      </g>`;
    })}
  </svg>`;
}
