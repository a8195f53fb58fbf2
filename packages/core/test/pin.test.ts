import { referenceCatalogue } from "../../../test/reference";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TlError } from "../src";
import { type Catalogue, deserialise, serialise } from "../src/catalogue";
import { importFeed } from "../src/catalogue/refresh";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const DATA = path.resolve(repoRoot, "../shared/data");
const context = { today: "2026-08-25" };

const catalogues: [string, Catalogue][] = [
  ["the bundled catalogue", referenceCatalogue().data],
  [
    "LiteLLM's map",
    importFeed("litellm", readFileSync(path.join(DATA, "litellm-model-prices-2026-07-24.json"), "utf8"), context).catalogue,
  ],
  [
    "genai-prices (undated first lists, offpeak)",
    importFeed("genai-prices", readFileSync(path.join(DATA, "genai-prices/data-v2.json"), "utf8"), context).catalogue,
  ],
];

/** The same object with every key order reversed, as another runtime might build it. */
function reversed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversed);
  if (value && typeof value === "object")
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([k, v]) => [k, reversed(v)]),
    );
  return value;
}

describe("pinning a catalogue in a workbook", () => {
  it.each(catalogues)("round-trips %s byte-identical", (_, catalogue) => {
    const s = serialise(catalogue);
    expect(serialise(deserialise(s))).toBe(s);
    expect(deserialise(s)).toEqual(deserialise(serialise(deserialise(s))));
  });

  it("writes the same bytes whatever order the object's keys were built in", () => {
    const catalogue = catalogues[0][1];
    expect(serialise(reversed(catalogue) as Catalogue)).toBe(serialise(catalogue));
  });

  it("round-trips any subset of models (property)", () => {
    const all = catalogues[2][1];
    fc.assert(
      fc.property(fc.subarray(all.models, { maxLength: 40 }), (models) => {
        const s = serialise({ ...all, models });
        return serialise(deserialise(s)) === s;
      }),
      { numRuns: 50 },
    );
  });

  it("is plain compact JSON: a LiteLLM-sized catalogue stays under 600 kB", () => {
    // 2,152 chat models measured at 410,654 characters; with every meter's models, 2,596 at 528,956
    // (about 200 characters a model; the .xlsx zip container compresses it about tenfold).
    expect(serialise(catalogues[1][1]).length).toBeLessThan(600_000);
  });

  it("refuses damaged text with #VALUE! naming the problem", () => {
    const s = serialise(catalogues[0][1]);
    expect(() => deserialise(s.slice(0, -10))).toThrow(
      new TlError("VALUE", "catalogue: the pinned catalogue is not JSON (damaged or cut short)"),
    );
    expect(() => deserialise(s.replace('"as_of":"2026-06-15"', '"as_of":"June"'))).toThrow(
      "catalogue: the pinned catalogue is invalid (as_of: a date written YYYY-MM-DD)",
    );
  });
});
