import type { ProfileStore } from '../store/profile-store.js';
import type { ProfileRecord } from './profile-record.js';

/** Caches profile records for the workers; API writes invalidate it, and entries expire after `ttlMs`. */
export class ProfileCache {
  readonly #store: ProfileStore;
  readonly #ttlMs: number;
  readonly #entries = new Map<string, { record: ProfileRecord | null; loadedAtMs: number }>();

  constructor(store: ProfileStore, ttlMs = 5000) {
    this.#store = store;
    this.#ttlMs = ttlMs;
  }

  async get(uid: string): Promise<ProfileRecord | null> {
    const entry = this.#entries.get(uid);
    if (entry && Date.now() - entry.loadedAtMs < this.#ttlMs) return entry.record;

    const record = await this.#store.find(uid);
    this.#entries.set(uid, { record, loadedAtMs: Date.now() });
    return record;
  }

  invalidate(uid?: string): void {
    if (uid === undefined) this.#entries.clear();
    else this.#entries.delete(uid);
  }
}
