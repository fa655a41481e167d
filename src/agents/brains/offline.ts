import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { isSkillName, runSkill, type SkillName, type SkillReport } from "../skills/index.js";
import type { ToolResult } from "../tools/types.js";
import type { Brain, BrainRunContext, BrainStep, BrainTask } from "./brain.js";
import { adaptToRenames } from "./offline-adapt.js";

/** How an offline brain is set up; without `skill` it follows the task, then the role name. */
export interface OfflineBrainOptions {
  skill?: string;
}

// Role names that mean a skill without being spelled like it.
const ROLE_ALIASES: Record<string, SkillName> = {
  appsec: "security",
  qa: "tests",
  testing: "tests",
  documentation: "docs",
  ui: "frontend",
  a11y: "frontend",
};

/** The skill for a task: the brain's option, else the task's `skill`, else its role; undefined when none fits. */
export function chooseSkill(
  options: OfflineBrainOptions,
  task: BrainTask,
): { skill?: SkillName; asked: string } {
  const asked = options.skill ?? task.task.skill ?? task.task.role;
  if (isSkillName(asked)) return { skill: asked, asked };
  const alias = ROLE_ALIASES[asked];
  return alias ? { skill: alias, asked } : { asked };
}

async function callTool(ctx: BrainRunContext, name: string, input: unknown): Promise<ToolResult> {
  try {
    return await ctx.tools.call(name, input);
  } catch (error) {
    // A refused or failed call is part of the story, not the end of it.
    return { ok: false, output: error instanceof Error ? error.message : String(error) };
  }
}

const FIXERS = new Set<string>(["security", "frontend"]);

/** The closing summary: counts, changed, refused and handed-over paths, and why things were skipped. */
export function summarize(
  report: SkillReport,
  written: string[],
  refused: string[],
  requested: string[] = [],
): string {
  const fixed = report.findings.filter((f) => f.fixed).length;
  const handed = requested.length > 0 ? `, ${requested.length} sent to their owners as change requests` : "";
  const lines = [
    `offline skill ${report.skill}: ${report.findings.length} found (${fixed} fixable), ${written.length} file(s) changed, ${refused.length} refused${handed}, ${report.skipped.length} skipped`,
  ];
  if (written.length > 0) lines.push(`changed: ${written.join(", ")}`);
  if (refused.length > 0) lines.push(`refused: ${refused.join(", ")}`);
  if (requested.length > 0) lines.push(`change requests: ${requested.join(", ")}`);
  for (const s of report.skipped) lines.push(`skipped ${s.file ? `${s.file}: ` : ""}${s.reason}`);
  // Skills that look for something to fix may rightly find nothing; skills that produce (tests, docs)
  // and produced nothing did not do what was asked, unless they found their work already done.
  if (written.length === 0 && refused.length === 0 && requested.length === 0 && report.upToDate)
    lines.unshift(`No changes needed: ${report.upToDate}`);
  else if (
    FIXERS.has(report.skill) &&
    report.findings.length === 0 &&
    report.skipped.length === 0 &&
    refused.length === 0 &&
    requested.length === 0
  )
    lines.unshift(`No changes needed: the ${report.skill} skill found nothing to fix`);
  return lines.join("\n");
}

