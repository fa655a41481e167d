import { describe, expect, it } from "vitest";
import {
  GuildConfig,
  HostConfig,
  type HostRole,
  hostConfigFromGuild,
  hostRoleOf,
  type Narrowed,
  narrow,
  type Refusal,
} from "../../../src/protocol/index.js";
import { DEFAULT_SANDBOX_LIMITS } from "../../../src/sandbox/index.js";

const limits = DEFAULT_SANDBOX_LIMITS;
const claude = { kind: "claude-code" as const, model: "sonnet", maxTurns: 20, env: ["ANTHROPIC_API_KEY"] };
const host: HostRole = {
  brains: [claude, { kind: "openai", model: "gpt-4o", baseURL: "https://llm.internal/v1" }],
  allowCommands: [
    ["npm", "test"],
    ["npx", "tsc"],
  ],
  sandbox: { network: false, writable: ["/tmp/cache"], limits: { memoryBytes: 1_000_000_000 } },
  env: ["CI", "NODE_OPTIONS"],
};

function refusals(result: Narrowed): Refusal[] {
  if (result.ok) throw new Error(`expected refusals, got ${JSON.stringify(result.role)}`);
  return result.refusals;
}

function allowed(result: Narrowed) {
  if (!result.ok) throw new Error(`expected a role, got ${JSON.stringify(result.refusals)}`);
  return result.role;
}

describe("narrow: what the repository leaves out takes the host's", () => {
  it("an empty ask runs the host's first brain, commands, sandbox and env", () => {
    const role = allowed(narrow(host, {}, limits));
    expect(role.brain).toEqual(claude);
    expect(role.allowCommands).toEqual(host.allowCommands);
    expect(role.sandbox).toEqual(host.sandbox);
    expect(role.env).toEqual(["CI", "NODE_OPTIONS"]);
  });

  it("a host with no brains runs the offline brain, no commands, the default sandbox", () => {
    const role = allowed(narrow({ allowCommands: [] }, {}, limits));
    expect(role).toEqual({ brain: { kind: "offline" }, allowCommands: [], sandbox: undefined, env: [] });
  });
});

describe("narrow: brains", () => {
  it("chooses another of the host's brains", () => {
    const openai = {
      kind: "openai" as const,
      model: "gpt-4o",
      baseURL: "https://llm.internal/v1",
      temperature: 0.2,
    };
    expect(allowed(narrow(host, { brain: openai }, limits)).brain).toEqual(openai);
  });

  it("narrows a host brain: fewer turns, fewer env names", () => {
    const fewer = { kind: "claude-code" as const, model: "sonnet", maxTurns: 5, env: [] };
    expect(allowed(narrow(host, { brain: fewer }, limits)).brain).toEqual(fewer);
  });

  it("built-in brains need no allowance", () => {
    expect(
      allowed(narrow({ allowCommands: [] }, { brain: { kind: "offline", skill: "docs" } }, limits)).brain,
    ).toEqual({
      kind: "offline",
      skill: "docs",
    });
    expect(allowed(narrow(host, { brain: { kind: "scripted", delayMs: 0 } }, limits)).brain.kind).toBe(
      "scripted",
    );
  });

  it("refuses a cli brain the host does not run, naming its command", () => {
    const cli = {
      kind: "cli" as const,
      command: ["sh", "-c", "env > /tmp/loot"],
      env: ["AWS_SECRET_ACCESS_KEY"],
    };
    const [refusal, ...rest] = refusals(narrow(host, { brain: cli }, limits));
    expect(rest).toEqual([]);
    expect(refusal?.field).toBe("brain");
    expect(refusal?.asked).toContain('["sh","-c","env > /tmp/loot"]');
    expect(refusal?.asked).toContain("AWS_SECRET_ACCESS_KEY");
    expect(refusal?.reason).toContain("claude-code, openai");
  });

  it("refuses a cli brain whose command differs from the host's", () => {
    const hostCli: HostRole = { allowCommands: [], brains: [{ kind: "cli", command: ["aider", "{task}"] }] };
    const [refusal] = refusals(
      narrow(hostCli, { brain: { kind: "cli", command: ["aider", "--yes", "{task}"] } }, limits),
    );
    expect(refusal?.reason).toContain("command");
  });

  it("refuses an API brain pointed at another endpoint (it would carry the host's key there)", () => {
    const [refusal] = refusals(
      narrow(
        host,
        { brain: { kind: "openai", model: "gpt-4o", baseURL: "https://evil.example/v1" } },
        limits,
      ),
    );
    expect(refusal?.field).toBe("brain");
    expect(refusal?.reason).toContain("baseURL");
    expect(refusal?.reason).toContain("evil.example");
  });

  it("refuses an external brain with more env names, more turns or another model", () => {
    const more = { ...claude, env: ["ANTHROPIC_API_KEY", "AWS_SECRET_ACCESS_KEY"] };
    expect(refusals(narrow(host, { brain: more }, limits))[0]?.reason).toContain("env AWS_SECRET_ACCESS_KEY");
    expect(refusals(narrow(host, { brain: { ...claude, maxTurns: 200 } }, limits))[0]?.reason).toContain(
      "maxTurns",
    );
    expect(refusals(narrow(host, { brain: { ...claude, model: "opus" } }, limits))[0]?.reason).toContain(
      "model",
    );
    expect(refusals(narrow(host, { brain: { kind: "codex" } }, limits))[0]?.reason).toContain("only");
  });
});

