import { spawnSync } from "node:child_process";
import { statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { NatsBus, writeIdentities } from "../../../src/bus/index.js";
import { GuildError } from "../../../src/protocol/index.js";
import { identityServer } from "../../helpers/identity-server.js";
import { startNats } from "../../helpers/nats.js";
import { tempDir } from "../../helpers/temp-dir.js";
import { online } from "./conformance-fixtures.js";

const ROOT = join(import.meta.dirname, "..", "..", "..");

async function refusal(connecting: Promise<NatsBus>): Promise<GuildError> {
  const error = await connecting.then(
    async (bus) => {
      await bus.close();
      throw new Error("the server accepted the connection");
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GuildError);
  return error as GuildError;
}

describe("NATS identities from `guild creds init`", () => {
  it("writes a seed per identity (mode 0600) and a config nats-server enforces: each key in, anyone else out", async () => {
    await using ids = await identityServer({ roles: ["docs", "backend"], replicas: 2 });
    const { dir, written, server } = ids;
    const others = ["operator", "watcher", "planner", "arbiter", "agent-docs", "agent-backend"] as const;
    expect(Object.keys(written.files)).toEqual(["coordinator", ...others]);
    for (const file of [...Object.values(written.files), written.config]) {
      expect((statSync(file).mode & 0o777).toString(8)).toBe("600");
    }
    const coordinator = await ids.as("coordinator", true);
    expect(await coordinator.events.append(online("g1", "coordinator"))).toBe(1);
    for (const identity of others) await (await ids.as(identity)).close();
    await coordinator.close();

    const anonymous = await refusal(NatsBus.connect({ url: server.url }));
    expect(anonymous.code).toBe("bus.unauthorized");
    expect(anonymous.message).toMatch(/refused this client/);
    // A key from another `creds init` is not one this server knows.
    await using other = tempDir();
    const stranger = writeIdentities(other.path, { roles: ["docs"], replicas: 1 });
    const wrong = await refusal(NatsBus.connect({ url: server.url, creds: stranger.files.coordinator }));
    expect(wrong.code).toBe("bus.unauthorized");
    expect(wrong.message).toContain(stranger.files.coordinator);
    const missing = await refusal(NatsBus.connect({ url: server.url, creds: join(dir.path, "none.nk") }));
    expect(missing.code).toBe("bus.unauthorized");
    writeFileSync(join(dir.path, "junk.nk"), "not a seed\n");
    const junk = await refusal(NatsBus.connect({ url: server.url, creds: join(dir.path, "junk.nk") }));
    expect(junk.message).toMatch(/neither a user nkey seed nor a \.creds JWT/);
  });

  it("takes the user and password from the URL", async () => {
    await using dir = tempDir();
    const config = join(dir.path, "users.conf");
    writeFileSync(config, 'authorization { user: "guild", password: "s3cret p@ss" }\n');
    await using server = await startNats({ configFile: config });
    const url = `nats://guild:${encodeURIComponent("s3cret p@ss")}@127.0.0.1:${server.port}`;
    const bus = await NatsBus.connect({ url });
    expect(await bus.events.append(online("g1", "a1"))).toBe(1);
    await bus.close();
    const wrong = await refusal(NatsBus.connect({ url: `nats://guild:nope@127.0.0.1:${server.port}` }));
    expect(wrong.code).toBe("bus.unauthorized");
  });

  it("`guild status --creds` with credentials the server refuses: one line on stderr, exit code 2", async () => {
    await using ids = await identityServer({ roles: ["docs"], replicas: 1 });
    const { dir, server } = ids;
    const stranger = writeIdentities(join(dir.path, "stranger"), { roles: ["docs"], replicas: 1 });
    const run = spawnSync(
      process.execPath,
      ["--import", "tsx", "src/cli/main.ts", "status", "--creds", stranger.files.operator],
      { cwd: ROOT, env: { ...process.env, NATS_URL: server.url }, encoding: "utf8", timeout: 60_000 },
    );
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split("\n")).toEqual([
      `guild: NATS at ${server.url} refused the credentials in ${stranger.files.operator}`,
    ]);
  }, 90_000);
});
