import type { ObjectInfo, ObjectStore } from "@nats-io/obj";
import type { BlobInfo, BlobStore } from "../types.js";

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

  async get(key: string): Promise<Uint8Array | null> {
    const data = await this.#os.getBlob(key);
    // A plain Uint8Array, as the memory store returns, whatever view the client built.
    return data && new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
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
