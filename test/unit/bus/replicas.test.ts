import { describe, expect, it } from "vitest";
import { openBus, replicasOf } from "../../../src/bus/index.js";

describe("NATS replicas for streams, buckets and the object store", () => {
  it("defaults to 1 and takes 1 to 5 from a number or GUILD_NATS_REPLICAS' text", () => {
    expect(replicasOf(undefined)).toBe(1);
    expect(replicasOf("")).toBe(1);
    expect(replicasOf("3")).toBe(3);
    expect(replicasOf(5)).toBe(5);
  });

  it("refuses what JetStream would not take, naming the setting", () => {
    for (const bad of ["three", "0", "6", "2.5", -1]) {
      expect(() => replicasOf(bad)).toThrow(/GUILD_NATS_REPLICAS.*must be 1 to 5/);
    }
  });

  it("stops openBus before it connects", async () => {
    await expect(openBus({ url: "nats://127.0.0.1:1", replicas: 7 })).rejects.toMatchObject({
      code: "config.invalid",
    });
  });
});
