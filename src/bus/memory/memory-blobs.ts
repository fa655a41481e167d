import { blobDigest } from "../blob-digest.js";
import type { BlobInfo, BlobStore } from "../types.js";

/** Blobs in process, copied in and out so callers cannot mutate what is stored. */
export class MemoryBlobStore implements BlobStore {
  readonly #blobs = new Map<string, { data: Uint8Array; info: BlobInfo }>();

  async put(key: string, data: Uint8Array): Promise<BlobInfo> {
    const info = { key, size: data.byteLength, digest: blobDigest(data) };
    this.#blobs.set(key, { data: data.slice(), info });
    return { ...info };
  }

  async get(key: string): Promise<Uint8Array | null> {
    return this.#blobs.get(key)?.data.slice() ?? null;
  }

  async info(key: string): Promise<BlobInfo | null> {
    const blob = this.#blobs.get(key);
    return blob ? { ...blob.info } : null;
  }

  async delete(key: string): Promise<void> {
    this.#blobs.delete(key);
  }

  async list(prefix = ""): Promise<BlobInfo[]> {
    return [...this.#blobs.values()].filter((b) => b.info.key.startsWith(prefix)).map((b) => ({ ...b.info }));
  }
}
