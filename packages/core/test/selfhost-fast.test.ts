import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  Dec,
  FUNCTIONS,
  Fixed,
  Nearest,
  type SheetResult,
  TlError,
  decimalOf,
  fixedOf,
  fromNumber,
  invoke,
  parseArgs,
  toPlain,
} from "../src";
import { type CompiledHardware, activeCatalogue } from "../src/catalogue";
import { modelNamed } from "./call";
import { decodeTps, hybridCostOf, kvCacheBytes, selfhostBreakeven, selfhostCostPerM, unitsNeeded } from "../src/selfhost";

/**
 * The self-hosting functions' fast paths (integer arithmetic, no Decimal) held to their decimal
 * paths: for every argument list, the same double in the cell or the same error, and the same
 * exact decimal where the fast path answers a Fixed. Priced by the reference fixture (test/setup).
 */

const RUNS = { numRuns: 3000 };

/** What the cell shows: the double, or the error as "KIND: message". */
function shown(f: () => SheetResult): number | string {
  try {
    return toPlain(f()) as number;
  } catch (e) {
    if (e instanceof TlError) return `${e.kind}: ${e.message}`;
    throw e;
  }
}

/**
 * Holds a function to its decimal path on one argument list. `decimal` takes the parsed arguments
 * (the rules checked once, as invoke checks them) and runs the decimal formula alone.
 */
function agrees(name: string, args: unknown[], decimal: (parsed: unknown[]) => Dec): boolean {
  const fn = FUNCTIONS[name];
  let result: SheetResult | undefined;
  const fast = shown(() => (result = invoke(fn, args)));
  const slow = shown(() => decimal(parseArgs(fn, args)));
  expect(fast).toBe(slow);
  if (result instanceof Fixed) expect(result.toDec().eq(decimal(parseArgs(fn, args)))).toBe(true);
  return result instanceof Fixed || result instanceof Nearest;
}

/**
 * Runs a property over argument lists, holding the function to its decimal path, and checks the
 * fast path answered a good share of them: a property cannot pass by the fast path never running.
 */
function holds(name: string, args: fc.Arbitrary<unknown[]>, decimal: (parsed: unknown[]) => Dec): void {
  let fast = 0;
  fc.assert(
    fc.property(args, (a) => {
      if (agrees(name, a, decimal)) fast++;
    }),
    RUNS,
  );
  expect(fast).toBeGreaterThan(RUNS.numRuns / 10);
}

/** Counts and amounts with 0–3 decimals, as a workbook holds them. */
const realistic = (max: number) => fc.tuple(fc.nat(max), fc.integer({ min: 0, max: 3 })).map(([n, p]) => n / 10 ** p);
/** Big and tiny: many digits at scales the integer path cannot hold. */
const scaled = fc.tuple(fc.nat(2 ** 31), fc.integer({ min: -12, max: 12 })).map(([n, k]) => (k < 0 ? n / 10 ** -k : n * 10 ** k));
/** Where the fast path stops or a rule bites: the safe-integer edge, floats with 17 digits, exponents, negatives. */
const edges = fc.constantFrom(
  0,
  -0,
  1,
  0.5,
  0.1 + 0.2,
  1e-7,
  2.5e-9,
  0.999999999,
  1 - 2 ** -53,
  2 ** 53 - 1,
  2 ** 53,
  1e15 + 0.5,
  1e17,
  1e300,
  5e-324,
  123456789.123456,
  -1,
  -0.5,
);
/**
 * What an Excel fill series puts in a sensitivity axis: start + i × step with a round step (1, 2 or
 * 5 × 10^k), whose float noise leaves 17 significant digits (1 + 14 × 0.01 is 1.1400000000000001).
 */
const fillSeries = (max: number) =>
  fc
    .tuple(realistic(max), fc.constantFrom(1, 2, 5), fc.integer({ min: -4, max: 2 }), fc.integer({ min: 0, max: 99 }))
    .map(([start, m, k, i]) => start + i * (m * 10 ** k));
