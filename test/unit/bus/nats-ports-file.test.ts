import { describe, expect, it } from "vitest";
import { clientUrlOf } from "../../../src/bus/nats-launcher.js";

describe("reading nats-server's ports file", () => {
  it("finds the client URL once the file is complete", () => {
    expect(clientUrlOf('{"nats":["nats://127.0.0.1:4333"],"monitoring":[]}')).toBe("nats://127.0.0.1:4333");
    expect(clientUrlOf('{"client":["nats://127.0.0.1:4334"]}')).toBe("nats://127.0.0.1:4334");
  });

  it("waits, rather than failing, while the server is still writing it", () => {
    expect(clientUrlOf("")).toBeUndefined();
    expect(clientUrlOf('{"nats":["nats://127.0.0.1:43')).toBeUndefined();
  });
});
