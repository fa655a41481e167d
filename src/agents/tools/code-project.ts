import { Project, type SourceFile } from "ts-morph";
import { gitSync } from "../../git/index.js";
import { refuse } from "./define-tool.js";
import { resolveInWorktree } from "./sandbox-path.js";
import type { ToolContext } from "./tool-context.js";

const MAX_FILES = 5000;
const SOURCE = /\.(?:ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;
const projects = new WeakMap<ToolContext, Project>();

function sourcePaths(context: ToolContext): string[] {
  const out = gitSync(context.workdir, ["ls-files", "-co", "--exclude-standard", "-z"], {
    maxBuffer: 64 * 1024 * 1024,
  });
  const paths: string[] = [];
  for (const rel of out.split("\0")) {
    if (!SOURCE.test(rel) || rel.endsWith(".d.ts")) continue;
    try {
      // A tracked symlink to a file outside the worktree must not be parsed and shown.
      paths.push(resolveInWorktree(context.workdir, rel, { forWrite: false }).abs);
    } catch {}
    if (paths.length >= MAX_FILES) break;
  }
  return paths;
}

/** The ts-morph project of a tool set's worktree, built once and refreshed from disk before each use. */
export function projectOf(context: ToolContext): Project {
  let project = projects.get(context);
  if (!project) {
    project = new Project({
      compilerOptions: { allowJs: true, noEmit: true, skipLibCheck: true },
      skipFileDependencyResolution: true,
    });
    project.addSourceFilesAtPaths(sourcePaths(context));
    projects.set(context, project);
    return project;
  }
  // Writes since the last call (by this agent's tools) must show up in definitions and references.
  for (const file of project.getSourceFiles()) file.refreshFromFileSystemSync();
  for (const path of sourcePaths(context))
    if (!project.getSourceFile(path)) project.addSourceFileAtPath(path);
  return project;
}

/** The source file at a worktree path, confined to the sandbox. */
export function sourceFileOf(context: ToolContext, path: string): { file: SourceFile; rel: string } {
  const { abs, rel } = resolveInWorktree(context.workdir, path, { forWrite: false });
  if (!SOURCE.test(rel)) throw refuse(`${rel} is not a TypeScript or JavaScript file`, rel);
  const project = projectOf(context);
  const file = project.getSourceFile(abs) ?? project.addSourceFileAtPathIfExists(abs);
  if (!file) throw refuse(`${rel} does not exist`, rel);
  return { file, rel };
}