const numberArg = (max: number) =>
  fc.oneof(
    { arbitrary: realistic(max), weight: 12 },
    { arbitrary: fillSeries(max), weight: 4 },
    { arbitrary: scaled, weight: 2 },
    { arbitrary: edges, weight: 2 },
    { arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }), weight: 1 },
  );
/** An argument as a cell may hold it: mostly a number, now and then blank, text or a boolean. */
const cell = (max: number) =>
  fc.oneof({ arbitrary: numberArg(max), weight: 20 }, { arbitrary: fc.constantFrom(null, "x", true), weight: 1 });
/** A share or efficiency: mostly 0 … 1 with up to 3 decimals. */
const shareCell = fc.oneof({ arbitrary: realistic(1000).map((n) => Math.min(n / 1000, 1)), weight: 6 }, { arbitrary: cell(2), weight: 2 });

const decimalsOf = (parsed: unknown[]) => parsed.map((a) => fromNumber(a as number));

describe("fixedOf reads a double as its shortest text", () => {
  it("gives the text's units and places, by the few-places arithmetic too (property)", () => {
    const few = fc.tuple(fc.integer({ min: -(10 ** 15), max: 10 ** 15 }), fc.integer({ min: 0, max: 22 })).map(([n, p]) => n / 10 ** p);
    fc.assert(
      fc.property(fc.oneof(few, fc.double({ noNaN: true, noDefaultInfinity: true }), edges), (n) => {
        const f = fixedOf(n);
        const text = Object.is(n, -0) ? "0" : String(n);
        if (!text.includes("e")) {
          // Units and places read off the text: "0.07" is 7 × 10^−2.
          const places = text.includes(".") ? text.length - text.indexOf(".") - 1 : 0;
          const units = Number(text.replace(".", ""));
          expect(f).toEqual(Number.isSafeInteger(units) && places <= 22 ? new Fixed(units, places) : undefined);
        } else if (f) {
          // An exponent's text (1e-7) may still have a Fixed: the same decimal.
          expect(Number.isSafeInteger(f.units) && f.toDec().eq(new Dec(text))).toBe(true);
        }
      }),
      { numRuns: 20_000 },
    );
  });
});

describe("SELFHOST_COSTPERM's fast path", () => {
  it("takes the fast path on the bench's examples", () => {
    // 98.6 × 10^6 ÷ (2,400 × 3,600 × 0.6) = 98,600,000 ÷ 5,184,000; 24.5 × 10^6 ÷ (1,100 × 3,600) = 24,500,000 ÷ 3,960,000.
    const first = invoke(FUNCTIONS.SELFHOST_COSTPERM, [98.6, 2_400, 0.6]);
    const second = invoke(FUNCTIONS.SELFHOST_COSTPERM, [24.5, 1_100, null]);
    expect(first).toBeInstanceOf(Nearest);
    expect(second).toBeInstanceOf(Nearest);
    expect(toPlain(first)).toBe(19.020061728395063);
    expect(toPlain(second)).toBe(6.186868686868687);
  });

  it("answers the decimal path's double or error (property)", () => {
    holds("SELFHOST_COSTPERM", fc.tuple(cell(1_000), cell(100_000), fc.oneof(shareCell, fc.constant(null))), (p) => {
      const [h, t, u] = decimalsOf(p);
      return selfhostCostPerM(h, t, u);
    });
  });
});

