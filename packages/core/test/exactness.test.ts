import { referenceCatalogue } from "../../../test/reference";
import { afterEach, describe, expect, it } from "vitest";
import fc from "fast-check";
import { FUNCTIONS, decimalOf, invoke } from "../src";
import { compileCatalogue, setActiveCatalogue } from "../src/catalogue";
import bundled from "../src/catalogue/bundled.json";
import { Dec, type Fixed, fixedOf, fromNumber } from "../src/decimal";

/** The exact decimal a worksheet function computed, as text. */
const exact = (name: string, ...args: unknown[]) => decimalOf(invoke(FUNCTIONS[name], args) as Dec | Fixed).toFixed();

afterEach(() => setActiveCatalogue(referenceCatalogue()));

describe("exactness at the edges", () => {
  it("reads a double as its shortest text, from the remembered numbers too (property)", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
        const text = Object.is(n, -0) ? "0" : String(n);
        // Twice: the second read is the remembered Decimal.
        expect(fromNumber(n).eq(new Dec(text))).toBe(true);
        expect(fromNumber(n).eq(new Dec(text))).toBe(true);
        expect(fromNumber(n).isNegative()).toBe(n < 0);
      }),
      { numRuns: 5000 },
    );
  });

  it("reads a double as the Fixed of its shortest text, from the remembered forms too (property)", () => {
    const typed = fc.tuple(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 9 })).map(([n, p]) => n / 10 ** p);
    fc.assert(
      fc.property(fc.oneof(typed, fc.double({ noNaN: true, noDefaultInfinity: true })), (n) => {
        const first = fixedOf(n);
        // Twice: the second read of a fraction is the remembered Fixed.
        const second = fixedOf(n);
        expect(second?.units).toBe(first?.units);
        expect(second?.scale).toBe(first?.scale);
        if (first) expect(first.toDec().eq(fromNumber(n))).toBe(true);
        else expect(String(n).includes("e") || !Number.isSafeInteger(Number(fromNumber(n).toFixed().replace(/[-.]/g, "")))).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });

  it("prices 1e15 tokens exactly, past the integer hot path's 2^53", () => {
    // gpt-4o-mini: 1e15 × 0.15 / 1e6 + 1e15 × 0.60 / 1e6 = 150,000,000 + 600,000,000.
    expect(exact("LLMCOST", "openai/gpt-4o-mini", 1e15, 1e15)).toBe("750000000");
    // 1e15 − 1 uncached tokens at 2.50 plus one cached at 1.25: 2,499,999,999.9999975 + 0.00000125.
    expect(exact("LLMCOST", "openai/gpt-4o", 1e15, 0, 1)).toBe("2499999999.99999875");
  });

  it("keeps sub-micro prices exact", () => {
    // 3 tokens at $0.0000001 per 1M: 3 × 1e-7 / 1e6 = 3e-13, not 2.9999…e-13.
    expect(exact("TOKENCOST", 3, 0, 0.0000001, 0)).toBe("0.0000000000003");
    // The contract's --exact example: 0.3 tokens at $1 per 1M.
    expect(exact("TOKENCOST", 0.3, 0, 1, 0)).toBe("0.0000003");
  });

  it("carries a feed's float artefact through exactly (OpenRouter's 0.0000006000000000000001 per token)", () => {
    const model = {
      ...bundled.models[0],
      id: "test/artefact",
      name: "Artefact",
      aliases: [],
      variants: {},
      prices: { input: "0.6000000000000001", output: "0.6000000000000001" },
    };
    setActiveCatalogue(compileCatalogue({ ...bundled, models: [model] }));
    // 1e15 × 0.6000000000000001 / 1e6 = 600,000,000.0000001: a double would say 600000000.0000001 too,
    // but 3 tokens show the difference: 1.8000000000000003e-6 exactly.
    expect(exact("LLMCOST", "test/artefact", 1e15, 0)).toBe("600000000.0000001");
    expect(exact("LLMCOST", "test/artefact", 3, 0)).toBe("0.0000018000000000000003");
  });
});
