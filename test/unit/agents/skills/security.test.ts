// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the fixtures are TypeScript source text with template literals
import { describe, expect, it } from "vitest";
import { runSkill } from "../../../../src/agents/skills/index.js";
import {
  entropy,
  envName,
  isSecretName,
  isSecretValue,
} from "../../../../src/agents/skills/security-secrets.js";
import { writeFiles } from "../../../helpers/git-repo.js";
import { tempDir } from "../../../helpers/temp-dir.js";

async function security(files: Record<string, string>, paths?: string[]) {
  using dir = tempDir();
  writeFiles(dir.path, files);
  const report = await runSkill("security", dir.path, paths ? { paths } : {});
  const content = (path: string) => report.changes.find((c) => c.path === path)?.content;
  return { report, content, rules: report.findings.map((f) => `${f.file}:${f.line}:${f.rule}:${f.fixed}`) };
}

describe("security skill", () => {
  it("sandboxes JSX iframes, leaves sandboxed ones alone, reports spread props, and marks the module a fix needs", async () => {
    const { report, content, rules } = await security({
      "src/frame.tsx": [
        'export const A = () => <iframe src="/a.html" />;',
        'export const B = () => <iframe sandbox="allow-forms" src="/b.html" />;',
        "export const C = (p: object) => <iframe {...p} />;",
        "",
      ].join("\n"),
      "src/calc.ts": "export function calc(expr: string): number {\n  return eval(expr);\n}\n",
    });
    expect(rules).toEqual([
      "src/calc.ts:2:no-eval:true",
      "src/frame.tsx:1:iframe-sandbox:true",
      "src/frame.tsx:3:iframe-sandbox:false",
    ]);
    expect(content("src/frame.tsx")?.split("\n").slice(0, 2)).toEqual([
      'export const A = () => <iframe sandbox="" src="/a.html" />;',
      'export const B = () => <iframe sandbox="allow-forms" src="/b.html" />;',
    ]);
    expect(report.changes.find((c) => c.path === "src/safe-arithmetic.ts")?.neededBy).toBe("src/calc.ts");
    expect(report.changes.find((c) => c.path === "src/calc.ts")?.neededBy).toBeUndefined();
  });

  it("replaces a calculator eval with the safe evaluator it adds, and only reports other eval", async () => {
    const { report, content, rules } = await security({
      "src/calc.ts": "export function calc(expr: string): number {\n  return eval(expr);\n}\n",
      "src/plugin.ts":
        "export function load(code: string): unknown {\n  return eval(code);\n}\nexport const f = new Function('a', 'return a');\n",
    });
    expect(rules).toEqual([
      "src/calc.ts:2:no-eval:true",
      "src/plugin.ts:2:no-eval:false",
      "src/plugin.ts:4:no-new-function:false",
    ]);
    expect(content("src/calc.ts")).toBe(
      'import { evaluateArithmetic } from "./safe-arithmetic.js";\n\nexport function calc(expr: string): number {\n  return evaluateArithmetic(expr);\n}\n',
    );
    expect(content("src/safe-arithmetic.ts")).toContain(
      "export function evaluateArithmetic(expression: string): number",
    );
    expect(content("src/plugin.ts")).toBeUndefined();
    expect(report.changes.map((c) => c.path)).toEqual(["src/calc.ts", "src/safe-arithmetic.ts"]);
  });

  it("turns exec and execSync of interpolated commands into execFile with argv, keeping shell syntax as a finding", async () => {
    const { content, rules } = await security({
      "src/run.ts": [
        'import { exec, execSync } from "node:child_process";',
        "export function ping(host: string, n: number) {",
        "  exec(`ping -c ${n} ${host}`, () => {});",
        '  return execSync("git log --author=" + host, { encoding: "utf8" });',
        "}",
        "export function grep(word: string) {",
        "  return execSync(`grep ${word} notes.txt | wc -l`);",
        "}",
        "",
      ].join("\n"),
    });
    expect(rules).toEqual([
      "src/run.ts:3:no-shell-exec:true",
      "src/run.ts:4:no-shell-exec:true",
      "src/run.ts:7:no-shell-exec:false",
    ]);
    const out = content("src/run.ts") ?? "";
    expect(out).toContain('import { execSync, execFileSync, execFile } from "node:child_process";');
    expect(out).toContain('execFile("ping", ["-c", String(n), host], () => {});');
    expect(out).toContain('execFileSync("git", ["log", `--author=${host}`], { encoding: "utf8" })');
    expect(out).toContain("execSync(`grep ${word} notes.txt | wc -l`)");
  });

  it("moves hard-coded secrets to the environment with a random default, leaving labels alone", async () => {
    const { content, rules } = await security({
      "src/config.ts": [
        'export const STRIPE_API_KEY = "sk_live_51H8xYzAbCdEf0123456789";',
        'export const TOKEN_HEADER = "x-api-token";',
        'const settings = { dbPassword: "Tr0ub4dor&3-horse-Battery" };',
        'export const greeting = "hello-world-2024-abcdef";',
        "export { settings };",
        "",
      ].join("\n"),
    });
    expect(rules).toEqual([
      "src/config.ts:1:no-hardcoded-secret:true",
      "src/config.ts:3:no-hardcoded-secret:true",
    ]);
    const out = content("src/config.ts") ?? "";
    expect(out).toContain('import { randomBytes } from "node:crypto";');
    expect(out).toContain('STRIPE_API_KEY = process.env.STRIPE_API_KEY ?? randomBytes(32).toString("hex");');
    expect(out).toContain('dbPassword: process.env.DB_PASSWORD ?? randomBytes(32).toString("hex")');
    expect(out).toContain('TOKEN_HEADER = "x-api-token"');
    expect(out).not.toContain("sk_live_");
  });

  it("replaces Math.random in token code and ignores it elsewhere", async () => {
    const { content, rules } = await security({
      "src/ids.ts": [
        'import { createHash } from "node:crypto";',
        "export const makeResetToken = () => Math.random().toString(36).slice(2);",
        "export function sessionId(): number {",
        "  return Math.floor(Math.random() * 1e9);",
        "}",
        "export function shuffle<T>(items: T[]): T[] {",
        "  return [...items].sort(() => Math.random() - 0.5);",
        "}",
        "export const hash = (s: string) => createHash('sha256').update(s).digest('hex');",
        "",
      ].join("\n"),
    });
    expect(rules).toEqual(["src/ids.ts:2:no-weak-random:true", "src/ids.ts:4:no-weak-random:false"]);
    const out = content("src/ids.ts") ?? "";
    expect(out).toContain('import { createHash, randomBytes } from "node:crypto";');
    expect(out).toContain('makeResetToken = () => randomBytes(16).toString("hex");');
    expect(out).toContain("sort(() => Math.random() - 0.5)");
  });

  it("parameterises concatenated SQL where it can and reports it where it cannot", async () => {
    const { content, rules } = await security({
      "src/repo.ts": [
        "interface Db { query(sql: string, params?: unknown[]): unknown[] }",
        "export function byName(db: Db, name: string, age: number) {",
        '  return db.query("SELECT * FROM users WHERE name = \'" + name + "\' AND age = " + age);',
        "}",
        "export function search(db: Db, term: string) {",
        "  return db.query(`SELECT * FROM users WHERE name LIKE '%${term}%'`);",
        "}",
        "export function sorted(db: Db, column: string) {",
        "  return db.query(`SELECT * FROM users ORDER BY ${column}`);",
        "}",
        "",
      ].join("\n"),
    });
    expect(rules).toEqual([
      "src/repo.ts:3:no-sql-concat:true",
      "src/repo.ts:6:no-sql-concat:false",
      "src/repo.ts:9:no-sql-concat:false",
    ]);
    expect(content("src/repo.ts")).toContain(
      'db.query("SELECT * FROM users WHERE name = ? AND age = ?", [name, age]);',
    );
  });

  it("skips test files and honours the path scope", async () => {
    const { report } = await security(
      {
        "src/a.ts": 'export const API_SECRET = "9f8a7b6c5d4e3f2a1b0c";\n',
        "lib/b.ts": 'export const API_SECRET = "9f8a7b6c5d4e3f2a1b0c";\n',
        "src/a.test.ts": 'export const API_SECRET = "9f8a7b6c5d4e3f2a1b0c";\n',
      },
      ["src/**"],
    );
    expect(report.findings.map((f) => f.file)).toEqual(["src/a.ts"]);
    expect(report.skipped).toEqual([
      { reason: "1 test file(s) not checked: secrets and commands there are fixtures" },
    ]);
  });
});

describe("secret heuristics", () => {
  it("tells secret names and values from labels", () => {
    expect(isSecretName("JWT_SECRET")).toBe(true);
    expect(isSecretName("apiKey")).toBe(true);
    expect(isSecretName("API_KEY_HEADER")).toBe(false);
    expect(isSecretName("monkey")).toBe(false);
    expect(isSecretValue("changeme")).toBe(false);
    expect(isSecretValue("ghp_abcdefghijklmnopqrstuvwxyz0123456789")).toBe(true);
    expect(entropy("aaaa")).toBe(0);
    expect(envName("stripeApiKey")).toBe("STRIPE_API_KEY");
  });
});
