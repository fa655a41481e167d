import type { ObjectInfo, ObjectStore } from "@nats-io/obj";
import type { BlobInfo, BlobStore } from "../types.js";

/** How often a read under way looks whether its object was deleted meanwhile. */
const GONE_CHECK_MS = 1000;

function toInfo(info: ObjectInfo): BlobInfo {
  return { key: info.name, size: info.size, digest: info.digest };
}

/** The `guild-bundles` object store through `@nats-io/obj`; chunked, so bundles of many MB travel fine. */
export class NatsBlobStore implements BlobStore {
  readonly #os: ObjectStore;

  constructor(os: ObjectStore) {
    this.#os = os;
  }

  async put(key: string, data: Uint8Array): Promise<BlobInfo> {
    return toInfo(await this.#os.putBlob({ name: key }, data));
  }

  /**
   * The blob, or null once it is gone. A read whose object is deleted under it (its chunks purged) would
   * wait for them forever in the client: the object's record is looked at every GONE_CHECK_MS meanwhile,
   * and the read stops when the record no longer names the copy being read: null if the object was
   * deleted, the new copy if it was put again.
   */
  async get(key: string): Promise<Uint8Array | null> {
    for (let tries = 1; ; tries++) {
      const read = await this.#readCopy(key);
      if (read !== "replaced" || tries >= 3) return read === "replaced" ? null : read;
    }
  }

  async #readCopy(key: string): Promise<Uint8Array | null | "replaced"> {
    const result = await this.#os.get(key);
    if (!result) return null;
    const reader = result.data.getReader();
    let stopped: "gone" | "replaced" | undefined;
    const check = setInterval(() => {
      void this.#os
        .info(key)
        .then((info) => {
          if (info && !info.deleted && info.nuid === result.info.nuid) return;
          stopped = info && !info.deleted ? "replaced" : "gone";
          void reader.cancel().catch(() => undefined);
        })
        .catch(() => undefined);
    }, GONE_CHECK_MS);
    const chunks: Uint8Array[] = [];
    let size = 0;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        size += value.byteLength;
      }
      if (!stopped) {
        const error = await result.error;
        if (error) throw error;
      }
    } finally {
      clearInterval(check);
    }
    if (stopped) return stopped === "gone" ? null : "replaced";
    // One plain Uint8Array, as the memory store returns.
    const data = new Uint8Array(size);
    let at = 0;
    for (const chunk of chunks) {
      data.set(chunk, at);
      at += chunk.byteLength;
    }
    return data;
  }

  async info(key: string): Promise<BlobInfo | null> {
    const info = await this.#os.info(key);
    return info && !info.deleted ? toInfo(info) : null;
  }

  async delete(key: string): Promise<void> {
    if (await this.#os.info(key)) await this.#os.delete(key);
  }

  async list(prefix = ""): Promise<BlobInfo[]> {
    // One pass over the store's metadata (the last record per object); deleted objects are left out.
    const all = await this.#os.list();
    return all.filter((info) => !info.deleted && info.name.startsWith(prefix)).map(toInfo);
  }
}
