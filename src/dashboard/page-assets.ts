import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** One file the page loads, with its content type. */
export interface Asset {
  body: string;
  type: string;
}

const pageDir = join(dirname(fileURLToPath(import.meta.url)), "page");

const TYPES: Record<string, string> = {
  js: "text/javascript; charset=utf-8",
  mjs: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  html: "text/html; charset=utf-8",
};

function typeOf(name: string): string {
  return TYPES[name.slice(name.lastIndexOf(".") + 1)] ?? "application/octet-stream";
}

/**
 * The UI libraries, served from this package's own node_modules (no CDN, no build step). Bare imports
 * between them are pointed at their served paths, so the page needs no inline import map and its Content
 * Security Policy can forbid inline scripts.
 */
const VENDOR: Record<string, string> = {
  "preact.mjs": "preact",
  "preact-hooks.mjs": "preact/hooks",
  "htm.mjs": "htm",
  "dagre.mjs": "@dagrejs/dagre",
  "diff2html.js": "diff2html/bundles/js/diff2html.min.js",
  "diff2html.css": "diff2html/bundles/css/diff2html.min.css",
};

function vendorFile(name: string, specifier: string): Asset {
  const text = readFileSync(fileURLToPath(import.meta.resolve(specifier)), "utf8");
  const body = name.endsWith(".mjs") ? text.replace(/from\s*"preact"/g, 'from"/vendor/preact.mjs"') : text;
  return { body, type: typeOf(name) };
}

/** Reads the page and its libraries once per dashboard, so a request never waits on the disk. */
export function loadAssets(): {
  page(token: string, readOnly: boolean): string;
  get(path: string): Asset | undefined;
} {
  const assets = new Map<string, Asset>();
  for (const [name, specifier] of Object.entries(VENDOR))
    assets.set(`/vendor/${name}`, vendorFile(name, specifier));
  for (const name of PAGE_FILES) {
    assets.set(`/page/${name}`, { body: readFileSync(join(pageDir, name), "utf8"), type: typeOf(name) });
  }
  const html = readFileSync(join(pageDir, "index.html"), "utf8");
  return {
    page: (token, readOnly) =>
      html
        .replace("__GUILD_TOKEN__", token.replace(/[^A-Za-z0-9_-]/g, ""))
        .replace("__GUILD_READ_ONLY__", readOnly ? "true" : "false"),
    get: (path) => assets.get(path),
  };
}

/** The page's own modules and stylesheet, next to index.html. */
const PAGE_FILES = [
  "app.js",
  "api.js",
  "html.js",
  "event-store.js",
  "event-list.js",
  "task-graph.js",
  "diff-view.js",
  "panels.js",
  "style.css",
];
