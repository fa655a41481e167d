import { describe, expect, it } from "vitest";
import { ErrorRaised } from "../../../src/protocol/events/error-raised.js";
import {
  ERROR_CODES,
  ERROR_DETAILS,
  GuildError,
  type GuildErrorJSON,
  guildError,
  isGuildError,
  toGuildError,
} from "../../../src/protocol/index.js";

describe("typed error details", () => {
  it("has a details schema for every code", () => {
    expect(Object.keys(ERROR_DETAILS).sort()).toEqual([...ERROR_CODES].sort());
  });

  it("checks details at compile time", () => {
    // Each line below must fail to compile; `npm run typecheck` fails if one of them stops failing.
    // @ts-expect-error bus.timeout needs its subject and timeout
    const missing = new GuildError("bus.timeout", "no reply");
    // @ts-expect-error git.conflict's paths are strings
    const wrong = guildError("git.conflict", { paths: [1] }, "conflicts");
    // @ts-expect-error kv.conflict has no goalId
    const extra = guildError("kv.conflict", { key: "goal.g1", goalId: "g1" }, "lost");
    expect([missing.code, wrong.code, extra.code]).toEqual(["bus.timeout", "git.conflict", "kv.conflict"]);
  });

  it("narrows details by code", () => {
    const error: unknown = guildError("budget.exceeded", { budget: "steps", limit: 3, used: 4 }, "over");
    if (!isGuildError(error, "budget.exceeded")) throw new Error("expected budget.exceeded");
    const used: number | undefined = error.details?.used;
    expect(used).toBe(4);
    expect(toGuildError(error)).toBe(error);
  });

  it("keeps code, details and cause through JSON", () => {
    const cause = guildError(
      "git.failed",
      { args: ["merge-tree"], code: 128, stderr: "fatal" },
      "git failed",
    );
    const error = new GuildError("git.conflict", "the combination leaves conflicts", {
      cause,
      details: { paths: ["a.ts", "b.ts"] },
    });
    const back = GuildError.fromJSON(JSON.parse(JSON.stringify(error)) as GuildErrorJSON);
    expect(isGuildError(back, "git.conflict") && back.details?.paths).toEqual(["a.ts", "b.ts"]);
    expect(isGuildError(back.cause, "git.failed") && back.cause.details?.code).toBe(128);
  });

  it("turns details from the wire that do not fit their code into bus.invalid_message, keeping what was sent", () => {
    const json = {
      name: "GuildError",
      code: "budget.exceeded",
      message: "over",
      details: { budget: "coffee", limit: "3" },
    } as unknown as GuildErrorJSON;
    const error = GuildError.fromJSON(json);
    expect(error.code).toBe("bus.invalid_message");
    expect(error.message).toMatch(/budget\.exceeded error arrived with invalid details/);
    const issues = isGuildError(error, "bus.invalid_message") ? (error.details?.issues ?? []) : [];
    expect(issues.map((i) => i.path).sort()).toEqual(["budget", "limit", "used"]);
    expect(isGuildError(error.cause, "budget.exceeded")).toBe(true);
    expect((error.cause as GuildError).details).toBeUndefined();
  });

  it("reads an unknown code as internal, without its details", () => {
    const json = { name: "GuildError", code: "warp.core", message: "breach", details: { x: 1 } };
    const error = GuildError.fromJSON(json as unknown as GuildErrorJSON);
    expect(error.code).toBe("internal");
    expect(error.details).toBeUndefined();
  });

  it("validates error.raised details against the code", () => {
    const ok = ErrorRaised.safeParse({
      code: "git.conflict",
      message: "m",
      context: "c",
      details: { paths: ["a"] },
    });
    expect(ok.success).toBe(true);
    const bad = ErrorRaised.safeParse({
      code: "git.conflict",
      message: "m",
      context: "c",
      details: { paths: "a" },
    });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(["details", "paths"]);
    expect(ErrorRaised.safeParse({ code: "warp.core", message: "m", context: "c" }).success).toBe(false);
  });
});
