import { describe, expect, it } from "vitest";
import { runServe } from "../../../src/cli/commands/serve.js";
import { collectOutput } from "../../../src/cli/output.js";
import { isGuildError } from "../../../src/protocol/index.js";
import { tempRepo } from "../../helpers/git-repo.js";

describe("guild serve", () => {
  it("refuses, before connecting, a service it does not know or one guild.yaml gives no LLM brain", async () => {
    using repo = tempRepo({
      "guild.yaml": "version: 1\nplanner: rules\narbiter: { kind: offline }\n",
    });
    const output = collectOutput();
    // No NATS_URL is needed to fail: the check comes first.
    for (const service of ["planner", "arbiter", "coordinator"]) {
      const error = await runServe({ service, home: repo.path, natsUrl: "nats://127.0.0.1:1" }, output).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isGuildError(error, "config.invalid"), String(error)).toBe(true);
      expect(String(error)).toContain(
        service === "coordinator" ? "no service coordinator" : `no LLM ${service}`,
      );
    }
  });
});
