import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { accessGuard, tokenCookie } from "../../../src/dashboard/access-guard.js";
import { feedStart } from "../../../src/dashboard/event-feed.js";

const TOKEN = "t0k3n-for-the-unit-test";

function app(readOnly = false) {
  const a = new Hono();
  a.use("*", accessGuard({ token: TOKEN, host: "127.0.0.1", port: () => 4100, readOnly }));
  a.get("/api/x", (c) => c.json({ ok: true }));
  a.post("/api/x", (c) => c.json({ ok: true }));
  return a;
}

const HOST = { host: "127.0.0.1:4100" };
const ORIGIN = "http://127.0.0.1:4100";

describe("dashboard access guard", () => {
  it("serves a read only with the token: header, query (which sets the cookie) or cookie", async () => {
    expect((await app().request("/api/x", { headers: HOST })).status).toBe(401);
    expect((await app().request("/api/x?token=wrong", { headers: HOST })).status).toBe(401);
    expect((await app().request("/api/x", { headers: { ...HOST, "x-guild-token": TOKEN } })).status).toBe(
      200,
    );
    const byQuery = await app().request(`/api/x?token=${TOKEN}`, { headers: HOST });
    expect(byQuery.status).toBe(200);
    expect(byQuery.headers.get("set-cookie")).toContain(`${tokenCookie(4100)}=${TOKEN}`);
    expect(byQuery.headers.get("set-cookie")).toMatch(/HttpOnly.*SameSite=Strict|SameSite=Strict.*HttpOnly/);
    const byCookie = await app().request("/api/x", {
      headers: { ...HOST, cookie: `${tokenCookie(4100)}=${TOKEN}` },
    });
    expect(byCookie.status).toBe(200);
  });

  it("takes a change only with the token in the header and this origin", async () => {
    const post = (headers: Record<string, string>, readOnly = false) =>
      app(readOnly).request("/api/x", { method: "POST", headers: { ...HOST, ...headers } });
    expect((await post({ "x-guild-token": TOKEN, origin: ORIGIN })).status).toBe(200);
    expect((await post({ origin: ORIGIN, cookie: `${tokenCookie(4100)}=${TOKEN}` })).status).toBe(401);
    expect((await post({ "x-guild-token": TOKEN })).status).toBe(403);
    expect((await post({ "x-guild-token": TOKEN, origin: "http://evil.example" })).status).toBe(403);
    expect((await post({ "x-guild-token": TOKEN, origin: ORIGIN }, true)).status).toBe(403);
  });

  it("refuses a foreign Host on loopback (DNS rebinding)", async () => {
    const res = await app().request("/api/x", {
      headers: { host: "evil.example:4100", "x-guild-token": TOKEN },
    });
    expect(res.status).toBe(403);
  });

  it("resumes a feed after Last-Event-ID, else after ?after=, else from the start", () => {
    expect(feedStart("42", "7")).toBe(42);
    expect(feedStart(undefined, "7")).toBe(7);
    expect(feedStart("not-a-number", undefined)).toBe(0);
    expect(feedStart(undefined, undefined)).toBe(0);
  });
});
