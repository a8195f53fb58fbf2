import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Matrix, decimalOf, invoke } from "../src";
import { referenceCatalogue } from "../../../test/reference";
import { LLMCOST, LLMCOST_LINES, llmcostLines } from "../src/pricing";

/**
 * What LLMCOST billed, line by line (functions.md, LLMCOST_LINES, release 2): header, one row per
 * part with tokens at the rate applied, then a total that is LLMCOST's answer. Prices are the
 * reference fixture's (shared/reference/catalogue-2026-06.md); values worked by hand.
 */

const model = (id: string) => referenceCatalogue().byId.get(id)!;
const { source, as_of } = referenceCatalogue().data;
const text = (m: Matrix) => m.map((row) => row.map((c) => (c === null || typeof c !== "object" ? c : c.toString())));

describe("LLMCOST lines", () => {
  it("bills each part at the variant's rate, reasoning at the output rate, 1-hour writes by name", () => {
    // Sonnet 4.6 batch (×0.5): input 1.50, cache read 0.15, 1-hour write 3.00, output 7.50 per 1M.
    // 2,000 uncached × 1.5e-6 = 0.003; 6,000 × 0.15e-6 = 0.0009; 2,000 × 3e-6 = 0.006;
    // 500 × 7.5e-6 = 0.00375; 1,000 reasoning × 7.5e-6 = 0.0075; total 0.02115.
    const lines = llmcostLines(model("anthropic/claude-sonnet-4-6"), 10_000, 500, 6_000, 2_000, 1_000, "batch cache1h");
    const unit = "USD per 1M tokens";
    expect(text(lines)).toEqual([
      ["line", "quantity", "rate", "unit", "usd", "source", "as_of"],
      ["input", "2000", "1.5", unit, "0.003", source, as_of],
      ["cache_read", "6000", "0.15", unit, "0.0009", source, as_of],
      ["cache_write_1h", "2000", "3", unit, "0.006", source, as_of],
      ["output", "500", "7.5", unit, "0.00375", source, as_of],
      ["reasoning", "1000", "7.5", unit, "0.0075", source, as_of],
      ["total", "", "", "", "0.02115", "", ""],
    ]);
  });

  it("is the worksheet function LLMCOST_LINES, arguments and defaults as LLMCOST's", () => {
    // Sonnet 4.6 standard: 1,500 × 3e-6 = 0.0045; 300 × 15e-6 = 0.0045; total 0.009 (the README's example).
    const lines = text(invoke(LLMCOST_LINES, ["anthropic/claude-sonnet-4-6", 1500, 300]) as Matrix);
    expect(lines.map((row) => [row[0], row[1], row[2], row[4]])).toEqual([
      ["line", "quantity", "rate", "usd"],
      ["input", "1500", "3", "0.0045"],
      ["output", "300", "15", "0.0045"],
      ["total", "", "", "0.009"],
    ]);
    expect(LLMCOST_LINES.params).toBe(LLMCOST.params);
  });

  it("leaves out parts with no tokens and applies the long-context tier's rates", () => {
    // Gemini 2.5 Pro past 200,000 prompt tokens bills the whole request at 2.50 / 10.00:
    // 300,000 × 2.5e-6 = 0.75; 1,000 × 10e-6 = 0.01; total 0.76.
    const lines = text(llmcostLines(model("google/gemini-2.5-pro"), 300_000, 1_000, 0, 0, 0, "standard"));
    expect(lines.slice(1).map((row) => row.slice(0, 3).concat(row[4]))).toEqual([
      ["input", "300000", "2.5", "0.75"],
      ["output", "1000", "10", "0.01"],
      ["total", "", "", "0.76"],
    ]);
  });

  it("totals exactly what LLMCOST answers, and the lines add up to it (property)", () => {
    const ids = ["anthropic/claude-sonnet-4-6", "openai/gpt-4o", "google/gemini-2.5-pro"];
    fc.assert(
      fc.property(
        fc.constantFrom(...ids),
        fc.integer({ min: 0, max: 2_000_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.constantFrom("standard", "batch"),
        (id, input, output, share, mode) => {
          const cached = Math.floor(input * share);
          const args = [id, input, output, cached, 0, 0, mode];
          const lines = llmcostLines(model(id), input, output, cached, 0, 0, mode);
          const total = lines.at(-1)![4] as Parameters<typeof decimalOf>[0];
          const cost = invoke(LLMCOST, args) as Parameters<typeof decimalOf>[0];
          expect(decimalOf(total).eq(decimalOf(cost))).toBe(true);
          const added = lines.slice(1, -1).reduce((s, row) => s.plus(decimalOf(row[4] as typeof total)), decimalOf(cost).times(0));
          expect(added.eq(decimalOf(cost))).toBe(true);
        },
      ),
    );
  });
});
