import { NatsContainer } from "@testcontainers/nats";
import { getContainerRuntimeClient } from "testcontainers";
import { describe, it } from "vitest";
import { NatsBus } from "../../../src/bus/index.js";
import { runBusConformance } from "./conformance.js";

// The same conformance spec against the official nats:2.12 image, when a Docker engine is reachable.
const docker = await getContainerRuntimeClient().then(
  () => true,
  () => false,
);

if (docker) {
  runBusConformance("nats (testcontainers, nats:2.12)", async () => {
    const container = await new NatsContainer("nats:2.12").withJetStream().start();
    const { servers, user, pass } = container.getConnectionOptions();
    const credentials = user && pass ? `${encodeURIComponent(user)}:${encodeURIComponent(pass)}@` : "";
    const bus = await NatsBus.connect({
      url: `nats://${credentials}${servers}`,
      name: "conformance-container",
    });
    return {
      bus,
      dispose: async () => {
        await bus.close();
        await container.stop();
      },
    };
  });
} else {
  describe("Bus conformance: nats (testcontainers, nats:2.12)", () => {
    it.skip("skipped: no Docker engine is reachable (the local nats-server run covers the same spec)", () => {});
  });
}
