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

  get(key: string): Promise<Uint8Array | null> {
    return this.#os.getBlob(key);
  }

  async info(key: string): Promise<BlobInfo | null> {
    const info = await this.#os.info(key);
    return info && !info.deleted ? toInfo(info) : null;
  }

  async delete(key: string): Promise<void> {
    if (await this.#os.info(key)) await this.#os.delete(key);
  }
}
