import { describe, expect, it } from "vitest";
import {
  integrationBranch,
  parseTaskBranch,
  proposalRef,
  salvageRef,
  taskBranch,
} from "../../../src/git/index.js";

describe("ref names", () => {
  it("names task, integration, proposal and salvage refs", () => {
    expect(taskBranch("g1", "t1")).toBe("guild/g1/t1");
    expect(integrationBranch("g1")).toBe("guild/g1.integration");
    expect(proposalRef("p-1")).toBe("refs/guild/proposals/p-1");
    expect(salvageRef("g1", "t1", new Date("2025-01-02T03:04:05.678Z"))).toMatch(
      /^refs\/guild\/salvage\/g1\/t1\/20250102-030405678Z-[a-z0-9]+$/,
    );
  });

  it("refuses ids that are not tokens", () => {
    expect(() => taskBranch("g1", "../x")).toThrow(/not a valid token/);
    expect(() => proposalRef("a b")).toThrow(/not a valid token/);
  });

  it("reads task branches back, and nothing else", () => {
    expect(parseTaskBranch("refs/heads/guild/g1/t1")).toEqual({ goalId: "g1", taskId: "t1" });
    expect(parseTaskBranch("guild/g1.integration")).toBeUndefined();
    expect(parseTaskBranch("refs/heads/main")).toBeUndefined();
  });
});
