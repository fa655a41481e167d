import { describe, expect, it } from "vitest";
import { withRepoLock } from "../../../src/git/index.js";
import { tempRepo } from "../../helpers/git-repo.js";

describe("withRepoLock", () => {
  it("runs steps on one repository one at a time, in call order, even when one fails", async () => {
    using repo = tempRepo();
    const log: string[] = [];
    let inside = 0;
    const step = (name: string, fail = false) =>
      withRepoLock(repo.path, async () => {
        inside++;
        expect(inside).toBe(1);
        log.push(`start ${name}`);
        await new Promise((r) => setImmediate(r));
        log.push(`end ${name}`);
        inside--;
        if (fail) throw new Error(name);
        return name;
      });
    const results = await Promise.allSettled([step("a"), step("b", true), step("c")]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(log).toEqual(["start a", "end a", "start b", "end b", "start c", "end c"]);
  });
});