describe("SELFHOST_BREAKEVEN's fast path", () => {
  const ids = activeCatalogue().models.map((m) => m.id);

  it("takes the fast path on the bench's examples", () => {
    // Sonnet 4.6 at 3 / 15 (reference fixture) blended 0.7 × 3 + 0.3 × 15 = 6.6: 600,000 × 10^6 ÷ 6.6 = 6 × 10^12 ÷ 66.
    const model = invoke(FUNCTIONS.SELFHOST_BREAKEVEN, [600_000, "anthropic/claude-sonnet-4-6", null]);
    // 600,000 × 10^6 ÷ 4.2 = 6 × 10^12 ÷ 42.
    const price = invoke(FUNCTIONS.SELFHOST_BREAKEVEN, [600_000, 4.2, 0.3]);
    expect(model).toBeInstanceOf(Nearest);
    expect(price).toBeInstanceOf(Nearest);
    expect(toPlain(model)).toBe(6e12 / 66);
    expect(toPlain(price)).toBe(6e12 / 42);
  });

  it("answers the decimal path's double or error (property)", () => {
    const price = fc.oneof(cell(10_000), fc.constantFrom(...ids, "no/such-model", "claude sonnet 4.6"));
    holds("SELFHOST_BREAKEVEN", fc.tuple(cell(10_000_000), price, fc.oneof(shareCell, fc.constant(null))), ([a, p, s]) =>
      selfhostBreakeven(fromNumber(a as number), typeof p === "string" ? modelNamed(p) : (p as number), fromNumber(s as number)),
    );
  });
});

describe("GPUS_NEEDED's fast path", () => {
  it("takes the fast path on the bench's examples", () => {
    // 12,000 × 1.3 ÷ 2,400 = 6.5 → 7; 50,000 × 1.2 ÷ 3,100 = 19.35… → 20.
    expect(invoke(FUNCTIONS.GPUS_NEEDED, [12_000, 2_400, null])).toEqual(new Fixed(7, 0));
    expect(invoke(FUNCTIONS.GPUS_NEEDED, [50_000, 3_100, 0.2])).toEqual(new Fixed(20, 0));
  });

  it("rounds up a quotient a hair above a whole number", () => {
    // (2^53 − 1) ÷ (2^53 − 2) = 1 + 1.1e−16: the ceiling is 2.
    expect(toPlain(invoke(FUNCTIONS.GPUS_NEEDED, [2 ** 53 - 1, 2 ** 53 - 2, 0]))).toBe(2);
  });

  it("answers the decimal path's whole number or error (property)", () => {
    // Near-whole quotients: a multiple of the unit, give or take a little.
    const nearWhole = fc
      .tuple(fc.integer({ min: 1, max: 10 ** 6 }), fc.integer({ min: 0, max: 10 ** 6 }), fc.constantFrom(-0.001, 0, 0.001, 1e-9))
      .map(([unit, k, nudge]) => [unit * k + nudge, unit] as const);
    const pair = fc.oneof(fc.tuple(cell(10_000_000), cell(100_000)), nearWhole);
    holds(
      "GPUS_NEEDED",
      fc.tuple(pair, fc.oneof(cell(2), fc.constant(null))).map(([[peak, unit], headroom]) => [peak, unit, headroom]),
      (p) => {
        const [a, b, c] = decimalsOf(p);
        return unitsNeeded(a, b, c);
      },
    );
  });

  it("answers a fill series' 17-digit headroom in Wides, as the decimal path does (property)", () => {
    let fast = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.constantFrom(-1, 0, 1, 0.5),
        (i, unit, k, nudge) => {
          // 0.1 + 3 × 0.001 = 0.10300000000000001; peaks whose load lands on or beside a multiple of the unit.
          const headroom = 0.1 + i * 0.001;
          const peak = Math.max(0, Math.round((k * unit) / (1 + headroom)) + nudge);
          const result = invoke(FUNCTIONS.GPUS_NEEDED, [peak, unit, headroom]);
          const slow = unitsNeeded(fromNumber(peak), fromNumber(unit), fromNumber(headroom));
          expect(decimalOf(result as Fixed).eq(slow)).toBe(true);
          if (result instanceof Fixed) fast++;
        },
      ),
      RUNS,
    );
    expect(fast).toBeGreaterThan(RUNS.numRuns * 0.9);
  });
});