describe("narrow: allowCommands", () => {
  it("keeps a subset, and longer prefixes of the host's commands", () => {
    const ask = {
      allowCommands: [
        ["npm", "test", "--", "unit"],
        ["npx", "tsc"],
      ],
    };
    expect(allowed(narrow(host, ask, limits)).allowCommands).toEqual(ask.allowCommands);
    expect(allowed(narrow(host, { allowCommands: [] }, limits)).allowCommands).toEqual([]);
  });

  it("refuses each command the host does not allow", () => {
    const found = refusals(
      narrow(host, { allowCommands: [["npm"], ["curl", "evil"], ["npm", "test"]] }, limits),
    );
    expect(found.map((r) => [r.field, r.asked])).toEqual([
      ["allowCommands", 'command ["npm"]'],
      ["allowCommands", 'command ["curl","evil"]'],
    ]);
  });
});

describe("narrow: sandbox", () => {
  it("network true is refused where the host gives none; false is kept", () => {
    expect(refusals(narrow(host, { sandbox: { network: true, writable: [] } }, limits))).toEqual([
      { field: "sandbox", asked: "network: true", reason: "this host gives the role no network" },
    ]);
    const open: HostRole = { ...host, sandbox: { network: true, writable: [] } };
    expect(allowed(narrow(open, { sandbox: { network: false, writable: [] } }, limits)).sandbox).toEqual({
      network: false,
      writable: [],
    });
  });

  it("sandbox none is refused unless the host runs the role unconfined", () => {
    expect(refusals(narrow(host, { sandbox: "none" }, limits))[0]?.asked).toBe("sandbox: none");
    expect(refusals(narrow({ allowCommands: [] }, { sandbox: "none" }, limits))[0]?.field).toBe("sandbox");
    const unconfined: HostRole = { allowCommands: [], sandbox: "none" };
    expect(allowed(narrow(unconfined, { sandbox: "none" }, limits)).sandbox).toBe("none");
    expect(
      allowed(narrow(unconfined, { sandbox: { network: false, writable: [] } }, limits)).sandbox,
    ).toEqual({
      network: false,
      writable: [],
    });
  });

  it("writable folders: fewer allowed, others refused", () => {
    expect(
      allowed(narrow(host, { sandbox: { network: false, writable: ["/tmp/cache/"] } }, limits)).sandbox,
    ).toEqual({
      network: false,
      writable: ["/tmp/cache/"],
      limits: { memoryBytes: 1_000_000_000 },
    });
    const [refusal] = refusals(
      narrow(host, { sandbox: { network: false, writable: ["/home/me/.ssh"] } }, limits),
    );
    expect(refusal?.asked).toBe("writable /home/me/.ssh");
  });

  it("limits: lower kept (the host's others stay), higher refused, the defaults bind where the host sets none", () => {
    const lower = allowed(
      narrow(host, { sandbox: { network: false, writable: [], limits: { processes: 10 } } }, limits),
    ).sandbox;
    expect(lower).toEqual({
      network: false,
      writable: [],
      limits: { memoryBytes: 1_000_000_000, processes: 10 },
    });
    const higher = {
      network: false,
      writable: [],
      limits: { memoryBytes: 2_000_000_000, processes: 100_000 },
    };
    expect(refusals(narrow(host, { sandbox: higher }, limits)).map((r) => r.asked)).toEqual([
      "limits.memoryBytes 2000000000",
      "limits.processes 100000",
    ]);
  });
});

describe("narrow: env names", () => {
  it("keeps fewer names and refuses any other", () => {
    expect(allowed(narrow(host, { env: ["CI"] }, limits)).env).toEqual(["CI"]);
    expect(refusals(narrow(host, { env: ["CI", "OPENAI_API_KEY"] }, limits))).toEqual([
      { field: "env", asked: "env OPENAI_API_KEY", reason: "this host passes on only CI, NODE_OPTIONS" },
    ]);
  });
});

describe("narrow: several refusals at once", () => {
  it("lists every field asked beyond the host", () => {
    const found = refusals(
      narrow(
        { allowCommands: [] },
        {
          brain: { kind: "cli", command: ["sh", "-c", "id"] },
          allowCommands: [["sh"]],
          sandbox: { network: true, writable: [] },
          env: ["HOME"],
        },
        limits,
      ),
    );
    expect(found.map((r) => r.field).sort()).toEqual(["allowCommands", "brain", "env", "sandbox"]);
  });
});

describe("host config", () => {
  it("a guild.yaml on the host's disk is a host config of its roles", () => {
    const config = GuildConfig.parse({
      roles: { backend: { brain: { kind: "codex" }, allowCommands: [["npm", "test"]], env: ["CI"] } },
      sandbox: { network: true },
    });
    const hostConfig = hostConfigFromGuild(config);
    expect(hostRoleOf(hostConfig, "backend")).toEqual({
      brains: [{ kind: "codex" }],
      allowCommands: [["npm", "test"]],
      sandbox: { network: true, writable: [] },
      env: ["CI"],
    });
    expect(hostRoleOf(hostConfig, "docs")).toEqual({
      allowCommands: [],
      sandbox: { network: true, writable: [] },
    });
  });

  it("the host config schema refuses unknown keys and bad brains", () => {
    expect(HostConfig.safeParse({ roles: { backend: { allowCommnds: [["npm"]] } } }).success).toBe(false);
    expect(HostConfig.safeParse({ roles: { backend: { brains: [{ kind: "shell" }] } } }).success).toBe(false);
    expect(HostConfig.safeParse({ roles: { backend: { brains: [] } } }).success).toBe(false);
    expect(HostConfig.parse({}).roles).toEqual({});
  });
});
