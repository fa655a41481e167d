import { describe, expect, it } from "vitest";
import {
  normalizeSignature,
  PlanDraftTask,
  parseContractLine,
  signatureKeeps,
  TaskSpec,
} from "../../../src/protocol/index.js";

describe("declared contracts", () => {
  it("reads a contract written as a line of text", () => {
    expect(parseContractLine("exports login(user, password): Promise<Session> from src/lib/auth.ts")).toEqual(
      {
        path: "src/lib/auth.ts",
        symbol: "login",
        signature: "login(user, password): Promise<Session>",
      },
    );
    expect(parseContractLine("export function hash(text: string): string from `src/a.ts`.")).toMatchObject({
      path: "src/a.ts",
      symbol: "hash",
    });
    expect(parseContractLine("exports Session from src/lib/session.ts")).toEqual({
      path: "src/lib/session.ts",
      symbol: "Session",
    });
    expect(parseContractLine("login please")).toBeUndefined();
  });

  it("compares signatures by shape, not by keywords or spacing", () => {
    const declared = {
      path: "a.ts",
      symbol: "login",
      signature: "login(user: string, password: string): Promise<S>",
    };
    expect(signatureKeeps(declared, "async function login(user: string,password: string): Promise<S>")).toBe(
      true,
    );
    expect(signatureKeeps(declared, "const login = async (user: string, password: string): Promise<S>")).toBe(
      true,
    );
    expect(signatureKeeps(declared, "function login(user: string): Promise<S>")).toBe(false);
    expect(signatureKeeps({ path: "a.ts", symbol: "login" }, "function login()")).toBe(true);
    expect(normalizeSignature("export function f(a) {")).toBe("f(a)");
  });

  it("travels on planned tasks: structured or as text in a draft, structured in a task spec", () => {
    const draft = PlanDraftTask.parse({
      id: "a",
      role: "security",
      title: "t",
      provides: ["exports login(u) from src/a.ts", { path: "src/b.ts", symbol: "b" }],
    });
    expect(draft.provides).toHaveLength(2);
    const spec = TaskSpec.parse({
      taskId: "a",
      role: "security",
      title: "t",
      instructions: "",
      expectedPaths: [],
      provides: [{ path: "src/b.ts", symbol: "b" }],
    });
    expect(spec.provides).toEqual([{ path: "src/b.ts", symbol: "b" }]);
    expect(() => TaskSpec.parse({ ...spec, provides: ["exports b from src/b.ts"] })).toThrow();
  });
});
