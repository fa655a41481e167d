import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";

/** A fresh random token for one dashboard start. */
export function newToken(): string {
  return randomBytes(24).toString("base64url");
}

/** The cookie carrying the token, named per port: browsers share cookies between ports of one host. */
export function tokenCookie(port: number): string {
  return `guild_dashboard_${port}`;
}

function sameToken(given: string | undefined, token: string): boolean {
  if (!given) return false;
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(token).digest();
  return timingSafeEqual(a, b);
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

export interface AccessOptions {
  token: string;
  host: string;
  port: () => number;
  readOnly: boolean;
}

/**
 * Every request needs the token: in the `x-guild-token` header, the `token` query parameter (the printed
 * URL) or the cookie the page gets on first load. A change (POST) needs it in the header, from a page of
 * this origin, and is refused outright when read-only. On loopback, a foreign Host is refused too, so a
 * rebound DNS name cannot reach the dashboard through the person's browser.
 */
export function accessGuard(options: AccessOptions): MiddlewareHandler {
  return async (c, next) => {
    const port = options.port();
    const hostHeader = c.req.header("host") ?? "";
    if (LOOPBACK.has(options.host) && !LOOPBACK.has(hostHeader.replace(/:\d+$/, ""))) {
      return c.json({ error: "unknown host" }, 403);
    }
    const header = c.req.header("x-guild-token") ?? c.req.header("authorization")?.replace(/^Bearer\s+/i, "");
    if (c.req.method !== "GET" && c.req.method !== "HEAD") {
      if (options.readOnly) return c.json({ error: "this dashboard is read-only" }, 403);
      if (!sameToken(header, options.token)) return c.json({ error: "a change needs the token header" }, 401);
      const origin = c.req.header("origin");
      const allowed = [`http://${hostHeader}`];
      if (!origin || !allowed.includes(origin)) return c.json({ error: "cross-origin change refused" }, 403);
      return next();
    }
    const query = c.req.query("token");
    const cookie = getCookie(c, tokenCookie(port));
    if (
      !sameToken(header, options.token) &&
      !sameToken(query, options.token) &&
      !sameToken(cookie, options.token)
    ) {
      return c.json({ error: "the dashboard needs its token (see the URL it printed)" }, 401);
    }
    if (sameToken(query, options.token) && cookie !== options.token) {
      setCookie(c, tokenCookie(port), options.token, { httpOnly: true, sameSite: "Strict", path: "/" });
    }
    await next();
    c.header("X-Content-Type-Options", "nosniff");
    c.header("Referrer-Policy", "no-referrer");
    c.header("Cache-Control", "no-store");
  };
}
