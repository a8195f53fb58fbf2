import { referenceCatalogue } from "../../../test/reference";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type Catalogue,
  Catalogue as CatalogueSchema,
  type Model,
  Model as ModelSchema,
  compileCatalogue,
  findModel,
  propose,
} from "../src/catalogue";
import bundled from "../src/catalogue/bundled.json";
import { MAX_DECIMAL_LENGTH, scanDecimal } from "../src/catalogue/decimal-text";
import { diffCatalogues } from "../src/catalogue/diff";
import { MAX_ID_LENGTH } from "../src/catalogue/ids";
import { importGenaiPrices } from "../src/catalogue/import/genai-prices";
import { parseJson } from "../src/catalogue/import/json";
import { importLitellm } from "../src/catalogue/import/litellm";
import { importOpenrouter } from "../src/catalogue/import/openrouter";
import { importTokenledger } from "../src/catalogue/import/tokenledger";
import { parseOverlay } from "../src/catalogue/overlay";
import { isCalendarDate } from "../src/catalogue/rules";
import { Dec } from "../src/decimal";

/**
 * Feeds written to hurt (issue 13, items 1–4), generated here: each is refused entry by entry
 * with a short reason, and the work is bounded by the limits, not by the input's size. No test
 * measures time: each asserts what bounds the work (a length decided before scanning, a cap on
 * every accepted text).
 */

const context = { today: "2026-08-25" };

/** A LiteLLM map: one good chat entry plus `extra` entries. */
function litellm(extra: Record<string, unknown>): string {
  const entry = (input: unknown) => ({
    litellm_provider: "openai",
    mode: "chat",
    input_cost_per_token: input,
    output_cost_per_token: 1e-5,
  });
  const doc: Record<string, unknown> = { "gpt-good": entry(3e-6) };
  for (const [key, input] of Object.entries(extra)) doc[key] = entry(input);
  // Numbers are written as their own text, so "1e-20000000" arrives as a JSON number.
  return JSON.stringify(doc).replace(/"#(.*?)#"/g, "$1");
}

const reasonOf = (result: { rejected: readonly { entry: string; reason: string }[] }, entry: string) =>
  result.rejected.find((r) => r.entry === entry)?.reason;

/** Our own format, with the given models. */
const ours = (models: unknown[], extra: object = {}) =>
  JSON.stringify({ format: "tokenledger-catalogue/1", version: "t", source: "test", as_of: "2026-08-01", models, ...extra });

const good = { id: "a/good", provider: "a", name: "good", prices: { input: "3", output: "15" } };

