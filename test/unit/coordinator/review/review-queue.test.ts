import { describe, expect, it } from "vitest";
import { ReviewQueue } from "../../../../src/coordinator/review/review-queue.js";

/** A review that ends when the test says so. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("the review queue", () => {
  it("runs at most `concurrency` reviews, the most critical waiting one first, then in arrival order", async () => {
    const queue = new ReviewQueue(1, 8);
    const started: string[] = [];
    const first = gate();
    const done = [
      queue.run(0, async () => {
        started.push("first");
        await first.opened;
      }),
      ...[
        ["low-a", 1],
        ["high", 3],
        ["low-b", 1],
        ["mid", 2],
      ].map(([name, priority]) =>
        queue.run(priority as number, async () => {
          started.push(name as string);
        }),
      ),
    ];
    await tick();
    expect(started).toEqual(["first"]);
    expect(queue.size).toBe(5);
    first.open();
    await Promise.all(done);
    expect(started).toEqual(["first", "high", "mid", "low-a", "low-b"]);
    expect(queue.size).toBe(0);
  });

  it("makes room for one more only below its capacity, and settles as the review does", async () => {
    const queue = new ReviewQueue(2, 3);
    const gates = [gate(), gate(), gate()];
    const runs = gates.map((g, i) =>
      queue.run(0, async () => {
        await g.opened;
        if (i === 1) throw new Error("review broke");
        return i;
      }),
    );
    let roomy = false;
    void queue.room().then(() => {
      roomy = true;
    });
    await tick();
    expect(roomy).toBe(false);
    gates[1]?.open();
    await expect(runs[1]).rejects.toThrow("review broke");
    await tick();
    expect(roomy).toBe(true);
    let idle = false;
    void queue.idle().then(() => {
      idle = true;
    });
    gates[0]?.open();
    await expect(runs[0]).resolves.toBe(0);
    await tick();
    expect(idle).toBe(false);
    gates[2]?.open();
    await expect(runs[2]).resolves.toBe(2);
    await tick();
    expect(idle).toBe(true);
  });
});
