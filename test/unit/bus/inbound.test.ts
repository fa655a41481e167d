import { describe, expect, it } from "vitest";
import { z } from "zod";
import { encodeOutbound, parseInbound, rejectionEvent } from "../../../src/bus/inbound.js";
import { envelopeOf, GuildEvent, isGuildError, makeEnvelope } from "../../../src/protocol/index.js";

const Hello = envelopeOf("test.hello", z.object({ name: z.string() }));

describe("parseInbound", () => {
  it("returns the validated message", () => {
    const msg = makeEnvelope({ type: "test.hello", source: "s", payload: { name: "ada" } });
    const parsed = parseInbound("x.y", new TextEncoder().encode(JSON.stringify(msg)), Hello);
    expect(parsed).toEqual({ ok: true, value: msg });
  });

  it("rejects text that is not JSON, with the reason and a sample", () => {
    const parsed = parseInbound("x.y", "{nope", Hello);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.rejection.reason).toMatch(/^not JSON/);
      expect(parsed.rejection.sample).toBe("{nope");
    }
  });

  it("rejects a schema mismatch with each issue's path, and caps the sample at 2000 characters", () => {
    const msg = makeEnvelope({
      type: "test.hello",
      source: "s",
      payload: { name: 5, pad: "p".repeat(5000) },
    });
    const parsed = parseInbound("x.y", JSON.stringify(msg), Hello);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.rejection.issues).toContainEqual(expect.objectContaining({ path: "payload.name" }));
      expect(parsed.rejection.sample).toHaveLength(2000);
      // The rejection itself is a valid event, so recording it can never be rejected in turn.
      expect(GuildEvent.safeParse(rejectionEvent(parsed.rejection)).success).toBe(true);
    }
  });
});

describe("encodeOutbound", () => {
  it("serialises a valid envelope and refuses an invalid one with bus.invalid_message", () => {
    const msg = makeEnvelope({ type: "test.hello", source: "s", payload: { name: "ada" } });
    expect(JSON.parse(encodeOutbound("x", msg))).toEqual(msg);
    let error: unknown;
    try {
      encodeOutbound("x", { ...msg, source: "has space" });
    } catch (e) {
      error = e;
    }
    expect(isGuildError(error, "bus.invalid_message")).toBe(true);
  });
});
