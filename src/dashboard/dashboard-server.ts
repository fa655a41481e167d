import type { AddressInfo } from "node:net";
import { type ServerType, serve } from "@hono/node-server";
import { type Context, Hono } from "hono";
import type { Bus, Subscription } from "../bus/index.js";
import { GuildError, type Logger } from "../protocol/index.js";
import { accessGuard, newToken } from "./access-guard.js";
import { apiRoutes } from "./api-routes.js";
import { EventDigest } from "./event-digest.js";
import { eventFeed } from "./event-feed.js";
import { loadAssets } from "./page-assets.js";
import type { RepoAccess } from "./repo-access.js";

export interface DashboardOptions {
  bus: Bus;
  /** Interface to listen on; loopback unless told otherwise. */
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** A fixed token (letters, digits, `-`, `_`; at least 16); default a random one per start. */
  token?: string;
  /** Serve the views only: every change is refused. */
  readOnly?: boolean;
  /** Diffs and owners, when the dashboard runs beside the goals' repositories. */
  repo?: RepoAccess;
  logger?: Logger;
}

/** A running dashboard: its URL (with the token) and how to stop it. */
export interface Dashboard {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");

/** Starts the dashboard: an HTTP server with the page, the JSON endpoints and the live event feed. */
export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  const host = options.host ?? "127.0.0.1";
  const token = options.token ?? newToken();
  if (!/^[A-Za-z0-9_-]{16,256}$/.test(token)) {
    throw new GuildError("config.invalid", "a dashboard token needs 16 or more letters, digits, '-' or '_'", {
      details: { setting: "token" },
    });
  }
  const readOnly = options.readOnly ?? false;
  const assets = loadAssets();
  const digest = new EventDigest();
  // The digest reads the whole log once, then follows it: agents and proposal outcomes live only there.
  const digestSub: Subscription = await options.bus.events.follow({ fromSeq: 1 }, (event, meta) => {
    if (meta.seq !== undefined) digest.add(event, meta.seq);
  });
  let port = options.port ?? 0;
  const app = new Hono();
  app.onError((error, c) => {
    options.logger?.warn({ err: error, path: c.req.path }, "dashboard request failed");
    const status = error instanceof GuildError && error.code === "bus.timeout" ? 504 : 500;
    return c.json({ error: error.message }, status);
  });
  app.use("*", accessGuard({ token, host, port: () => port, readOnly }));
  app.get("/", (c) => {
    c.header("Content-Security-Policy", CSP);
    return c.html(assets.page(token, readOnly));
  });
  app.get("/vendor/:name", (c) => serveAsset(c));
  app.get("/page/:name", (c) => serveAsset(c));
  app.get("/api/info", (c) => c.json({ readOnly, lastSeq: digest.lastSeq }));
  app.get("/api/events", (c) => eventFeed(c, options.bus, options.logger));
  app.route("/api", apiRoutes(options.bus, digest, options.repo));

  function serveAsset(c: Context): Response {
    const asset = assets.get(c.req.path);
    return asset ? c.body(asset.body, 200, { "content-type": asset.type }) : c.text("not found", 404);
  }

  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: host, port }, () => resolve(s));
    s.once("error", reject);
  });
  port = (server.address() as AddressInfo).port;
  const shown = host.includes(":") ? `[${host}]` : host;
  const url = `http://${shown}:${port}/?token=${token}`;
  options.logger?.info({ host, port, readOnly }, "dashboard listening");
  return {
    url,
    port,
    token,
    async close() {
      await digestSub.unsubscribe();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Open event feeds would keep the server up forever; their pages reconnect to the next start.
        if ("closeAllConnections" in server) server.closeAllConnections();
      });
    },
  };
}