async function* runOffline(options: OfflineBrainOptions, ctx: BrainRunContext): AsyncGenerator<BrainStep> {
  const { skill, asked } = chooseSkill(options, ctx.task);
  let summary: string;
  if (!skill) {
    summary = `no offline skill named ${asked}; nothing to do`;
    yield { kind: "thought", text: summary };
  } else {
    const paths = ctx.task.task.expectedPaths;
    yield {
      kind: "thought",
      text: `running the ${skill} skill${paths.length > 0 ? ` on ${paths.join(", ")}` : ""}`,
    };
    const sandbox = ctx.tools.confinement?.sandbox;
    const report = await runSkill(skill, ctx.workdir, {
      ...(paths.length > 0 ? { paths } : {}),
      ...(sandbox ? { sandbox } : {}),
    }).catch(
      // A skill that breaks on odd code ends the task with the reason instead of killing the agent.
      (error: unknown): SkillReport => ({
        skill,
        findings: [],
        changes: [],
        skipped: [{ reason: `the skill failed: ${error instanceof Error ? error.message : String(error)}` }],
      }),
    );
    for (const f of report.findings) {
      yield { kind: "thought", text: `[${f.severity}] ${f.file}:${f.line} ${f.rule}: ${f.message}` };
    }
    const written: string[] = [];
    const refused: string[] = [];
    const requested: string[] = [];
    const refusedPaths = new Set<string>();
    // One step is kept for finish, so a long list of changes cannot push it past the budget.
    const room = Math.max(0, ctx.budget.maxSteps - 1);
    for (const [i, change] of report.changes.entries()) {
      if (ctx.signal.aborted || i >= room) {
        refused.push(`${change.path} (${ctx.signal.aborted ? "cancelled" : "step budget reached"})`);
        continue;
      }
      const id = `write-${i + 1}`;
      const input = { path: change.path, content: change.content };
      yield { kind: "tool_call", id, tool: "write_file", input };
      if (change.neededBy && refusedPaths.has(change.neededBy)) {
        // Only the refused fix needed it: the owner of that file fixes it, new module and all.
        refused.push(
          `${change.path} (not written: it serves the fix of ${change.neededBy}, which was refused)`,
        );
        continue;
      }
      const handed = change.neededBy ? handOver(ctx, change.path, change.content) : undefined;
      const result = handed ?? (await callTool(ctx, "write_file", input));
      yield { kind: "tool_result", id, tool: "write_file", ok: result.ok, output: result.output };
      if (result.ok) written.push(change.path);
      else if (handed?.to) requested.push(`${change.path} to ${handed.to} (needed by ${change.neededBy})`);
      else {
        refused.push(`${change.path} (${result.output})`);
        refusedPaths.add(change.path);
      }
    }
    summary = summarize(report, written, refused, requested);
    yield* adaptWritten(ctx, written, (note) => {
      summary += `\n${note}`;
    });
  }
  const input = { summary };
  yield { kind: "tool_call", id: "finish", tool: "finish", input };
  const result = await callTool(ctx, "finish", input);
  yield { kind: "tool_result", id: "finish", tool: "finish", ok: result.ok, output: result.output };
  yield { kind: "summary", text: summary };
}

/**
 * A new file that a fix of the task's own file needs, in a path another role owns: checked as a write
 * would be and, refused only for its owner, recorded for that owner as a change request (the tool set's
 * policy decides). Undefined when the role may write it, so it is written as usual.
 */
function handOver(
  ctx: BrainRunContext,
  path: string,
  content: string,
): (ToolResult & { to?: string }) | undefined {
  const verdict = ctx.tools.checkWrite?.(path, content);
  if (!verdict || verdict.ok) return undefined;
  return {
    ok: false,
    output: `refused: ${verdict.reason}`,
    ...(verdict.changeRequestTo ? { to: verdict.changeRequestTo } : {}),
  };
}

/**
 * Adapts the files this task wrote to exports another task renamed, as told while it worked: the
 * mechanical part of an overlap an offline brain can do (a removal or a new signature needs a person or a model).
 */
async function* adaptWritten(
  ctx: BrainRunContext,
  written: readonly string[],
  note: (text: string) => void,
): AsyncGenerator<BrainStep> {
  const overlaps = ctx.task.overlaps ?? [];
  if (overlaps.length === 0) return;
  const exists = (path: string) => existsSync(join(ctx.workdir, path));
  for (const [i, path] of written.entries()) {
    let text: string;
    try {
      text = readFileSync(join(ctx.workdir, path), "utf8");
    } catch {
      continue;
    }
    const adapted = adaptToRenames(path, text, overlaps, exists);
    if (adapted === undefined || adapted === text) continue;
    const id = `adapt-${i + 1}`;
    const input = { path, content: adapted };
    yield { kind: "tool_call", id, tool: "write_file", input };
    const result = await callTool(ctx, "write_file", input);
    yield { kind: "tool_result", id, tool: "write_file", ok: result.ok, output: result.output };
    if (result.ok) note(`adapted ${path} to a renamed export another task changed`);
  }
}

/** A brain that runs one deterministic offline skill and writes its changes through the sandboxed tools. */
export function createOfflineBrain(options: OfflineBrainOptions = {}): Brain {
  return {
    name: `offline${options.skill ? `:${options.skill}` : ""}`,
    run: (context) => runOffline(options, context),
  };
}