describe("1. prices with huge or tiny exponents", () => {
  it("are refused per entry in LiteLLM's map and in our format, and Infinity never gets in", () => {
    const result = importLitellm(
      parseJson(litellm({ tiny: "#1e-20000000#", tinier: "#1e-499999994#", infinite: "#1e99999999999999999999#", big: "#2e6#" })),
      context,
    );
    expect(result.catalogue.models.map((m) => m.id)).toEqual(["openai/gpt-good"]);
    // 10^-20000000 and 10^-499999994 are below 10^-30; 10^99999999999999999999 above 10^16.
    expect(reasonOf(result, "tiny")).toBe('input price "1e-20000000" is out of range (below 10^-30 or above 10^16)');
    expect(reasonOf(result, "tinier")).toBe('input price "1e-499999994" is out of range (below 10^-30 or above 10^16)');
    expect(reasonOf(result, "infinite")).toBe('input price "1e99999999999999999999" is out of range (below 10^-30 or above 10^16)');
    // 2 USD per token is 2,000,000 per 1M: above the 10^6 cap.
    expect(reasonOf(result, "big")).toBe("prices.input: above 1,000,000 USD per unit");

    const own = importTokenledger(parseJson(ours([good, { ...good, id: "a/tiny", prices: { input: "1e-20000000", output: "1" } }])));
    expect(reasonOf(own, "a/tiny")).toBe("prices.input: out of range (below 10^-30 or above 10^16)");
    expect(
      CatalogueSchema.safeParse({ ...bundled, models: [{ ...good, prices: { input: "1e99999999999999999999", output: "1" } }] }).success,
    ).toBe(false);
  });

  it("every price that passes the schema is short, so formatting it is short work", () => {
    // Any text the scanner accepts has at most 30 significant digits between 10^-30 and 10^16:
    // its plain form (what the pane's money formatter writes) is at most 2 + 30 + 30 characters.
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{0,40}(\.[0-9]{0,40})?([eE][+-]?[0-9]{1,12})?$/), (text) => {
        const scan = scanDecimal(text);
        if (typeof scan === "string") return;
        expect(text.length).toBeLessThanOrEqual(MAX_DECIMAL_LENGTH);
        expect(new Dec(text).toFixed().length).toBeLessThanOrEqual(62 + 16);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("2. a 200 KB price string", () => {
  it("is refused by its length before a character is scanned, with a reason that does not repeat it", () => {
    const huge = `${"1".repeat(200_000)}x`;
    // The length check answers first: the work is one comparison, whatever the size.
    expect(scanDecimal(huge)).toBe(`longer than ${MAX_DECIMAL_LENGTH} characters`);
    const result = importLitellm(parseJson(litellm({ huge })), context);
    const reason = reasonOf(result, "huge")!;
    expect(reason).toBe(`input price "${"1".repeat(24)}…" is longer than 64 characters`);
    expect(reason.length).toBeLessThan(100);
    const own = importTokenledger(parseJson(ours([good, { ...good, id: "a/huge", prices: { input: huge, output: "1" } }])));
    expect(reasonOf(own, "a/huge")).toBe("prices.input: longer than 64 characters");
  });

  it("reads what Decimal reads: the same significant digits and power of ten, without building one", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^-?[0-9]{1,20}(\.[0-9]{0,20})?([eE][+-]?[0-9]{1,2})?$/), (text) => {
        const scan = scanDecimal(text, true);
        const d = new Dec(text);
        if (typeof scan === "string") {
          // Refused only for a bound: more than 30 digits or outside 10^-30 … 10^16.
          expect(d.isZero()).toBe(false);
          expect(d.sd() > 30 || d.e < -30 || d.e > 15).toBe(true);
          return;
        }
        expect(scan.zero).toBe(d.isZero());
        if (!scan.zero) expect([scan.significant, scan.exponent]).toEqual([d.sd(), d.e]);
      }),
      { numRuns: 2000 },
    );
  });

  it("within the length cap, the scanner reads each character once (no backtracking)", () => {
    // The worst case for the old /^-?(\d+\.?\d*|\.\d+)…$/ was a digit run ending in a non-digit.
    expect(scanDecimal(`${"9".repeat(63)}x`)).toBe("not a decimal number");
    expect(scanDecimal("9".repeat(31))).toBe("more than 30 significant digits");
    expect(scanDecimal(`0.0001${"0".repeat(29)}1`)).toBe("more than 30 significant digits");
    expect(scanDecimal("-1", true)).toEqual({ negative: true, zero: false, significant: 1, exponent: 0 });
    expect(scanDecimal("3e-06")).toEqual({ negative: false, zero: false, significant: 1, exponent: -6 });
  });
});

describe("3. ids of 10 KB", () => {
  it("are refused, so did-you-mean compares short ids and its message stays short", () => {
    const long = Array.from({ length: 4_500 }, (_, i) => ({ ...good, id: `a/${String(i).padStart(10_000, "m")}` }));
    const result = importTokenledger(parseJson(ours([good, ...long])));
    expect(result.catalogue.models.map((m) => m.id)).toEqual(["a/good"]);
    expect(result.rejected).toHaveLength(4_500);
    // Each rejection is short: the entry shown to 80 characters and an ellipsis, the reason one clause.
    expect(result.rejected[0].reason).toBe(`id: longer than ${MAX_ID_LENGTH} characters`);
    expect(Math.max(...result.rejected.map((r) => r.entry.length + r.reason.length))).toBeLessThan(140);
    // What did-you-mean compares is bounded: every id ≤ 200 characters, a query cut to 64.
    const catalogue = compileCatalogue({ ...result.catalogue, models: [...result.catalogue.models] });
    expect(Math.max(...catalogue.models.map((m) => m.id.length))).toBeLessThanOrEqual(MAX_ID_LENGTH);
    expect(() => findModel(catalogue, "a/godo")).toThrow('unknown model "a/godo": did you mean a/good?');
  });
});

