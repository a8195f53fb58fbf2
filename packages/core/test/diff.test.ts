import { describe, expect, it } from "vitest";
import { type Catalogue, type Model, Model as ModelSchema, diffCatalogues } from "../src/catalogue";

const model = (id: string, fields: object = {}): Model =>
  ModelSchema.parse({ id, provider: id.split("/")[0], name: id, prices: { input: "3", output: "15" }, ...fields });

const catalogue = (...models: Model[]): Catalogue => ({
  format: "tokenledger-catalogue/1",
  version: "1",
  source: "test",
  as_of: "2026-08-01",
  models,
  hardware: [],
});

describe("diffCatalogues", () => {
  it("lists added, removed and unchanged models", () => {
    const diff = diffCatalogues(catalogue(model("a/one"), model("a/two")), catalogue(model("a/two"), model("a/three")));
    expect(diff.added.map((m) => m.id)).toEqual(["a/three"]);
    expect(diff.removed.map((m) => m.id)).toEqual(["a/one"]);
    expect(diff.changed).toEqual([]);
    expect(diff.unchanged).toBe(1);
  });

  it("compares decimals, not texts", () => {
    const diff = diffCatalogues(catalogue(model("a/x", { prices: { input: "3.00", output: "1.5e1" } })), catalogue(model("a/x")));
    expect(diff.changed).toEqual([]);
    expect(diff.unchanged).toBe(1);
  });

  it("gives old → new with the exact percentage", () => {
    // 3 → 3.3 is +10 %; 15 → 10 is −33.33…% (exact to 34 digits: 1 − 10/15 = 1/3).
    const diff = diffCatalogues(catalogue(model("a/x")), catalogue(model("a/x", { prices: { input: "3.3", output: "10" } })));
    const [input, output] = diff.changed[0].changes;
    expect(input).toMatchObject({ field: "input", old: "3", new: "3.3", flagged: false });
    expect(input.percent?.toString()).toBe("10");
    expect(output.percent?.toString()).toBe("-33.33333333333333333333333333333333");
    expect(output.percent?.toDecimalPlaces(2).toString()).toBe("-33.33");
  });

  it("flags a change beyond ×10 either way, not at exactly ×10", () => {
    const diff = diffCatalogues(
      catalogue(model("a/up"), model("a/ten"), model("a/down")),
      catalogue(
        model("a/up", { prices: { input: "30.01", output: "15" } }),
        model("a/ten", { prices: { input: "30", output: "1.5" } }),
        model("a/down", { prices: { input: "0.29", output: "15" } }),
      ),
    );
    expect(diff.changed.map((c) => [c.id, c.changes.map((v) => v.flagged)])).toEqual([
      ["a/up", [true]],
      ["a/ten", [false, false]],
      ["a/down", [true]],
    ]);
    expect(diff.flagged).toBe(2);
  });

  it("covers tiers, variants and components that appear or disappear", () => {
    const old = model("a/x", {
      prices: { input: "3", output: "15", cache_read: "0.3" },
      tiers: [{ threshold_tokens: 200_000, inclusive: false, basis: "whole_request", prices: { input: "6" } }],
      variants: { batch: { multiplier: "0.5", stacks_with_cache_reads: true } },
    });
    const next = model("a/x", {
      prices: { input: "3", output: "15", cache_write: "3.75" },
      tiers: [{ threshold_tokens: 200_000, inclusive: false, basis: "whole_request", prices: { input: "7.5" } }],
      variants: { batch: { prices: { input: "1.5" }, applies_to: [], stacks_with_cache_reads: false } },
    });
    expect(diffCatalogues(catalogue(old), catalogue(next)).changed[0].changes.map((c) => `${c.field}: ${c.old} → ${c.new}`)).toEqual([
      "cache_read: 0.3 → null",
      "input above 200000: 6 → 7.5",
      "batch multiplier: 0.5 → null",
      "cache_write: null → 3.75",
      "batch input: null → 1.5",
    ]);
  });
});