describe("KVCACHE_BYTES's fast path", () => {
  it("takes the fast path on the bench's examples", () => {
    // 2 × 80 × 8 × 128 × 2 × 32,768 = 10,737,418,240; 2 × 61 × 8 × 128 × 1 × 128,000 = 15,990,784,000.
    expect(invoke(FUNCTIONS.KVCACHE_BYTES, [80, 8, 128, 32_768, null])).toEqual(new Fixed(10_737_418_240, 0));
    expect(invoke(FUNCTIONS.KVCACHE_BYTES, [61, 8, 128, 128_000, 1])).toEqual(new Fixed(15_990_784_000, 0));
  });

  it("answers a fill series' 17-digit bytes_per_element without the decimal path", () => {
    // 1 + 14 × 0.01 = 1.1400000000000001: 2 × 61 × 8 × 128 × 128,000 = 15,990,784,000 of it is
    // 18,229,493,760.0000015990784 exactly, past 2^53 in units; the nearest double is 18,229,493,760.
    const bytes = invoke(FUNCTIONS.KVCACHE_BYTES, [61, 8, 128, 128_000, 1 + 14 * 0.01]);
    expect(bytes).toBeInstanceOf(Nearest);
    expect(toPlain(bytes)).toBe(18_229_493_760);
    expect(decimalOf(bytes as Nearest).toString()).toBe("18229493760.0000015990784");
  });

  it("answers the decimal path's exact bytes or error (property)", () => {
    const dimension = fc.oneof({ arbitrary: fc.integer({ min: 1, max: 256 }), weight: 8 }, { arbitrary: cell(100), weight: 1 });
    holds("KVCACHE_BYTES", fc.tuple(dimension, dimension, dimension, cell(1_000_000), fc.oneof(cell(4), fc.constant(null))), (p) => {
      const [layers, kvHeads, headDim, tokens, bytes] = p as number[];
      return kvCacheBytes(layers, kvHeads, headDim, tokens, bytes);
    });
  });
});

describe("HYBRID_COST's fast path", () => {
  const hybridDecimal = ([cells, ...numbers]: unknown[]) => {
    const [units, tps, hourly, price, hours] = numbers as number[];
    return hybridCostOf(cells as unknown[][], units, tps, hourly, price, hours);
  };

  it("takes the fast path on the bench's examples", () => {
    // 1 unit of 2,400 tok/s at $24.5 for 4 hours = 98; overflow 700 tok/s × 3,600 × $3/1M = 7.56.
    const first = invoke(FUNCTIONS.HYBRID_COST, [[[1_200], [2_400], [3_100], [900]], 1, 2_400, 24.5, 3, null]);
    expect(first).toBeInstanceOf(Fixed);
    expect(String(first)).toBe("105.56");
    expect(invoke(FUNCTIONS.HYBRID_COST, [[[500], [800], [1_500]], 0.5, 1_100, 3.2, 0.9, 2])).toBeInstanceOf(Fixed);
  });

  it("takes the fast path on a fill series' 17-digit units", () => {
    // 1 + 14 × 0.01 is 1.1400000000000001: owned 2,400 × that = 2,736.00000000000024, so 3,100 overflows
    // by 363.99999999999976; fleet 1.1400000000000001 × 24.5 × 4 = 111.7200000000000098; API
    // 363.99999999999976 × 3,600 × 3 ÷ 10^6 = 3.931199999999997408; total 115.651200000000007208.
    const units = 1 + 14 * 0.01;
    expect(units).toBe(1.1400000000000001);
    const cost = invoke(FUNCTIONS.HYBRID_COST, [[[1_200], [2_400], [3_100], [900]], units, 2_400, 24.5, 3, null]);
    expect(cost).toBeInstanceOf(Nearest);
    expect(toPlain(cost)).toBe(115.6512);
    expect((cost as Nearest).toDec().eq("115.651200000000007208")).toBe(true);
  });

  it("answers the decimal path's exact cost or error (property)", () => {
    const sample = fc.oneof({ arbitrary: realistic(10_000), weight: 12 }, { arbitrary: cell(10_000), weight: 2 });
    const column = fc.array(sample, { minLength: 1, maxLength: 8 }).map((cells) => cells.map((c) => [c]));
    const demand = fc.oneof(
      { arbitrary: column, weight: 8 },
      // A row, a blank tail, a 2-D block, a single value.
      { arbitrary: fc.array(sample, { minLength: 1, maxLength: 6 }).map((cells) => [cells]), weight: 1 },
      { arbitrary: column.map((rows) => [...rows, [null], [""]]), weight: 1 },
      {
        arbitrary: fc.constant([
          [1, 2],
          [3, 4],
        ]),
        weight: 1,
      },
      { arbitrary: sample, weight: 1 },
    );
    // The GRID's axes: units and throughput along fill series.
    const axis = (max: number) => fc.oneof(cell(max), fillSeries(max));
    holds(
      "HYBRID_COST",
      fc.tuple(demand, axis(10), axis(10_000), axis(100), cell(20), fc.oneof(cell(24), fc.constant(null))),
      hybridDecimal,
    );
  });

  it("decides samples a hair either side of the owned throughput as the decimal path does", () => {
    // The fast path sorts samples by doubles outside a 1e-15 margin and by exact difference inside it.
    let fast = 0;
    for (const units of [1, 1 + 14 * 0.01, 0.1 + 0.2, 2.5])
      for (const tps of [2_400, 1_100.5, 0.1]) {
        const near = units * tps;
        for (const d of [near, near * (1 - 2e-16), near * (1 + 2e-16), near * (1 - 1e-15), near * (1 + 1e-15), Math.round(near)])
          if (agrees("HYBRID_COST", [[[d], [2 * near], [d]], units, tps, 24.5, 3, null], hybridDecimal)) fast++;
      }
    expect(fast).toBeGreaterThan(50);
  });
});

