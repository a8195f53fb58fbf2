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

    // The next accept takes a key of its own and sweeps the orphan away.
    storage.arm(Infinity);
    store.accept(version("new"));
    expect(store.history().map((h) => h.version)).toEqual(["new", "old"]);
    expect(storage.keys("tokenledger.catalogue.version.")).toHaveLength(2);
  });

  it("reports a damaged version by its key and keeps the newest good one in force", () => {
    const storage: KeyValueStorage = new MemoryStorage();
    const store = new CatalogueStore(storage);
    store.accept(version("good"));
    const info = store.accept(version("x"));
    storage.set(`tokenledger.catalogue.version.${info.id}`, serialise(version("x")).slice(0, 500));
    expect(store.current()?.version).toBe("good");
    expect(store.load().problems).toEqual([
      "the kept catalogue x (browser storage key tokenledger.catalogue.version.2) could not be read (it is not JSON (damaged or cut short))",
    ]);
    // A version poisoned with a price of 10^-20000000 (issue 13, item 1) is refused when read, not formatted.
    storage.set("tokenledger.catalogue.version.2", serialise(version("x")).replace('"input":"2.50"', '"input":"1e-20000000"'));
    expect(store.load().problems[0]).toMatch(/could not be read \(it is invalid \(models\.\d+\.prices\.input: out of range/);
    expect(store.current()?.version).toBe("good");
  });
});

describe("CatalogueStore on poisoned storage (issue 13, item 6)", () => {
  const POINTER = "tokenledger.catalogue.pointer";
  const poisoned = (pointer: string) => {
    const storage = new MemoryStorage();
    const store = new CatalogueStore(storage);
    store.accept(version("kept"), new Date("2026-08-01T00:00:00Z"));
    storage.set(POINTER, pointer.replace("$KEPT", JSON.stringify(store.history()[0])));
    return { storage, store };
  };

  it.each([
    ["[null]", "the catalogue history (browser storage key tokenledger.catalogue.pointer) has 1 damaged entry, left out", []],
    [
      '[{"id":"1"}, $KEPT]',
      "the catalogue history (browser storage key tokenledger.catalogue.pointer) has 1 damaged entry, left out",
      ["kept"],
    ],
    ['{"id":"1"}', "the catalogue history (browser storage key tokenledger.catalogue.pointer) is not a list", []],
    ["[{not json", "the catalogue history (browser storage key tokenledger.catalogue.pointer) is not JSON (damaged or cut short)", []],
  ])("pointer %s: history never throws, the problem is named, and later accepts work", (pointer, problem, readable) => {
    const { storage, store } = poisoned(pointer);
    expect(store.history().map((v) => v.version)).toEqual(readable);
    expect(store.load().problems).toEqual([problem]);
    // Accept works, takes a fresh key, and sweeps nothing while the pointer it replaced was damaged.
    const info = store.accept(version("next"));
    expect(info.id).toBe("2");
    expect(storage.get("tokenledger.catalogue.version.1")).not.toBeNull();
    expect(store.current()?.version).toBe("next");
    expect(store.load().problems).toEqual([]);
    // Work is bounded by what is stored: one pointer read, one version read per load.
    expect(store.history().length).toBeLessThanOrEqual(1 + readable.length);
  });
});
