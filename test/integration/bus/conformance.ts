import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Bus } from "../../../src/bus/index.js";
import { type Envelope, GuildError, isGuildError } from "../../../src/protocol/index.js";
import { durableConformance } from "./conformance-durable.js";
import { type BusFixture, Ping, Pong, ping, pong, sleep, unique } from "./conformance-fixtures.js";
import { workQueueConformance } from "./conformance-work-queue.js";

/** One spec, run against every Bus implementation: the transports must not differ in anything guild relies on. */
export function runBusConformance(name: string, factory: () => Promise<BusFixture>): void {
  describe(`Bus conformance: ${name}`, () => {
    let fixture: BusFixture;
    const bus = (): Bus => fixture.bus;
    beforeEach(async () => {
      fixture = await factory();
    });
    afterEach(async () => {
      await fixture.dispose();
    });

    describe("core messaging", () => coreConformance(bus));
    describe("work queue", () => workQueueConformance(bus));
    describe("event log, kv, blobs, rejection", () => durableConformance(bus));
  });
}

function coreConformance(bus: () => Bus): void {
  it("matches `*` to one token and `>` to one or more trailing tokens", async () => {
    const root = unique();
    const star: string[] = [];
    const tail: string[] = [];
    await bus().subscribe(`${root}.*.x`, Ping, (_m, meta) => void star.push(meta.subject));
    await bus().subscribe(`${root}.>`, Ping, (_m, meta) => void tail.push(meta.subject));
    for (const s of [`${root}.a.x`, `${root}.a.b.x`, `${root}.b.x`, `${root}.a`, root]) {
      await bus().publish(s, ping(1));
    }
    await vi.waitFor(() => expect(tail).toHaveLength(4));
    expect(new Set(star)).toEqual(new Set([`${root}.a.x`, `${root}.b.x`]));
    expect(new Set(tail)).toEqual(new Set([`${root}.a.x`, `${root}.a.b.x`, `${root}.b.x`, `${root}.a`]));
  });

  it("delivers the messages of one subject in publish order", async () => {
    const subject = unique();
    const seen: number[] = [];
    await bus().subscribe(subject, Ping, async (m) => {
      if (m.payload.n % 7 === 0) await sleep(1);
      seen.push(m.payload.n);
    });
    for (let n = 0; n < 300; n++) await bus().publish(subject, ping(n));
    await vi.waitFor(() => expect(seen).toHaveLength(300));
    expect(seen).toEqual([...Array(300).keys()]);
  });

  it("shares a queue group's messages between its members, each message once", async () => {
    const subject = unique();
    const a: number[] = [];
    const b: number[] = [];
    const all: number[] = [];
    await bus().subscribe(subject, Ping, (m) => void a.push(m.payload.n), { queue: "workers" });
    await bus().subscribe(subject, Ping, (m) => void b.push(m.payload.n), { queue: "workers" });
    await bus().subscribe(subject, Ping, (m) => void all.push(m.payload.n));
    for (let n = 0; n < 200; n++) await bus().publish(subject, ping(n));
    await vi.waitFor(() => expect(all).toHaveLength(200));
    await vi.waitFor(() => expect(a.length + b.length).toBe(200));
    expect(a.length).toBeGreaterThan(0);
    expect(b.length).toBeGreaterThan(0);
    expect(new Set([...a, ...b]).size).toBe(200);
  });

  it("answers requests, and rethrows a served GuildError with its code", async () => {
    const subject = unique();
    await bus().serve(subject, Ping, async (m) => {
      if (m.payload.n < 0)
        throw new GuildError("goal.not_found", "no such goal", { details: { goalId: `g${m.payload.n}` } });
      return pong(m.payload.n * 2);
    });
    const reply = await bus().request(subject, ping(21), Pong);
    expect(reply.payload.n).toBe(42);
    const error = await bus()
      .request(subject, ping(-1), Pong)
      .catch((e: unknown) => e);
    expect(isGuildError(error, "goal.not_found")).toBe(true);
    expect((error as GuildError).details).toEqual({ goalId: "g-1" });
  });

  it("refuses a served error whose details do not fit its code, and records the rejection", async () => {
    const subject = unique();
    const rejections: { subject: string; issues: { path: string }[] }[] = [];
    bus().onRejected((r) => rejections.push(r));
    await bus().serve(subject, Ping, async () => {
      // What a peer at another version might send: bus.timeout details without their timeout.
      throw new GuildError("bus.timeout", "slow", { details: { subject: 42 } as never });
    });
    const error = await bus()
      .request(subject, ping(1), Pong)
      .catch((e: unknown) => e);
    expect(isGuildError(error, "bus.invalid_message")).toBe(true);
    expect(isGuildError((error as GuildError).cause, "bus.timeout")).toBe(true);
    expect(rejections.map((r) => r.subject)).toEqual([subject]);
    expect(rejections[0]?.issues.map((i) => i.path).sort()).toEqual(["subject", "timeoutMs"]);
  });

  it("fails a request with bus.no_responders when no one serves, and bus.timeout when no one answers", async () => {
    const none = await bus()
      .request(unique(), ping(1), Pong, { timeoutMs: 2000 })
      .catch((e: unknown) => e);
    expect(isGuildError(none, "bus.no_responders")).toBe(true);

    const subject = unique();
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const sub = await bus().serve(subject, Ping, async () => {
      await held;
      return pong(0);
    });
    const slow = await bus()
      .request(subject, ping(1), Pong, { timeoutMs: 200 })
      .catch((e: unknown) => e);
    expect(isGuildError(slow, "bus.timeout")).toBe(true);
    release();
    await sub.unsubscribe();
  });

  it("fails to publish with bus.closed once closed", async () => {
    await bus().close();
    const error = await bus()
      .publish(unique(), ping(1))
      .catch((e: unknown) => e);
    expect(isGuildError(error, "bus.closed")).toBe(true);
  });

  it("refuses to send an invalid envelope", async () => {
    const bad = { ...ping(1), type: "Not Dotted" } as unknown as Envelope;
    const error = await bus()
      .publish(unique(), bad)
      .catch((e: unknown) => e);
    expect(isGuildError(error, "bus.invalid_message")).toBe(true);
  });
}
