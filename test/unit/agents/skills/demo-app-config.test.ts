import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import YAML from "yaml";
import { GuildConfig } from "../../../../src/protocol/config.js";

const demo = join(import.meta.dirname, "../../../../examples/demo-app");

describe("examples/demo-app/guild.yaml", () => {
  const config = GuildConfig.parse(YAML.parse(readFileSync(join(demo, "guild.yaml"), "utf8")));

  it("defines the five roles with offline brains", () => {
    expect(Object.keys(config.roles).sort()).toEqual(["backend", "docs", "frontend", "security", "tests"]);
    expect(config.roles.security?.brain).toEqual({ kind: "offline", skill: "security" });
    expect(config.roles.docs?.brain).toEqual({ kind: "offline", skill: "docs" });
  });

  it("gives security-sensitive files to security through later rules", () => {
    const patterns = config.rules.map((r) => r.pattern);
    expect(patterns.indexOf("src/lib/auth.ts")).toBeGreaterThan(patterns.indexOf("src/**"));
    expect(config.rules.find((r) => r.pattern === "src/lib/shell.ts")?.owners).toEqual(["@security"]);
    expect(config.rules.find((r) => r.pattern === "guild.yaml")?.protect).toBe(true);
  });

  it("co-owns the UI with frontend first, and leaves calculator.ts to backend (its fix needs security's safe-*.ts)", () => {
    expect(config.rules.find((r) => r.pattern === "src/ui/**")?.owners).toEqual(["@frontend", "@security"]);
    expect(config.rules.some((r) => r.pattern === "src/lib/calculator.ts")).toBe(false);
    expect(config.rules.find((r) => r.pattern === "src/lib/safe-*.ts")?.owners).toEqual(["@security"]);
    expect(config.settlement[0]).toBe("ownership");
  });

  it("runs its tests without a shell", () => {
    expect(config.testCommand).toEqual(["tsx", "--test", "test/app.test.ts", "test/lib.test.ts"]);
  });
});
