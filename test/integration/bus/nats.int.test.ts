import { NatsBus } from "../../../src/bus/index.js";
import { startNats } from "../../helpers/nats.js";
import { runBusConformance } from "./conformance.js";

runBusConformance("nats", async () => {
  const server = await startNats();
  const bus = await NatsBus.connect({ url: server.url, name: "conformance" });
  return {
    bus,
    dispose: async () => {
      await bus.close();
      await server.dispose();
    },
  };
});
