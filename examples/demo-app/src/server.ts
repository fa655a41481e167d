import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { MemoryDb } from "./lib/db.js";
import { handleApi } from "./routes/api.js";
import { sendJson } from "./routes/respond.js";
import { seededDb } from "./routes/users.js";
import { signupPage } from "./ui/signup-form.js";

/** Where the service finds its page and its data files. */
export interface ServerOptions {
  publicDir: string;
  dataDir: string;
}

/**
 * Builds the HTTP server: the page at `/`, the JSON API under `/api/`.
 * @param options - the public and data directories
 */
export function createAppServer(options: ServerOptions): Server {
  const db = seededDb(new MemoryDb());
  return createServer((req, res) => {
    void (async () => {
      if (await handleApi(req, res, db, options.dataDir)) return;
      if (req.method === "GET" && (req.url === "/" || req.url === "/index.html")) {
        const html = await readFile(join(options.publicDir, "index.html"), "utf8");
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        res.end(html);
        return;
      }
      if (req.method === "GET" && req.url === "/signup") {
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        res.end(signupPage());
        return;
      }
      sendJson(res, 404, { error: "not found" });
    })().catch((error: unknown) => sendJson(res, 500, { error: String(error) }));
  });
}