describe("DECODE_TPS's fast path", () => {
  const ids = activeCatalogue().hardware.map((h) => h.id);

  it("takes the fast path on the bench's examples", () => {
    // Memory-bound, both (reference fixture's bandwidth and TFLOPS):
    // H100: 32 × 0.6 × 8 × 3.35 TB/s ÷ (70e9 × 2 + 32 × 4,000 × 327,680 B) = 5.1456e14 ÷ 1.8194304e11
    //   (compute: 0.6 × 8 × 989e12 ÷ 1.4e11 ≈ 33,909, more);
    // MI300X, FP8: 8 × 0.5 × 8 × 5.3 TB/s ÷ (405e9 + 8 × 8,000 × 516,096 B) = 1.696e14 ÷ 4.38030144e11
    //   (compute: 0.5 × 8 × 2,610e12 ÷ 8.1e11 ≈ 12,889, more).
    const h100 = invoke(FUNCTIONS.DECODE_TPS, ["8xh100-sxm", 70, 2, 32, 4_000, 327_680, null]);
    const mi300x = invoke(FUNCTIONS.DECODE_TPS, ["8xmi300x", 405, 1, 8, 8_000, 516_096, 0.5]);
    expect(h100).toBeInstanceOf(Nearest);
    expect(mi300x).toBeInstanceOf(Nearest);
    expect(toPlain(h100)).toBe(51_456_000_000 / 18_194_304);
    expect(toPlain(mi300x)).toBe(169_600_000_000 / 438_030_144);
  });

  it("takes the fast path on a fill series' 17-digit bytes per parameter", () => {
    // 2 + 14 × 0.02 is 2.2800000000000002: 32 × 0.6 × 8 × 3.35e12 B/s ÷ (70e9 × 2.2800000000000002
    // + 32 × 4,000 × 327,680 B) = 5.1456e14 ÷ 201,543,040,000.000014, memory-bound as above.
    const bytes = 2 + 14 * 0.02;
    expect(bytes).toBe(2.2800000000000002);
    const tps = invoke(FUNCTIONS.DECODE_TPS, ["8xh100-sxm", 70, bytes, 32, 4_000, 327_680, null]);
    expect(tps).toBeInstanceOf(Nearest);
    expect(toPlain(tps)).toBe(new Dec("514560000000000").div("201543040000.000014").toNumber());
  });

  it("answers the decimal path's double or error (property)", () => {
    const batch = fc.oneof(
      { arbitrary: fc.integer({ min: 1, max: 512 }), weight: 6 },
      { arbitrary: cell(64), weight: 1 },
      fc.constant(null),
    );
    const optionalCell = (max: number) => fc.oneof(cell(max), fc.constant(null));
    // The GRID's axes: parameters and bytes per parameter along fill series.
    const args = fc.tuple(
      fc.constantFrom(...ids, "8XH100-SXM", "no-such-gpu"),
      fc.oneof(cell(1_000), fillSeries(1_000)),
      fc.oneof(optionalCell(4), fillSeries(4)),
      batch,
      optionalCell(200_000),
      optionalCell(1_000_000),
      fc.oneof(shareCell, fc.constant(null)),
    );
    holds("DECODE_TPS", args, ([hw, ...numbers]) => {
      const [paramsBillion, bytesPerParam, batch, contextTokens, kvBytesPerToken, efficiency] = decimalsOf(numbers);
      return decodeTps(hw as CompiledHardware, { paramsBillion, bytesPerParam, batch, contextTokens, kvBytesPerToken, efficiency });
    });
  });
});

