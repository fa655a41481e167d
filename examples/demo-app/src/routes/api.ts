import type { IncomingMessage, ServerResponse } from "node:http";
import { API_KEY_HEADER, isAuthorized, signToken } from "../lib/auth.js";
import { calculate } from "../lib/calculator.js";
import type { MemoryDb } from "../lib/db.js";
import { type CartLine, cartTotal, formatPrice } from "../lib/pricing.js";
import { createSession } from "../lib/session.js";
import { lineCount } from "../lib/shell.js";
import { slugify } from "../lib/slugify.js";
import { isEmail } from "../lib/validation.js";
import { sendJson } from "./respond.js";
import { findUserByEmail, findUsersByName } from "./users.js";
import { isSignedWebhook } from "./webhook.js";

async function readBody(req: IncomingMessage): Promise<unknown> {
  let text = "";
  for await (const chunk of req) text += String(chunk);
  return text ? JSON.parse(text) : {};
}

/** Answers `/api/*` requests; returns false when no route matches. */
export async function handleApi(
  req: IncomingMessage,
  res: ServerResponse,
  db: MemoryDb,
  dataDir: string,
): Promise<boolean> {
  const url = new URL(req.url ?? "/", "http://localhost");
  const q = (name: string) => url.searchParams.get(name) ?? "";
  const route = `${req.method} ${url.pathname}`;
  try {
    switch (route) {
      case "GET /api/health":
        sendJson(res, 200, { ok: true });
        return true;
      case "GET /api/calc":
        sendJson(res, 200, { result: calculate(q("expr")) });
        return true;
      case "GET /api/slug":
        sendJson(res, 200, { slug: slugify(q("title")) });
        return true;
      case "GET /api/users":
        sendJson(res, 200, {
          users: q("email") ? [findUserByEmail(db, q("email"))] : findUsersByName(db, q("name")),
        });
        return true;
      case "GET /api/lines":
        sendJson(res, 200, { lines: await lineCount(`${dataDir}/${q("file")}`) });
        return true;
      case "POST /api/cart": {
        const lines = (await readBody(req)) as CartLine[];
        sendJson(res, 200, { total: formatPrice(cartTotal(lines), "EUR") });
        return true;
      }
      case "POST /api/webhook": {
        const signature = req.headers["x-signature"];
        const key = process.env.WEBHOOK_KEY;
        const body = JSON.stringify(await readBody(req));
        const ok =
          key !== undefined && typeof signature === "string" && isSignedWebhook(body, signature, key);
        sendJson(res, ok ? 202 : 401, { accepted: ok });
        return true;
      }
      case "POST /api/session": {
        const header = req.headers[API_KEY_HEADER];
        if (!isAuthorized(typeof header === "string" ? header : undefined)) {
          sendJson(res, 401, { error: "bad api key" });
          return true;
        }
        const { email } = (await readBody(req)) as { email?: string };
        if (!email || !isEmail(email)) {
          sendJson(res, 400, { error: "a valid email is required" });
          return true;
        }
        sendJson(res, 200, { session: createSession(email), token: signToken(email) });
        return true;
      }
      default:
        return false;
    }
  } catch (error) {
    sendJson(res, 400, { error: error instanceof Error ? error.message : String(error) });
    return true;
  }
}
