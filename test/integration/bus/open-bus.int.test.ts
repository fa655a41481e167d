import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openBus } from "../../../src/bus/index.js";
import { makeEnvelope } from "../../../src/protocol/index.js";
import { startNats } from "../../helpers/nats.js";
import { tempDir } from "../../helpers/temp-dir.js";
import { online } from "./conformance-fixtures.js";

describe("openBus", () => {
  it("connects to the server at `url`", async () => {
    await using server = await startNats();
    const opened = await openBus({ url: server.url, name: "open-bus-test" });
    expect(opened.bus.kind).toBe("nats");
    expect(opened.server).toBeUndefined();
    expect(await opened.bus.events.append(online("g1", "a1"))).toBe(1);
    await opened.bus.close();
  });

  it("starts a local nats-server with its store where asked when no url is given", async () => {
    await using dir = tempDir();
    const saved = process.env.NATS_URL;
    delete process.env.NATS_URL;
    try {
      const storeDir = join(dir.path, "nats");
      const opened = await openBus({ storeDir });
      expect(opened.bus.kind).toBe("nats");
      expect(opened.server?.storeDir).toBe(storeDir);
      expect(opened.notice).toMatch(/started nats-server/);
      await opened.bus.events.append(online("g1", "a1"));
      expect(existsSync(join(storeDir, "jetstream"))).toBe(true);
      await opened.bus.close();
      await opened.server?.dispose();
    } finally {
      if (saved !== undefined) process.env.NATS_URL = saved;
    }
  });

  it("uses the memory bus when asked", async () => {
    const opened = await openBus({ memory: true });
    expect(opened.bus.kind).toBe("memory");
    await opened.bus.publish("x.y", makeEnvelope({ type: "test.ping", source: "t", payload: {} }));
    await opened.bus.close();
  });

  it("falls back to the memory bus with a one-line notice when there is no nats-server binary", async () => {
    const saved = process.env.NATS_URL;
    delete process.env.NATS_URL;
    try {
      const opened = await openBus({ natsServerBinary: "/nonexistent/nats-server" });
      expect(opened.bus.kind).toBe("memory");
      expect(opened.server).toBeUndefined();
      expect(opened.notice).toMatch(/memory bus/);
      expect(opened.notice).not.toContain("\n");
      await opened.bus.close();
    } finally {
      if (saved !== undefined) process.env.NATS_URL = saved;
    }
  });
});
