import { createHash, randomBytes } from "node:crypto";
import { expect, it, vi } from "vitest";
import type { Bus, KvEntry } from "../../../src/bus/index.js";
import {
  type GuildEvent,
  isGuildError,
  makeEnvelope,
  subjects,
  TaskAssignment,
} from "../../../src/protocol/index.js";
import { online, sleep, task, unique } from "./conformance-fixtures.js";

const text = (s: string) => new TextEncoder().encode(s);
const agents = (events: GuildEvent[]) =>
  events.map((e) => (e.type === "agent.online" ? e.payload.agentId : e.type));

/** Event log replay and follow, KV compare-and-set and watch, blobs, and rejection of invalid input. */
export function durableConformance(bus: () => Bus): void {
  it("replays events from a sequence and from a time, then follows live", async () => {
    const goal = unique("g");
    const filter = subjects.eventsOfGoal(goal);
    const seqs: number[] = [];
    for (const id of ["a1", "a2", "a3"]) seqs.push((await bus().events.append(online(goal, id))) ?? 0);
    expect(seqs[1]).toBeGreaterThan(seqs[0] as number);
    await sleep(50);
    const cut = new Date();
    await sleep(50);
    for (const id of ["a4", "a5"]) await bus().events.append(online(goal, id));

    expect(agents(await bus().events.read({ subject: filter, fromSeq: seqs[1] as number }))).toEqual([
      "a2",
      "a3",
      "a4",
      "a5",
    ]);
    expect(agents(await bus().events.read({ subject: filter, fromTime: cut }))).toEqual(["a4", "a5"]);
    expect(agents(await bus().events.read({ subject: subjects.eventsOfGoal(unique("g")) }))).toEqual([]);

    const seen: string[] = [];
    const metaSeqs: number[] = [];
    const sub = await bus().events.follow({ subject: filter, fromSeq: seqs[2] as number }, (e, meta) => {
      if (e.type === "agent.online") seen.push(e.payload.agentId);
      if (meta.seq !== undefined) metaSeqs.push(meta.seq);
    });
    await vi.waitFor(() => expect(seen).toEqual(["a3", "a4", "a5"]));
    await bus().events.append(online(goal, "a6"));
    await bus().events.append(online(unique("g"), "other-goal"));
    await vi.waitFor(() => expect(seen).toEqual(["a3", "a4", "a5", "a6"]));
    expect(metaSeqs[0]).toBe(seqs[2]);
    await sub.unsubscribe();
    await bus().events.append(online(goal, "a7"));
    await sleep(100);
    expect(seen).toHaveLength(4);
  });

  it("stops a replay-only follow after what is stored", async () => {
    const goal = unique("g");
    for (const id of ["a1", "a2"]) await bus().events.append(online(goal, id));
    const seen: string[] = [];
    await bus().events.follow({ subject: subjects.eventsOfGoal(goal), replayOnly: true }, (e) => {
      if (e.type === "agent.online") seen.push(e.payload.agentId);
    });
    await vi.waitFor(() => expect(seen).toEqual(["a1", "a2"]));
    await bus().events.append(online(goal, "a3"));
    await sleep(200);
    expect(seen).toEqual(["a1", "a2"]);
  });

  it("compare-and-sets KV values, failing with kv.conflict, and watches by wildcard", async () => {
    const kv = bus().kv;
    const key = `goal.${unique("g")}.snapshot`;
    const r1 = await kv.create(key, text("v1"));
    expect(isGuildError(await kv.create(key, text("again")).catch((e: unknown) => e), "kv.conflict")).toBe(
      true,
    );
    // A lost compare-and-set is told by the server's error code, and names its key.
    const lost = await kv.create(key, text("once more")).catch((e: unknown) => e);
    expect(isGuildError(lost, "kv.conflict") && lost.details?.key).toBe(key);
    const r2 = await kv.update(key, text("v2"), r1);
    expect(r2).toBeGreaterThan(r1);
    expect(isGuildError(await kv.update(key, text("v3"), r1).catch((e: unknown) => e), "kv.conflict")).toBe(
      true,
    );
    const got = await kv.get(key);
    expect(new TextDecoder().decode(got?.value)).toBe("v2");
    expect(got?.revision).toBe(r2);
    expect(got?.value).toEqual(text("v2"));

    const watched: KvEntry[] = [];
    const sub = await kv.watch("goal.*.snapshot", (e) => watched.push(e));
    await vi.waitFor(() => expect(watched.map((e) => e.key)).toEqual([key]));
    await kv.put("presence.agent1", text("here"));
    const other = `goal.${unique("g")}.snapshot`;
    await kv.put(other, text("o1"));
    await kv.delete(key);
    await vi.waitFor(() => expect(watched).toHaveLength(3));
    expect(watched.map((e) => [e.key, e.operation])).toEqual([
      [key, "PUT"],
      [other, "PUT"],
      [key, "DEL"],
    ]);
    expect(await kv.get(key)).toBeNull();
    expect(new Set(await kv.keys("goal.>"))).toEqual(new Set([other]));
    await sub.unsubscribe();
  });

  it("round-trips a 5 MB blob with its SHA-256 digest", async () => {
    const data = new Uint8Array(randomBytes(5 * 1024 * 1024));
    const digest = `SHA-256=${createHash("sha256").update(data).digest("base64").replaceAll("+", "-").replaceAll("/", "_")}`;
    const key = `bundles/${unique("p")}.bundle`;
    const info = await bus().blobs.put(key, data);
    expect(info).toEqual({ key, size: data.byteLength, digest });
    const back = await bus().blobs.get(key);
    expect(back?.constructor).toBe(Uint8Array);
    expect(back?.byteLength).toBe(data.byteLength);
    expect(Buffer.from(back as Uint8Array).equals(Buffer.from(data))).toBe(true);
    expect(await bus().blobs.info(key)).toEqual(info);
    await bus().blobs.delete(key);
    expect(await bus().blobs.get(key)).toBeNull();
    expect(await bus().blobs.info(key)).toBeNull();
  });

  it("lists the blobs under a prefix, without deleted or overwritten copies", async () => {
    // The bus is shared by the suite: a prefix of this test's own keeps other tests' blobs out.
    const prefix = `${unique("list")}.`;
    const keys = ["a", "b", "b.c", "d"].map((k) => `${prefix}${k}`);
    for (const key of keys) await bus().blobs.put(key, text(key));
    await bus().blobs.put(`${prefix}a`, text("again, longer"));
    await bus().blobs.put(`x${prefix}a`, text("outside the prefix"));
    await bus().blobs.delete(`${prefix}d`);
    const listed = await bus().blobs.list(prefix);
    expect(listed.map((b) => b.key).sort()).toEqual([`${prefix}a`, `${prefix}b`, `${prefix}b.c`]);
    expect(listed.find((b) => b.key === `${prefix}a`)).toEqual(await bus().blobs.info(`${prefix}a`));
    expect(listed.find((b) => b.key === `${prefix}a`)?.size).toBe("again, longer".length);
    expect((await bus().blobs.list(`${prefix}b.`)).map((b) => b.key)).toEqual([`${prefix}b.c`]);
    const all = (await bus().blobs.list()).map((b) => b.key);
    expect(all).toEqual(expect.arrayContaining([`${prefix}a`, `x${prefix}a`]));
    expect(all).not.toContain(`${prefix}d`);
  });

  it("ends a read under way when its blob is deleted or put again: a whole copy or null, never a wait for good", async () => {
    // The NATS client waits forever for chunks purged between reading the object's record and its chunks.
    const data = new Uint8Array(randomBytes(8 * 1024 * 1024));
    for (const round of [1, 2, 3]) {
      const key = `${unique("gone")}.${round}`;
      await bus().blobs.put(key, data);
      const reading = bus().blobs.get(key);
      await bus().blobs.delete(key);
      const got = await reading;
      if (got !== null) expect(Buffer.from(got).equals(Buffer.from(data))).toBe(true);
      expect(await bus().blobs.get(key)).toBeNull();
    }
    // Put again under it instead: one whole copy, the old or the new.
    const key = unique("again");
    const next = new Uint8Array(randomBytes(1024 * 1024));
    await bus().blobs.put(key, data);
    const reading = bus().blobs.get(key);
    await bus().blobs.put(key, next);
    const got = Buffer.from((await reading) as Uint8Array);
    expect(got.equals(Buffer.from(data)) || got.equals(Buffer.from(next))).toBe(true);
  }, 30_000);

  it("drops an invalid inbound message with a bus.message.rejected event and a listener call, and keeps going", async () => {
    const subject = subjects.agentInbox(unique("a"));
    const rejections: { subject: string; issues: { path: string }[] }[] = [];
    bus().onRejected((r) => rejections.push(r));
    const handled: string[] = [];
    await bus().subscribe(subject, TaskAssignment, (m) => void handled.push(m.payload.task.taskId));
    const invalid = makeEnvelope({
      type: "task.assigned",
      source: "mallory",
      payload: { task: { taskId: "x y" } },
    });
    await bus().publish(subject, invalid);
    await bus().publish(subject, task("ok"));
    await vi.waitFor(() => expect(handled).toEqual(["ok"]));
    await vi.waitFor(() => expect(rejections).toHaveLength(1));
    expect(rejections[0]?.subject).toBe(subject);
    expect(rejections[0]?.issues.length).toBeGreaterThan(0);
    await vi.waitFor(async () => {
      const events = await bus().events.read({ subject: "guild.evt.*.bus.bus.message.rejected" });
      const payload = events.find((e) => e.type === "bus.message.rejected")?.payload;
      expect(payload).toMatchObject({ subject, reason: expect.any(String) });
      expect(JSON.parse((payload as { sample: string }).sample)).toEqual(invalid);
    });
  });

  it("answers an invalid request with bus.invalid_message and records the rejection", async () => {
    const subject = unique();
    const rejected: string[] = [];
    bus().onRejected((r) => rejected.push(r.subject));
    await bus().serve(subject, TaskAssignment, async () => task("never"));
    const error = await bus()
      .request(subject, makeEnvelope({ type: "task.assigned", source: "x", payload: {} }), TaskAssignment)
      .catch((e: unknown) => e);
    expect(isGuildError(error, "bus.invalid_message")).toBe(true);
    expect(rejected).toEqual([subject]);
  });
}
