import { MemoryBus } from "../../../src/bus/index.js";
import { runBusConformance } from "./conformance.js";

runBusConformance("memory", async () => {
  const bus = new MemoryBus();
  return { bus, dispose: () => bus.close() };
});
