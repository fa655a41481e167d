import { readFileSync, statSync } from "node:fs";
import { Project } from "ts-morph";
import { declarationsOf, outlineOf } from "../tools/code-outline.js";
import { resolveInWorktree } from "../tools/sandbox-path.js";
import { wrapUntrusted } from "../tools/untrusted.js";

/** What context packing produced and what it saved against sending whole files. */
export interface PackedContext {
  text: string;
  files: number;
  packedTokens: number;
  wholeTokens: number;
  savedTokens: number;
}

const SOURCE = /\.(?:ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;
const MAX_FILE = 200_000;
const MAX_PLAIN = 8_000;

/** A rough token count (four characters per token), enough to compare packed and whole sizes. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

function mentioned(name: string, taskText: string): boolean {
  const short = name.split(".").pop() ?? name;
  return new RegExp(`\\b${short.replace(/[$]/g, "\\$")}\\b`).test(taskText);
}

function packSource(rel: string, text: string, taskText: string): string {
  const file = new Project({ useInMemoryFileSystem: true }).createSourceFile(rel, text);
  const bodies = declarationsOf(file)
    .filter((d) => mentioned(d.name, taskText))
    .map((d) => `// ${d.name} (L${d.startLine}-${d.endLine})\n${d.node.getText()}`);
  const outline = outlineOf(file);
  return bodies.length > 0 ? `${outline}\n\n${bodies.join("\n\n")}` : outline;
}

/**
 * Packs the files a task expects to touch: outlines plus the bodies of declarations the task text
 * names, instead of whole files; small non-source files go whole.
 */
export function packContext(workdir: string, paths: readonly string[], taskText: string): PackedContext {
  const parts: string[] = [];
  let wholeTokens = 0;
  for (const path of paths) {
    let abs: string;
    let rel: string;
    try {
      ({ abs, rel } = resolveInWorktree(workdir, path, { forWrite: false }));
      const info = statSync(abs);
      if (!info.isFile() || info.size > MAX_FILE) continue;
    } catch {
      continue; // Not there yet (a file to create) or outside the sandbox: nothing to pack.
    }
    const text = readFileSync(abs, "utf8");
    if (!SOURCE.test(rel) && text.length > MAX_PLAIN) continue;
    wholeTokens += estimateTokens(text);
    const body = SOURCE.test(rel) ? packSource(rel, text, taskText) : text;
    parts.push(wrapUntrusted(`${SOURCE.test(rel) ? "outline" : "file"}=${rel}`, body));
  }
  const text = parts.join("\n\n");
  const packedTokens = estimateTokens(text);
  return {
    text,
    files: parts.length,
    packedTokens,
    wholeTokens,
    savedTokens: Math.max(0, wholeTokens - packedTokens),
  };
}