describe("GRID over fill-series axes (the bench's GRID 100 × 100)", () => {
  /** Every cell of GRID(name, args, row_arg, rows, col_arg, cols) against the decimal path with those two arguments set. */
  function gridAgrees(
    name: string,
    args: unknown[],
    r: number,
    rows: number[],
    c: number,
    cols: number[],
    decimal: (parsed: unknown[]) => Dec,
  ) {
    const grid = toPlain(invoke(FUNCTIONS.GRID, [name, [args], r + 1, rows.map((v) => [v]), c + 1, [cols]])) as unknown[][];
    rows.forEach((rv, i) =>
      cols.forEach((cv, j) => {
        const cell = [...args];
        cell[r] = rv;
        cell[c] = cv;
        expect(grid[i + 1][j + 1]).toBe(decimal(parseArgs(FUNCTIONS[name], cell)).toNumber());
      }),
    );
  }
  // Rows and columns as a fill series makes them: 10 … 19 steps on, which include 17-digit doubles
  // (1 + 14 × 0.01 = 1.1400000000000001, 2 + 14 × 0.02 = 2.2800000000000002).
  const axis = (start: number, step: number) => Array.from({ length: 10 }, (_, i) => start + (i + 10) * step);

  it("DECODE_TPS: params × bytes a parameter, each cell the decimal path's double", () => {
    gridAgrees("DECODE_TPS", ["8xh100-sxm", 70, 2, 32, 4_000, 327_680, null], 1, axis(70, 0.5), 2, axis(2, 0.02), (p) => {
      const [paramsBillion, bytesPerParam, batch, contextTokens, kvBytesPerToken, efficiency] = decimalsOf(p.slice(1));
      return decodeTps(p[0] as CompiledHardware, { paramsBillion, bytesPerParam, batch, contextTokens, kvBytesPerToken, efficiency });
    });
  });

  it("HYBRID_COST: units × throughput, each cell the decimal path's double", () => {
    gridAgrees("HYBRID_COST", [[[1_200], [2_400], [3_100], [900]], 1, 2_400, 24.5, 3, null], 1, axis(1, 0.01), 2, axis(2_400, 20), (p) => {
      const [units, tps, hourly, price, hours] = p.slice(1) as number[];
      return hybridCostOf(p[0] as unknown[][], units, tps, hourly, price, hours);
    });
  });
});
