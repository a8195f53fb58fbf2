import { referenceCatalogue } from "../../../test/reference";
import { describe, expect, it } from "vitest";
import { type Catalogue, CatalogueStore, type KeyValueStorage, MemoryStorage, serialise } from "../src/catalogue";

const bundled = referenceCatalogue().data;
const version = (v: string, models = bundled.models): Catalogue => ({ ...bundled, version: v, models });

/** A storage that dies (throws) on the `n`-th set, as a tab closed mid-accept would. */
class CrashingStorage extends MemoryStorage {
  constructor(private setsLeft: number) {
    super();
  }
  override set(key: string, value: string): void {
    if (this.setsLeft-- <= 0) throw new Error("crash");
    super.set(key, value);
  }
  arm(sets: number): void {
    this.setsLeft = sets;
  }
}

describe("CatalogueStore", () => {
  it("is empty before the first accept", () => {
    const store = new CatalogueStore(new MemoryStorage());
    expect(store.current()).toBeNull();
    expect(store.history()).toEqual([]);
  });

  it("keeps the active version and N previous, newest first, and sweeps the rest", () => {
    const storage = new MemoryStorage();
    const store = new CatalogueStore(storage, 2);
    for (const v of ["1", "2", "3", "4"]) store.accept(version(v), new Date(`2026-08-0${v}T00:00:00Z`));
    expect(store.history().map((h) => [h.id, h.version, h.accepted_at])).toEqual([
      ["4", "4", "2026-08-04T00:00:00.000Z"],
      ["3", "3", "2026-08-03T00:00:00.000Z"],
      ["2", "2", "2026-08-02T00:00:00.000Z"],
    ]);
    expect(store.current()?.version).toBe("4");
    // The pointer and the three kept versions; version 1 is gone.
    expect(storage.keys("").sort()).toEqual([
      "tokenledger.catalogue.pointer",
      "tokenledger.catalogue.version.2",
      "tokenledger.catalogue.version.3",
      "tokenledger.catalogue.version.4",
    ]);
  });

  it("rolls back to a kept version, which then heads the list", () => {
    const store = new CatalogueStore(new MemoryStorage());
    store.accept(version("a", bundled.models.slice(0, 5)));
    store.accept(version("b"));
    const back = store.rollback("1");
    expect(back.models).toHaveLength(5);
    expect(store.current()?.version).toBe("a");
    expect(store.history().map((h) => h.version)).toEqual(["a", "b"]);
    // And forward again.
    store.rollback("2");
    expect(store.current()?.version).toBe("b");
    expect(() => store.rollback("9")).toThrow("no kept catalogue version 9");
  });

  it("never leaves a mixture when a crash falls between the two writes of an accept", () => {
    const storage = new CrashingStorage(Infinity);
    const store = new CatalogueStore(storage);
    store.accept(version("old"));
    const before = storage.get("tokenledger.catalogue.pointer");

    storage.arm(1); // the new version is written, the pointer write dies
    expect(() => store.accept(version("new"))).toThrow("crash");
    expect(store.current()?.version).toBe("old");
    expect(storage.get("tokenledger.catalogue.pointer")).toBe(before);

    storage.arm(0); // dies on the very first write
    expect(() => store.accept(version("newer"))).toThrow("crash");
    expect(store.current()?.version).toBe("old");

    // The next accept reuses the orphan's key and leaves no orphan behind.
    storage.arm(Infinity);
    store.accept(version("new"));
    expect(store.history().map((h) => h.version)).toEqual(["new", "old"]);
    expect(storage.keys("tokenledger.catalogue.version.")).toHaveLength(2);
  });

  it("treats a damaged version as absent rather than failing", () => {
    const storage: KeyValueStorage = new MemoryStorage();
    const store = new CatalogueStore(storage);
    const info = store.accept(version("x"));
    storage.set(`tokenledger.catalogue.version.${info.id}`, serialise(version("x")).slice(0, 500));
    expect(store.current()).toBeNull();
    storage.set("tokenledger.catalogue.pointer", "{not json");
    expect(store.history()).toEqual([]);
  });
});
