import { NatsBus, NatsServerProcess } from "../src/bus/index.js";
import { startDashboard } from "../src/dashboard/index.js";
import { type GuildEvent, makeEnvelope } from "../src/protocol/index.js";
import { hasChromium, launchChromium } from "../test/helpers/chromium.js";
import type { Benchmark, BenchRow } from "./harness.js";

const EVENTS = 10_000;
const GOAL = "benchgoal";
const TYPES = ["agent.step", "agent.step", "agent.step", "task.claimed", "agent.state.changed"] as const;

/** A realistic mix: mostly brain steps, with claims and state changes of five agents between them. */
function event(i: number): GuildEvent {
  const type = TYPES[i % TYPES.length] ?? "agent.step";
  const agentId = `role${i % 5}-1`;
  const payload =
    type === "agent.step"
      ? {
          taskId: `t${i % 40}`,
          kind: "thought",
          text: `step ${i}: reading src/lib/module-${i % 97}.ts for the fix`,
        }
      : type === "task.claimed"
        ? { taskId: `t${i % 40}`, agentId, attempt: 1 }
        : { agentId, role: `role${i % 5}`, from: "claimed", to: "working" };
  return makeEnvelope({ type, source: agentId, goalId: GOAL, payload }) as GuildEvent;
}

async function append(bus: NatsBus, from: number, count: number): Promise<void> {
  for (let i = from; i < from + count; i += 200) {
    const batch: Promise<number | undefined>[] = [];
    for (let j = i; j < Math.min(from + count, i + 200); j++) batch.push(bus.events.append(event(j)));
    await Promise.all(batch);
  }
}

const RENDERED = (n: number) =>
  `Number(document.querySelector('[data-testid="event-count"]')?.dataset.count) >= ${n} && !!document.querySelector('[data-seq="${n}"]')`;

const bench: Benchmark = {
  name: "dashboard",
  description:
    "10,000 events from the log to rendered rows in the page, vs a plain bus follower reading them",
  async run(progress) {
    if (!hasChromium()) {
      return { name: "dashboard", description: "skipped: no /usr/bin/chromium", rows: [] };
    }
    await using server = await NatsServerProcess.start();
    const bus = await NatsBus.connect({ url: server.url, name: "bench-dashboard" });
    const dashboard = await startDashboard({ bus });
    await using browser = await launchChromium();
    const rows: BenchRow[] = [];
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      const cdp = await page.context().newCDPSession(page);
      await cdp.send("Performance.enable");
      const heap = async () => {
        await cdp.send("HeapProfiler.collectGarbage");
        const { metrics } = await cdp.send("Performance.getMetrics");
        return (metrics.find((m) => m.name === "JSHeapUsedSize")?.value ?? 0) / 1_048_576;
      };
      // Polled with evaluate: the page's CSP forbids the string evaluation waitForFunction polls with.
      const rendered = async (n: number) => {
        const until = performance.now() + 120_000;
        while (!(await page.evaluate(RENDERED(n)))) {
          if (performance.now() > until) throw new Error(`the page did not render ${n} events in time`);
          await new Promise((r) => setTimeout(r, 20));
        }
      };
      const domNodes = () => page.evaluate("document.getElementsByTagName('*').length") as Promise<number>;

      progress("empty page");
      await page.goto(`${dashboard.url}#events`);
      await page.waitForSelector('[data-testid="event-list"]');
      const emptyHeap = await heap();
      const emptyNodes = await domNodes();

      progress(`appending ${EVENTS} events`);
      await append(bus, 0, EVENTS);
      const readStart = performance.now();
      const read = await bus.events.read({ fromSeq: 1 });
      const readMs = performance.now() - readStart;
      if (read.length !== EVENTS) throw new Error(`the follower read ${read.length} events, not ${EVENTS}`);

      progress("reload: replay into the page");
      const loadStart = performance.now();
      await page.reload();
      await rendered(EVENTS);
      const loadMs = performance.now() - loadStart;
      const fullHeap = await heap();
      const fullNodes = await domNodes();

      progress("live: appended while the page follows");
      const liveStart = performance.now();
      await append(bus, EVENTS, EVENTS);
      await rendered(2 * EVENTS);
      const liveMs = performance.now() - liveStart;
      const liveHeap = await heap();
      const liveNodes = await domNodes();

      rows.push({ metric: "10,000 events: bus follower reads them", value: readMs, unit: "ms" });
      rows.push({
        metric: "10,000 events: page load to rendered (replay)",
        value: loadMs,
        unit: "ms",
        ratio: loadMs / readMs,
      });
      rows.push({
        metric: "10,000 more appended live to rendered",
        value: liveMs,
        unit: "ms",
        ratio: liveMs / readMs,
      });
      rows.push({ metric: "page JS heap, no events", value: emptyHeap, unit: "MiB" });
      rows.push({
        metric: "page JS heap, 10,000 events",
        value: fullHeap,
        unit: "MiB",
        ratio: fullHeap / emptyHeap,
      });
      rows.push({
        metric: "page JS heap, 20,000 events",
        value: liveHeap,
        unit: "MiB",
        ratio: liveHeap / emptyHeap,
      });
      rows.push({ metric: "DOM elements, no events", value: emptyNodes, unit: "elements" });
      rows.push({ metric: "DOM elements, 10,000 events", value: fullNodes, unit: "elements" });
      // Only the rows in view are in the DOM: doubling the events must not grow it.
      rows.push({
        metric: "DOM elements, 20,000 events",
        value: liveNodes,
        unit: "elements",
        ratio: liveNodes / fullNodes,
        target: "< 1.1x of 10,000",
        ok: liveNodes / fullNodes < 1.1,
      });
      return {
        name: "dashboard",
        description:
          "10,000 events from the log to rendered rows in the page, vs a plain bus follower reading them",
        rows,
        notes: [
          "ratios of times are against the bus follower's read of the same 10,000 events; heaps against the empty page",
        ],
      };
    } finally {
      await dashboard.close();
      await bus.close();
    }
  },
};

export default bench;
