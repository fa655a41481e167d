import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
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
const VENDOR: Record<string, [pkg: string, file: string]> = {
  "preact.mjs": ["preact", "dist/preact.mjs"],
  "preact-hooks.mjs": ["preact", "hooks/dist/hooks.mjs"],
  "htm.mjs": ["htm", "dist/htm.mjs"],
  "dagre.mjs": ["@dagrejs/dagre", "dist/dagre.esm.js"],
  "diff2html.js": ["diff2html", "bundles/js/diff2html.min.js"],
  "diff2html.css": ["diff2html", "bundles/css/diff2html.min.css"],
};

const require = createRequire(import.meta.url);

/** The folder a package is installed in: up from its entry point to the package.json that names it. */
function packageDir(pkg: string): string {
  let dir = dirname(require.resolve(pkg));
  while (dir !== dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === pkg
    ) {
      return dir;
    }
    dir = dirname(dir);
  }
  throw new Error(`cannot find the installed package ${pkg}`);
}

function vendorFile(name: string, [pkg, file]: [string, string]): Asset {
  const text = readFileSync(join(packageDir(pkg), file), "utf8");
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
  "talk-log.js",
  "talk-list.js",
  "style.css",
];
