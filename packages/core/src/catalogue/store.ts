import { z } from "zod";
import { MAX_NAME_LENGTH } from "./ids";
import { deserialise, serialise } from "./pin";
import type { Catalogue } from "./schema";

/**
 * Accepted catalogues and their history, in any string store (the task pane's localStorage,
 * llmcalc's files, a Map in tests). Accepting writes the new version under a key of its own and
 * only then rewrites the one pointer key that says which versions exist and which is active, so
 * a crash at any point leaves either the old state or the new, never a mixture: a version whose
 * pointer write never happened is an orphan, swept away by the next accept.
 *
 * Storage is read defensively: another tab, an extension or a full disk may have left anything
 * under these keys. What cannot be read is reported (`problems`), by key, and left in place; the
 * newest version that can be read stays in force, and nothing is swept while the pointer is damaged.
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

const Info = z.object({
  id: z.string().regex(/^\d{1,15}$/),
  version: z.string().max(MAX_NAME_LENGTH),
  source: z.string(),
  as_of: z.string().max(10),
  models: z.number().int().nonnegative(),
  accepted_at: z
    .string()
    .regex(/^\d{4}-\d\d-\d\dT/)
    .max(40),
});

interface Pointer {
  readonly versions: VersionInfo[];
  /** What could not be read, in a clause naming the key; undefined when the pointer is sound. */
  readonly problem?: string;
}

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

  /** Every kept version that can be read from the pointer, the active one first, then newest to oldest. */
  history(): VersionInfo[] {
    return this.pointer().versions;
  }

  /** The newest kept version that can be read (the active one unless it is damaged); null when none. */
  current(): Catalogue | null {
    return this.load().catalogue;
  }

  /**
   * The newest kept version that can be read, and what could not be read on the way, each a
   * clause naming its storage key (the pointer, kept versions newer than the one in force).
   */
  load(): { readonly catalogue: Catalogue | null; readonly problems: readonly string[] } {
    const { versions, problem } = this.pointer();
    const problems = problem ? [problem] : [];
    for (const v of versions) {
      const catalogue = this.read(v.id);
      if (typeof catalogue !== "string") return { catalogue, problems };
      problems.push(`the kept catalogue ${v.version} (browser storage key ${this.versionPrefix + v.id}) could not be read (${catalogue})`);
    }
    return { catalogue: null, problems };
  }

  /** Stores `catalogue` and makes it the active version; the one before it heads the history. */
  accept(catalogue: Catalogue, now: Date = new Date()): VersionInfo {
    const { versions, problem } = this.pointer();
    // Ids stored under keys the pointer no longer names (it may be damaged) are never reused.
    const ids = [...versions.map((v) => v.id), ...this.storage.keys(this.versionPrefix).map((k) => k.slice(this.versionPrefix.length))];
    const id = String(Math.max(0, ...ids.map((i) => Number(i) || 0)) + 1);
    this.storage.set(this.versionPrefix + id, serialise(catalogue));
    const info: VersionInfo = {
      id,
      version: catalogue.version,
      source: catalogue.source,
      as_of: catalogue.as_of,
      models: catalogue.models.length,
      accepted_at: now.toISOString(),
    };
    this.flip([info, ...versions].slice(0, this.keep + 1), problem === undefined);
    return info;
  }

  /** A kept version's catalogue, changing nothing. Throws for an unknown id or one that cannot be read. */
  kept(id: string): Catalogue {
    const target = this.history().find((v) => v.id === id);
    if (!target) throw new Error(`no kept catalogue version ${id}`);
    const catalogue = this.read(id);
    if (typeof catalogue === "string") throw new Error(`the kept catalogue ${target.version} could not be read (${catalogue})`);
    return catalogue;
  }

  /** Makes a kept version active again; the one it replaces heads the history. Throws as `kept` does. */
  rollback(id: string): Catalogue {
    const catalogue = this.kept(id);
    const { versions, problem } = this.pointer();
    const target = versions.find((v) => v.id === id)!;
    this.flip([target, ...versions.filter((v) => v !== target)], problem === undefined);
    return catalogue;
  }

  private pointer(): Pointer {
    const text = this.storage.get(this.pointerKey);
    if (text === null) return { versions: [] };
    const where = `the catalogue history (browser storage key ${this.pointerKey})`;
    let list: unknown;
    try {
      list = JSON.parse(text);
    } catch {
      return { versions: [], problem: `${where} is not JSON (damaged or cut short)` };
    }
    if (!Array.isArray(list)) return { versions: [], problem: `${where} is not a list` };
    const versions = list.flatMap((v) => {
      const parsed = Info.safeParse(v);
      return parsed.success ? [parsed.data] : [];
    });
    const damaged = list.length - versions.length;
    return damaged
      ? { versions, problem: `${where} has ${damaged} damaged ${damaged === 1 ? "entry" : "entries"}, left out` }
      : { versions };
  }

  /** The catalogue kept under `id`, or why it cannot be read. */
  private read(id: string): Catalogue | string {
    const text = this.storage.get(this.versionPrefix + id);
    if (text === null) return "it is missing";
    try {
      return deserialise(text);
    } catch (e) {
      return (e as Error).message.replace(/^catalogue: the pinned catalogue /, "it ");
    }
  }

  /** The atomic step: one write of the pointer; then, when the old pointer read whole, versions it no longer names are removed. */
  private flip(versions: VersionInfo[], sweep: boolean): void {
    this.storage.set(this.pointerKey, JSON.stringify(versions));
    if (!sweep) return;
    const kept = new Set(versions.map((v) => this.versionPrefix + v.id));
    for (const key of this.storage.keys(this.versionPrefix)) if (!kept.has(key)) this.storage.remove(key);
  }
}
