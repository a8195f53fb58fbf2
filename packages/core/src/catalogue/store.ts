import { deserialise, serialise } from "./pin";
import type { Catalogue } from "./schema";

/**
 * Accepted catalogues and their history, in any string store (the task pane's localStorage,
 * llmcalc's files, a Map in tests). Accepting writes the new version under a key of its own and
 * only then rewrites the one pointer key that says which versions exist and which is active, so
 * a crash at any point leaves either the old state or the new, never a mixture: a version whose
 * pointer write never happened is an orphan, swept away by the next accept.
 */

/** Get and set strings by key; each `set` replaces a key's value whole or not at all. */
export interface KeyValueStorage {
  get(key: string): string | null;
  set(key: string, value: string): void;
  remove(key: string): void;
  /** Every key starting with `prefix`. */
  keys(prefix: string): string[];
}

export class MemoryStorage implements KeyValueStorage {
  readonly data = new Map<string, string>();
  get(key: string): string | null {
    return this.data.get(key) ?? null;
  }
  set(key: string, value: string): void {
    this.data.set(key, value);
  }
  remove(key: string): void {
    this.data.delete(key);
  }
  keys(prefix: string): string[] {
    return [...this.data.keys()].filter((k) => k.startsWith(prefix));
  }
}

export interface VersionInfo {
  /** The store's own id for this version ("7"). */
  readonly id: string;
  readonly version: string;
  readonly source: string;
  readonly as_of: string;
  readonly models: number;
  /** ISO timestamp of the accept. */
  readonly accepted_at: string;
}

/** Previous versions kept besides the active one. */
export const KEEP_PREVIOUS = 5;

export class CatalogueStore {
  private readonly pointerKey: string;
  private readonly versionPrefix: string;

  constructor(
    private readonly storage: KeyValueStorage,
    private readonly keep = KEEP_PREVIOUS,
    prefix = "tokenledger.catalogue",
  ) {
    this.pointerKey = `${prefix}.pointer`;
    this.versionPrefix = `${prefix}.version.`;
  }

  /** Every kept version, the active one first, then newest to oldest. Empty before the first accept. */
  history(): VersionInfo[] {
    const text = this.storage.get(this.pointerKey);
    if (text === null) return [];
    try {
      const versions = JSON.parse(text) as unknown;
      return Array.isArray(versions) ? (versions as VersionInfo[]) : [];
    } catch {
      return [];
    }
  }

  /** The active version's catalogue; null when there is none or its data is damaged (the bundled one applies). */
  current(): Catalogue | null {
    const active = this.history()[0];
    return active ? this.read(active.id) : null;
  }

  /** Stores `catalogue` and makes it the active version; the one before it heads the history. */
  accept(catalogue: Catalogue, now: Date = new Date()): VersionInfo {
    const versions = this.history();
    const id = String(Math.max(0, ...versions.map((v) => Number(v.id) || 0)) + 1);
    this.storage.set(this.versionPrefix + id, serialise(catalogue));
    const info: VersionInfo = {
      id,
      version: catalogue.version,
      source: catalogue.source,
      as_of: catalogue.as_of,
      models: catalogue.models.length,
      accepted_at: now.toISOString(),
    };
    this.flip([info, ...versions].slice(0, this.keep + 1));
    return info;
  }

  /** Makes a kept version active again; the one it replaces heads the history. Throws for an unknown id. */
  rollback(id: string): Catalogue {
    const versions = this.history();
    const target = versions.find((v) => v.id === id);
    const catalogue = target && this.read(id);
    if (!target || !catalogue) throw new Error(`no kept catalogue version ${id}`);
    this.flip([target, ...versions.filter((v) => v !== target)]);
    return catalogue;
  }

  private read(id: string): Catalogue | null {
    const text = this.storage.get(this.versionPrefix + id);
    if (text === null) return null;
    try {
      return deserialise(text);
    } catch {
      return null;
    }
  }

  /** The atomic step: one write of the pointer; then versions it no longer names are removed. */
  private flip(versions: VersionInfo[]): void {
    this.storage.set(this.pointerKey, JSON.stringify(versions));
    const kept = new Set(versions.map((v) => this.versionPrefix + v.id));
    for (const key of this.storage.keys(this.versionPrefix)) if (!kept.has(key)) this.storage.remove(key);
  }
}
