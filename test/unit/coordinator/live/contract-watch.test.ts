import { describe, expect, it } from "vitest";
import { ContractWatch, contractDirectives } from "../../../../src/coordinator/live/contract-watch.js";
import type { SurfaceChange, WorkProgress } from "../../../../src/protocol/index.js";

const provider = {
  role: "security",
  provides: [
    { path: "src/auth.ts", symbol: "login", signature: "login(user: string, password: string): Promise<S>" },
  ],
  dependents: [{ taskId: "ui", role: "frontend" }],
};

function progress(seq: number, surface: SurfaceChange[], truncated = 0): WorkProgress {
  return {
    taskId: "auth",
    role: "security",
    agentId: "security-1",
    attempt: 1,
    seq,
    files: [],
    surface,
    uses: [],
    truncated,
  };
}

const added = (after: string): SurfaceChange => ({
  path: "src/auth.ts",
  symbol: "login",
  change: "added",
  after,
});

describe("a provider's surface against its declared contract", () => {
  it("keeps quiet while the export matches the declaration or is not written yet", () => {
    const watch = new ContractWatch();
    expect(watch.check(progress(1, []), provider, false)).toEqual([]);
    expect(
      watch.check(
        progress(2, [added("async function login(user: string, password: string): Promise<S>")]),
        provider,
        true,
      ),
    ).toEqual([]);
  });

  it("raises a changed signature once, naming both sides, and a new shape again", () => {
    const watch = new ContractWatch();
    const [broken] = watch.check(
      progress(1, [added("function login(user: string): Promise<S>")]),
      provider,
      false,
    );
    expect(broken).toMatchObject({
      provider: { taskId: "auth", role: "security", agentId: "security-1" },
      dependents: [{ taskId: "ui", role: "frontend" }],
      change: "changed",
      actual: "function login(user: string): Promise<S>",
      declared: "exports login(user: string, password: string): Promise<S> from src/auth.ts",
    });
    expect(
      watch.check(progress(2, [added("function login(user: string): Promise<S>")]), provider, true),
    ).toEqual([]);
    expect(watch.check(progress(3, [added("function login(): Promise<S>")]), provider, false)).toHaveLength(
      1,
    );
  });

  it("raises a removed export at once and a missing one only with the proposal, unless the progress was cut", () => {
    const watch = new ContractWatch();
    const removed: SurfaceChange = { path: "src/auth.ts", symbol: "login", change: "removed", before: "x" };
    expect(watch.check(progress(1, [removed]), provider, false).map((c) => c.change)).toEqual(["removed"]);
    const other = new ContractWatch();
    expect(other.check(progress(1, []), provider, true).map((c) => c.change)).toEqual(["missing"]);
    expect(new ContractWatch().check(progress(1, [], 3), provider, true)).toEqual([]);
  });

  it("tells the provider to keep to its declaration and the dependent to adapt or ask", () => {
    const [broken] = new ContractWatch().check(
      progress(1, [added("function login(u: string)")]),
      provider,
      false,
    );
    if (!broken) throw new Error("expected a broken contract");
    const notes = contractDirectives(broken);
    expect(notes.provider).toMatchObject({ topic: "contract", taskId: "auth" });
    expect(notes.provider.text).toContain("keep to the declaration");
    expect(notes.provider.text).toContain("ui (frontend)");
    const toUi = notes.dependent("ui");
    expect(toUi).toMatchObject({ topic: "contract", taskId: "ui" });
    expect(toUi.text).toContain("exports function login(u: string) instead");
  });
});
