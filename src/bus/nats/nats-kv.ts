import { JetStreamApiError } from "@nats-io/jetstream";
import type { KV, KvEntry as NatsKvEntry } from "@nats-io/kv";
import { GuildError, type Logger } from "../../protocol/index.js";
import type { KeyValue, KvEntry, Subscription } from "../types.js";

/** Wrong last sequence (10071) and its variant (10164) are what a lost compare-and-set looks like. */
const CAS_CODES = new Set([10071, 10164]);

function toEntry(e: NatsKvEntry): KvEntry {
  return {
    key: e.key,
    // A plain Uint8Array (the client hands out Buffers), so both transports return the same type.
    value: new Uint8Array(e.value),
    revision: e.revision,
    operation: e.operation === "PUT" ? "PUT" : "DEL",
  };
}

async function cas(key: string, write: () => Promise<number>): Promise<number> {
  try {
    return await write();
  } catch (e) {
    // The server's error code says a compare-and-set was lost; its message is not read.
    const lost = e instanceof JetStreamApiError && CAS_CODES.has(e.code);
    if (lost)
      throw new GuildError("kv.conflict", `kv ${key}: ${(e as Error).message}`, {
        cause: e,
        details: { key },
      });
    throw e;
  }
}

/** The `guild-state` bucket through `@nats-io/kv`. */
export class NatsKeyValue implements KeyValue {
  readonly #kv: KV;
  readonly #logger: Logger | undefined;

  constructor(kv: KV, logger?: Logger) {
    this.#kv = kv;
    this.#logger = logger;
  }

  async get(key: string): Promise<KvEntry | null> {
    const e = await this.#kv.get(key);
    return e && e.operation === "PUT" ? toEntry(e) : null;
  }

  put(key: string, value: Uint8Array): Promise<number> {
    return this.#kv.put(key, value);
  }

  create(key: string, value: Uint8Array): Promise<number> {
    return cas(key, () => this.#kv.create(key, value));
  }

  update(key: string, value: Uint8Array, expectedRevision: number): Promise<number> {
    return cas(key, () => this.#kv.update(key, value, expectedRevision));
  }

  async delete(key: string): Promise<void> {
    await this.#kv.delete(key);
  }

  async keys(filter = ">"): Promise<string[]> {
    // A key updated while the listing runs can be listed twice (the listing follows the stream): once each.
    const out = new Set<string>();
    for await (const key of await this.#kv.keys(filter)) out.add(key);
    return [...out];
  }

  async watch(filter: string, handler: (entry: KvEntry) => void): Promise<Subscription> {
    const iter = await this.#kv.watch({ key: filter });
    const done = (async () => {
      for await (const e of iter) {
        try {
          handler(toEntry(e));
        } catch (err) {
          this.#logger?.error({ err, key: e.key }, "kv watcher threw");
        }
      }
    })();
    return {
      unsubscribe: async () => {
        iter.stop();
        await done.catch(() => {});
      },
    };
  }
}
