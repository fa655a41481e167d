import { createHash } from "node:crypto";
import type { LineSpan, OverlapDetected, SurfaceChange, WorkProgress } from "../../protocol/index.js";

/** Whether task `user`'s base already holds task `other`'s change (then `user` wrote against it). */
export type BaseContains = (user: string, other: string) => boolean;

interface Tracked {
  progress: WorkProgress;
  merged: boolean;
}

function idOf(key: string): string {
  return `ov-${createHash("sha256").update(key).digest("hex").slice(0, 16)}`;
}

function intersect(a: LineSpan, b: LineSpan): LineSpan | undefined {
  const start = Math.max(a.start, b.start);
  const end = Math.min(a.end, b.end);
  return start <= end ? { start, end } : undefined;
}

/** A removed export and an added one of the same shape in the same module: a rename. */
function renameOf(removed: SurfaceChange, surface: readonly SurfaceChange[]): string | undefined {
  if (!removed.before) return undefined;
  const word = new RegExp(`\\b${removed.symbol.replace(/[$]/g, "\\$")}\\b`, "g");
  for (const added of surface) {
    if (added.change !== "added" || added.path !== removed.path || !added.after) continue;
    if (removed.before.replace(word, added.symbol) === added.after) return added.symbol;
  }
  return undefined;
}

/**
 * Finds, from the latest progress of a goal's tasks (in flight, or merged), where one task's change
 * breaks or overlaps another's: an export one removes or changes that the other's changed lines use,
 * or the same lines of a file changed by both. Each pair and symbol (or file) is reported once.
 */
export class OverlapDetector {
  readonly #tasks = new Map<string, Tracked>();
  readonly #raised = new Set<string>();
  readonly #baseContains: BaseContains;

  constructor(baseContains: BaseContains = () => false) {
    this.#baseContains = baseContains;
  }

  /** Takes a task's newest progress and returns the overlaps it makes that were not reported before. */
  update(progress: WorkProgress): OverlapDetected[] {
    const known = this.#tasks.get(progress.taskId);
    if (known) {
      const older =
        progress.attempt < known.progress.attempt ||
        (progress.attempt === known.progress.attempt && progress.seq <= known.progress.seq);
      if (older) return [];
    }
    this.#tasks.set(progress.taskId, { progress, merged: false });
    const out: OverlapDetected[] = [];
    for (const [taskId, other] of this.#tasks) {
      if (taskId === progress.taskId) continue;
      out.push(...this.#exports(other.progress, progress), ...this.#exports(progress, other.progress));
      out.push(...this.#lines(other.progress, progress));
    }
    return out;
  }

  /** The task's change is in the integration branch: it stays, as what others must fit. */
  merged(taskId: string): void {
    const tracked = this.#tasks.get(taskId);
    if (tracked) tracked.merged = true;
  }

  /** The task's change will not land (failed, rejected, cancelled): it no longer overlaps anything. */
  forget(taskId: string): void {
    const tracked = this.#tasks.get(taskId);
    if (tracked && !tracked.merged) this.#tasks.delete(taskId);
  }

  /** How many tasks are tracked (for bounds in tests and logs). */
  get size(): number {
    return this.#tasks.size;
  }

  #once(key: string): string | undefined {
    if (this.#raised.has(key)) return undefined;
    this.#raised.add(key);
    return idOf(key);
  }

  /** `breaker` removes or changes an export that `user`'s changed lines use. */
  #exports(breaker: WorkProgress, user: WorkProgress): OverlapDetected[] {
    if (this.#baseContains(user.taskId, breaker.taskId)) return [];
    const out: OverlapDetected[] = [];
    for (const use of user.uses) {
      const hit = breaker.surface.find(
        (c) => c.path === use.path && c.symbol === use.symbol && c.change !== "added",
      );
      if (!hit) continue;
      const overlapId = this.#once(`export\0${breaker.taskId}\0${user.taskId}\0${hit.path}\0${hit.symbol}`);
      if (!overlapId) continue;
      const renamedTo = hit.change === "removed" ? renameOf(hit, breaker.surface) : undefined;
      const change = renamedTo ? "renamed" : hit.change === "removed" ? "removed" : "changed";
      const did =
        change === "renamed"
          ? `renamed export ${hit.symbol} to ${renamedTo} in ${hit.path}`
          : change === "removed"
            ? `removed export ${hit.symbol} (${hit.before ?? "?"}) from ${hit.path}`
            : `changed export ${hit.symbol} in ${hit.path} from ${hit.before ?? "?"} to ${hit.after ?? "?"}`;
      out.push({
        overlapId,
        kind: "export",
        path: hit.path,
        symbol: hit.symbol,
        change,
        ...(renamedTo ? { renamedTo } : {}),
        a: { taskId: breaker.taskId, role: breaker.role, agentId: breaker.agentId, did },
        b: {
          taskId: user.taskId,
          role: user.role,
          agentId: user.agentId,
          did: `uses ${hit.symbol} from ${hit.path} in ${use.in}`,
        },
      });
    }
    return out;
  }

  /** Both tasks change the same lines of a file (or both add it). */
  #lines(a: WorkProgress, b: WorkProgress): OverlapDetected[] {
    if (this.#baseContains(a.taskId, b.taskId) || this.#baseContains(b.taskId, a.taskId)) return [];
    const out: OverlapDetected[] = [];
    for (const fa of a.files) {
      const fb = b.files.find((f) => f.path === fa.path);
      if (!fb) continue;
      let lines: LineSpan | undefined;
      if (fa.status === "added" && fb.status === "added") lines = { start: 1, end: 1 };
      for (const sa of fa.baseLines) {
        for (const sb of fb.baseLines) lines ??= intersect(sa, sb);
      }
      if (!lines) continue;
      const [first, second] = a.taskId < b.taskId ? [a, b] : [b, a];
      const overlapId = this.#once(`lines\0${first.taskId}\0${second.taskId}\0${fa.path}`);
      if (!overlapId) continue;
      const span = lines.start === lines.end ? `line ${lines.start}` : `lines ${lines.start}-${lines.end}`;
      const did =
        fa.status === "added" && fb.status === "added" ? `adds ${fa.path}` : `changes ${span} of ${fa.path}`;
      out.push({
        overlapId,
        kind: "lines",
        path: fa.path,
        lines,
        a: { taskId: first.taskId, role: first.role, agentId: first.agentId, did },
        b: { taskId: second.taskId, role: second.role, agentId: second.agentId, did },
      });
    }
    return out;
  }
}
