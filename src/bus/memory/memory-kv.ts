import { GuildError } from "../../protocol/index.js";
import { subjectMatches } from "../subject-match.js";
import type { KeyValue, KvEntry, Subscription } from "../types.js";

function conflict(key: string, why: string): GuildError {
  return new GuildError("kv.conflict", `kv ${key}: ${why}`, { details: { key } });
}

/** KV in process: one revision counter for the bucket (as a NATS stream has), CAS, and wildcard watch. */
export class MemoryKeyValue implements KeyValue {
  readonly #entries = new Map<string, KvEntry>();
  readonly #watchers = new Set<{ filter: string; handler: (entry: KvEntry) => void }>();
  #revision = 0;

  async get(key: string): Promise<KvEntry | null> {
    const entry = this.#entries.get(key);
    return entry && entry.operation === "PUT" ? copy(entry) : null;
  }

  async put(key: string, value: Uint8Array): Promise<number> {
    return this.#write(key, value, "PUT");
  }

  async create(key: string, value: Uint8Array): Promise<number> {
    const current = this.#entries.get(key);
    if (current && current.operation === "PUT") throw conflict(key, "already exists");
    return this.#write(key, value, "PUT");
  }

  async update(key: string, value: Uint8Array, expectedRevision: number): Promise<number> {
    const current = this.#entries.get(key)?.revision ?? 0;
    if (current !== expectedRevision) {
      throw conflict(key, `revision is ${current}, expected ${expectedRevision}`);
    }
    return this.#write(key, value, "PUT");
  }

  async delete(key: string): Promise<void> {
    if (this.#entries.has(key)) this.#write(key, new Uint8Array(), "DEL");
  }

  async keys(filter = ">"): Promise<string[]> {
    return [...this.#entries.values()]
      .filter((e) => e.operation === "PUT" && subjectMatches(filter, e.key))
      .map((e) => e.key);
  }

  async watch(filter: string, handler: (entry: KvEntry) => void): Promise<Subscription> {
    const watcher = { filter, handler };
    const current = [...this.#entries.values()].filter((e) => subjectMatches(filter, e.key));
    current.sort((a, b) => a.revision - b.revision);
    for (const entry of current) handler(copy(entry));
    this.#watchers.add(watcher);
    return { unsubscribe: async () => void this.#watchers.delete(watcher) };
  }

  #write(key: string, value: Uint8Array, operation: KvEntry["operation"]): number {
    const entry: KvEntry = { key, value: value.slice(), revision: ++this.#revision, operation };
    this.#entries.set(key, entry);
    for (const w of this.#watchers) {
      if (subjectMatches(w.filter, key)) queueMicrotask(() => w.handler(copy(entry)));
    }
    return entry.revision;
  }
}

function copy(entry: KvEntry): KvEntry {
  return { ...entry, value: entry.value.slice() };
}
