import { connect } from "@nats-io/transport-node";
import { describe, expect, it } from "vitest";
import { startNats } from "../../helpers/nats.js";

describe("nats-server test launcher", () => {
  it("starts on a random port with JetStream, restarts on the same port, and cleans up", async () => {
    await using server = await startNats();
    expect(server.port).toBeGreaterThan(0);
    const nc = await connect({ servers: server.url });
    const info = nc.info;
    expect(info?.jetstream).toBe(true);
    await nc.close();
    const port = server.port;
    await server.restart();
    expect(server.port).toBe(port);
    const again = await connect({ servers: server.url });
    await again.close();
  });
});
