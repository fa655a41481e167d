import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join, posix } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { BUILTIN_ROLES } from "../../../src/agents/index.js";
import { runCredsInit } from "../../../src/cli/commands/creds.js";
import { collectOutput } from "../../../src/cli/output.js";
import { tempDir } from "../../helpers/temp-dir.js";

const ROOT = join(import.meta.dirname, "..", "..", "..");

interface Service {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  configs?: { source: string; target: string }[];
  depends_on?: Record<string, unknown>;
  working_dir?: string;
}

interface Compose {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
  configs: Record<string, { content: string }>;
}

// Docker Compose reads YAML merge keys (`<<: *anchor`); the parse must too.
const compose = parse(readFileSync(join(ROOT, "docker-compose.yml"), "utf8"), { merge: true }) as Compose;
const entries = Object.entries(compose.services);
const natsServices = entries.filter(([, s]) => s.image?.startsWith("nats:"));
const guildServices = entries.filter(([, s]) => s.command?.includes("bin/guild.js"));

/** `host:container[:mode]` → the two paths. */
function mount(volume: string): { source: string; target: string } {
  const [source = "", target = ""] = volume.split(":");
  return { source, target };
}

/** What `guild creds init --dir .guild/creds` writes, run in this checkout as the file's header says. */
function credsInit(): { files: string[]; config: string } {
  using dir = tempDir();
  runCredsInit({ dir: dir.path, home: ROOT }, collectOutput());
  return { files: readdirSync(dir.path), config: readFileSync(join(dir.path, "nats.conf"), "utf8") };
}

describe("docker-compose.yml", () => {
  const creds = credsInit();

  it("runs three nats nodes that route to each other and include the authorization block creds init writes", () => {
    expect(natsServices.map(([name]) => name)).toHaveLength(3);
    const names = natsServices.map(([, s]) => s.command?.[s.command.indexOf("--name") + 1]);
    expect(new Set(names).size).toBe(3);
    for (const [name, service] of natsServices) {
      const config = service.configs?.find((c) => c.source === "nats-conf");
      expect(config, name).toBeDefined();
      expect(service.command?.slice(0, 2)).toEqual(["-c", config?.target]);
      const content = compose.configs["nats-conf"]?.content ?? "";
      // The include resolves beside the config: that path must be the creds' nats.conf, mounted read-only.
      const include = /^\s*include\s+(\S+)/m.exec(content)?.[1] ?? "";
      const included = posix.join(posix.dirname(config?.target ?? ""), include);
      const auth = service.volumes?.map(mount).find((m) => m.target === included);
      expect(auth?.source, name).toBe("./.guild/creds/nats.conf");
      expect(creds.files).toContain(basename(auth?.source ?? ""));
      for (const [other] of natsServices) expect(content).toContain(`nats-route://${other}:6222`);
      expect(content).toMatch(/sync_interval:\s*always/);
    }
  });

  it("gives the coordinator and every built-in role's agent its own key from the creds folder", () => {
    const roles = guildServices.flatMap(([, s]) => {
      const at = s.command?.indexOf("--role") ?? -1;
      return at >= 0 ? [s.command?.[at + 1]] : [];
    });
    expect(roles.sort()).toEqual(Object.keys(BUILTIN_ROLES).sort());
    const nodes = natsServices.map(([name]) => `nats://${name}:4222`).sort();
    for (const [name, service] of guildServices) {
      const env = service.environment ?? {};
      const credsMount = service.volumes?.map(mount).find((m) => m.source === "./.guild/creds");
      expect(credsMount, name).toBeDefined();
      const key = env.NATS_CREDS ?? "";
      expect(posix.dirname(key), name).toBe(credsMount?.target);
      expect(creds.files, name).toContain(posix.basename(key));
      const command = service.command ?? [];
      const role = command.includes("--role") ? command[command.indexOf("--role") + 1] : undefined;
      expect(posix.basename(key), name).toBe(role ? `agent-${role}.nk` : "coordinator.nk");
      if (!role) expect(command).toContain("coordinator");
      // The agent ids a process runs (`<role>-1` … `<role>-N`) are ones its identity may speak for.
      const replicas = command.includes("--replicas")
        ? Number(command[command.indexOf("--replicas") + 1])
        : 1;
      for (let i = 1; role && i <= replicas; i++)
        expect(creds.config).toContain(`guild.evt.*.${role}-${i}.>`);
      expect(env.NATS_URL?.split(",").sort(), name).toEqual(nodes);
      expect(Number(env.GUILD_NATS_REPLICAS), name).toBe(natsServices.length);
      expect(env.GUILD_HOME, name).toBeTruthy();
      expect(Object.keys(service.depends_on ?? {}).sort(), name).toEqual(natsServices.map(([n]) => n).sort());
      const app = service.volumes?.map(mount).find((m) => m.source === ".");
      expect(app?.target, name).toBe(service.working_dir);
      expect(existsSync(join(ROOT, command[1] ?? "missing")), name).toBe(true);
    }
  });

  it("declares every named volume its services use", () => {
    const named = entries.flatMap(([, s]) =>
      (s.volumes ?? []).map(mount).filter((m) => !m.source.startsWith(".") && !m.source.startsWith("/")),
    );
    expect(named.length).toBeGreaterThan(3);
    for (const m of named) expect(Object.keys(compose.volumes)).toContain(m.source);
  });
});