describe("4. bad data accepted or changed without showing", () => {
  const model = (id: string, fields: object = {}): Model =>
    ModelSchema.parse({ id, provider: "a", name: id, prices: { input: "3", output: "15" }, ...fields });
  const catalogue = (...models: Model[]): Catalogue => ({
    format: "tokenledger-catalogue/1",
    version: "1",
    source: "t",
    as_of: "2026-08-01",
    models,
    hardware: [],
  });

  it("a future-dated price change shows in the diff with its date", () => {
    // Today 3 → 3 (unchanged), but from 2027-01-01 the new catalogue charges 30: ×10, not beyond.
    const next = model("a/x", {
      effective_from: "2027-01-01",
      prices: { input: "30", output: "15" },
      price_changes: [{ prices: { input: "3", output: "15" } }],
    });
    const diff = diffCatalogues(catalogue(model("a/x")), catalogue(next), "2026-08-25");
    expect(diff.unchanged).toBe(0);
    expect(diff.changed[0].changes).toMatchObject([{ field: "input", old: "3", new: "30", from: "2027-01-01", flagged: false }]);
    // ×100 from a later date is flagged as any ×10 jump is.
    const far = model("a/x", {
      effective_from: "2027-01-01",
      prices: { input: "300", output: "15" },
      price_changes: [{ prices: { input: "3", output: "15" } }],
    });
    expect(diffCatalogues(catalogue(model("a/x")), catalogue(far), "2026-08-25").flagged).toBe(1);
  });

  it("an overlay carried at ×1000 shows as changed and flagged; a 100 % discount or a 0 price is refused", () => {
    const overlay = {
      format: "tokenledger-overlay/1",
      name: "Evil",
      rules: [{ model: "anthropic/claude-sonnet-4-6", prices: { input: "3000" } }],
    };
    const reference = referenceCatalogue().data;
    const imported = importTokenledger(parseJson(JSON.stringify({ ...reference, version: "org", source: "org", overlay })));
    const proposal = propose(reference, imported, { today: "2026-08-25" });
    // Sonnet input 3.00 (reference fixture) → 3000: ×1000, flagged.
    expect(proposal.diff.changed).toHaveLength(1);
    expect(proposal.diff.changed[0].changes).toMatchObject([{ field: "input", old: "3.00", new: "3000", flagged: true }]);
    expect(proposal.diff.flagged).toBe(1);
    const base = { format: "tokenledger-overlay/1", name: "x" };
    expect(() => parseOverlay({ ...base, rules: [{ provider: "a", discount_percent: "100" }] })).toThrow(
      "a percentage from 0 to below 100",
    );
    expect(() => parseOverlay({ ...base, rules: [{ provider: "a", prices: { input: "0" } }] })).toThrow("a negotiated price above 0");
  });

  it("genai-prices lists out of date order, tiers out of order or repeated, and impossible dates are refused", () => {
    const list = (date: string | undefined, input: number) => ({
      ...(date ? { constraint: { start_date: date } } : {}),
      prices: { input_mtok: input, output_mtok: 10 },
    });
    const genai = importGenaiPrices(
      parseJson(
        JSON.stringify([
          {
            id: "p",
            models: [
              { id: "ok", prices: [list(undefined, 1), list("2025-01-01", 2), list("2026-01-01", 3)] },
              { id: "shuffled", prices: [list(undefined, 1), list("2026-01-01", 3), list("2025-01-01", 2)] },
            ],
          },
        ]),
      ),
      context,
    );
    expect(genai.catalogue.models.map((m) => m.id)).toEqual(["p/ok"]);
    expect(reasonOf(genai, "p/shuffled")).toBe("price_changes: price lists out of date order (2025-01-01 after 2026-01-01)");

    const tier = (t: number) => ({ threshold_tokens: t, inclusive: false, basis: "whole_request", prices: { input: "6" } });
    const own = importTokenledger(
      parseJson(
        ours([
          good,
          { ...good, id: "a/unsorted", tiers: [tier(200_000), tier(128_000)] },
          { ...good, id: "a/twice", tiers: [tier(200_000), tier(200_000)] },
          { ...good, id: "a/when", as_of: "2026-13-45" },
          { ...good, id: "a/leap", effective_from: "2026-02-29" },
        ]),
      ),
    );
    expect(own.rejected).toEqual([
      { entry: "a/unsorted", reason: "tiers: tiers out of order (128000 after 200000 tokens)" },
      { entry: "a/twice", reason: "tiers: two tiers start at 200000 tokens" },
      { entry: "a/when", reason: "as_of: a date that exists on the calendar" },
      { entry: "a/leap", reason: "effective_from: a date that exists on the calendar" },
    ]);
    expect([isCalendarDate("2024-02-29"), isCalendarDate("2026-02-29"), isCalendarDate("2026-12-31")]).toEqual([true, false, true]);

    // OpenRouter: two overrides at one threshold are one tier too many.
    const or = importOpenrouter(
      parseJson(
        JSON.stringify({
          data: [
            { id: "a/good", pricing: { prompt: "0.000003", completion: "0.000015" } },
            {
              id: "a/twice",
              pricing: {
                prompt: "0.000003",
                completion: "0.000015",
                overrides: [
                  { min_prompt_tokens: 1000, prompt: "0.000006" },
                  { min_prompt_tokens: 1000, prompt: "0.000009" },
                ],
              },
            },
          ],
        }),
      ),
      context,
    );
    expect(reasonOf(or, "a/twice")).toBe("tiers: two tiers start at 1000 tokens");
  });

  it("ids equal but for case or Unicode form are one id; hidden characters refuse an id", () => {
    const nfc = "a/caf\u00e9";
    const nfd = "a/cafe\u0301";
    const own = importTokenledger(
      parseJson(
        ours([
          { ...good, id: nfc, prices: { input: "1", output: "1" } },
          { ...good, id: nfd, prices: { input: "100", output: "100" } },
          { ...good, id: "A/Good" },
          good,
          { ...good, id: "a/nul\u0000" },
          { ...good, id: "a/esc\u001b[31m" },
          { ...good, id: "a/rlo\u202egnp.exe" },
          { ...good, id: "a/zero\u200bwidth" },
        ]),
      ),
    );
    // The first of each is kept: café at 1, A/Good; the NFD café (priced 100) and a/good are duplicates.
    expect(own.catalogue.models.map((m) => [m.id, m.prices.input])).toEqual([
      [nfc, "1"],
      ["A/Good", "3"],
    ]);
    expect(own.rejected.map((r) => r.reason)).toEqual([
      `duplicate of ${nfc} (the first entry, ${nfc}, is kept)`,
      "duplicate of a/good (the first entry, A/Good, is kept)",
      "id: contains a control, bidi or zero-width character",
      "id: contains a control, bidi or zero-width character",
      "id: contains a control, bidi or zero-width character",
      "id: contains a control, bidi or zero-width character",
    ]);
    // Entry names are shown with hidden characters as "?".
    expect(own.rejected.slice(2).map((r) => r.entry)).toEqual(["a/nul?", "a/esc?[31m", "a/rlo?gnp.exe", "a/zero?width"]);
    // A stored catalogue (pin, history) holding both is refused as a whole.
    expect(CatalogueSchema.safeParse({ ...bundled, models: [good, { ...good, id: "A/GOOD" }] }).error?.issues[0].message).toBe(
      "A/GOOD repeats a/good (ids are unique ignoring case and Unicode form)",
    );
  });
});
