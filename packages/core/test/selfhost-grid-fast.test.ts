import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Dec, FUNCTIONS, Fixed, Nearest, TlError, fromNumber, invoke, parseArgs, toPlain } from "../src";
import { type CompiledHardware, activeCatalogue } from "../src/catalogue";
import { modelNamed } from "./call";
import { decodeTps, hybridCostOf, rentCost, selfhostBreakeven, selfhostCostPerM } from "../src/selfhost";

/**
 * The self-hosting fast paths along every number argument of a GRID (round 3): fill-series
 * doubles (start + i × step, 17 significant digits) on any argument, and the memories a GRID's
 * cells share, held to the decimal path computed independently for each cell. Priced by the
 * reference fixture (test/setup).
 */

/** What a call ends in: the double, or the error as "KIND: message". */
function outcome(f: () => unknown): number | string {
  try {
    return toPlain(f() as Dec) as number;
  } catch (e) {
    if (e instanceof TlError) return `${e.kind}: ${e.message}`;
    throw e;
  }
}

/** Typed: 0–3 decimals. */
const typed = (max: number) => fc.tuple(fc.nat(max), fc.integer({ min: 0, max: 3 })).map(([n, p]) => n / 10 ** p);
/**
 * An Excel fill series' value: start + i × step with a round step (1, 2 or 5 × 10^k), whose float
 * noise leaves 17 significant digits (0.04 + 8 × 0.0008 is 0.046400000000000004).
 */
const fill = (start: fc.Arbitrary<number>, minPower: number, maxPower: number) =>
  fc
    .tuple(start, fc.constantFrom(1, 2, 5), fc.integer({ min: minPower, max: maxPower }), fc.integer({ min: 0, max: 99 }))
    .map(([s, m, k, i]) => s + i * (m * 10 ** k));
/** The same axis as a GRID spills it: `length` values of one fill series from the i-th step. */
const fillAxis = (start: fc.Arbitrary<number>, minPower: number, maxPower: number, length: number) =>
  fc
    .tuple(start, fc.constantFrom(1, 2, 5), fc.integer({ min: minPower, max: maxPower }), fc.integer({ min: 0, max: 95 }))
    .map(([s, m, k, i]) => Array.from({ length }, (_, j) => s + (i + j) * (m * 10 ** k)));

/** Every cell of a GRID of `name` over two arguments against `decimal` (the decimal path) with those two set. */
function gridAgrees(
  name: string,
  args: unknown[],
  r: number,
  rows: unknown[],
  c: number,
  cols: unknown[],
  decimal: (args: unknown[]) => Dec,
) {
  const fn = FUNCTIONS[name];
  const grid = outcome(() => invoke(FUNCTIONS.GRID, [name, [args], r + 1, rows.map((v) => [v]), c + 1, [cols]]));
  if (typeof grid === "string") return; // a fixed argument broke a rule: the whole GRID's error
  const cells = grid as unknown as unknown[][];
  rows.forEach((rv, i) =>
    cols.forEach((cv, j) => {
      const cell = [...args];
      cell[r] = rv;
      cell[c] = cv;
      const expected = outcome(() => decimal(parseArgs(fn, cell)));
      const got = cells[i + 1][j + 1];
      expect(got instanceof TlError ? `${got.kind}: ${got.message}` : got).toBe(expected);
    }),
  );
}

// --- RENT_COST ---------------------------------------------------------------------------------

/** RENT_COST by its decimal path, on the arguments as its parameters convert them. */
const rentDecimal = ([hardware, years, utilisation, priceChange, discountRate]: unknown[]) =>
  rentCost(hardware as Dec | string, years as number, utilisation as number, priceChange as number, discountRate as number);

const rentHardware = fc.oneof(
  { arbitrary: fc.constantFrom("8xh100-sxm", "8xmi300x", "no-such-gpu"), weight: 4 },
  { arbitrary: fc.oneof(typed(100), fill(typed(30), -3, 0)), weight: 4 },
  { arbitrary: fc.constantFrom(-1, 0), weight: 1 },
);
const rentYearsArg = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 150 }), weight: 8 },
  { arbitrary: fill(fc.integer({ min: 1, max: 10 }), -2, 0), weight: 2 },
  { arbitrary: fc.constantFrom(500, 2_000, 5_000, 2.5, -1), weight: 1 },
);
const rentShare = fc.oneof(
  typed(1).map((n) => Math.min(n, 1)),
  fill(fc.constantFrom(0.4, 0.5, 0.35), -4, -3),
  fc.constantFrom(0, 1, 1.5),
);
/** A yearly change or discount: typed, fill series (0.04 + i × 0.0008), near-equal pairs are drawn below. */
const rentRate = fc.oneof(
  { arbitrary: fc.integer({ min: -30, max: 30 }).map((n) => n / 100), weight: 4 },
  { arbitrary: fill(fc.constantFrom(0.04, -0.1, -0.2, 0.025), -4, -3), weight: 4 },
  { arbitrary: fc.constantFrom(0, -1, -0.9999, 1e-9, 1e-20, 0.1 + 0.2, 2, -1.5), weight: 1 },
);
/** The discount rate and price change: independent, equal, or a hair apart (the closed form's subtraction cancels). */
const rentRates = fc.oneof(
  { arbitrary: fc.tuple(rentRate, rentRate), weight: 6 },
  { arbitrary: rentRate.map((r) => [r, r] as [number, number]), weight: 1 },
  {
    arbitrary: fc.tuple(rentRate, fc.constantFrom(1e-15, -1e-12, 1e-6)).map(([r, d]) => [r, r + d] as [number, number]),
    weight: 1,
  },
);

describe("RENT_COST along any argument", () => {
  it("answers the decimal path's double, or its error, for typed and fill-series arguments (property)", () => {
    let taken = 0;
    fc.assert(
      fc.property(rentHardware, rentYearsArg, fc.option(rentShare, { freq: 5 }), rentRates, (hardware, years, share, [a, r]) => {
        const args = [hardware, years, share, a, r];
        const result = (() => {
          try {
            return invoke(FUNCTIONS.RENT_COST, args);
          } catch {
            return undefined;
          }
        })();
        expect(outcome(() => invoke(FUNCTIONS.RENT_COST, args))).toBe(outcome(() => rentDecimal(parseArgs(FUNCTIONS.RENT_COST, args))));
        if (result instanceof Fixed) expect(result.toDec().eq(rentDecimal(parseArgs(FUNCTIONS.RENT_COST, args)))).toBe(true);
        if (result instanceof Fixed || result instanceof Nearest) taken++;
      }),
      { numRuns: 4000 },
    );
    // Most draws are priced, so the fast path must have answered most of them.
    expect(taken).toBeGreaterThan(1500);
  });

  it("discounts a two-year rent by hand's figure", () => {
    // $10 an hour × 8,760 h = 87,600 a year, paid at each year's end, discounted at 10%:
    // 87,600 ÷ 1.1 + 87,600 ÷ 1.21 = 87,600 × 2.1 ÷ 1.21 = 18,396,000 ÷ 121 = 152,033.0578…
    const rent = invoke(FUNCTIONS.RENT_COST, [10, 2, null, null, 0.1]);
    expect(rent).toBeInstanceOf(Nearest);
    expect(toPlain(rent)).toBe(18_396_000 / 121);
  });

  it("takes the fast path past the Wides: 100 years of a 17-digit discount rate", () => {
    // 0.04 + 8 × 0.0008 = 0.046400000000000004; (1.046400000000000004)^100 has 1,800 digits.
    const rate = 0.04 + 8 * 0.0008;
    expect(rate).toBe(0.046400000000000004);
    const args = ["8xh100-sxm", 100, 0.8, -0.2, rate];
    const fast = invoke(FUNCTIONS.RENT_COST, args);
    expect(fast).toBeInstanceOf(Nearest);
    expect(toPlain(fast)).toBe(rentDecimal(parseArgs(FUNCTIONS.RENT_COST, args)).toNumber());
  });

  it("answers every cell of a GRID as the decimal path does, its memories shared along rows and columns (property)", () => {
    // Arguments a GRID varies, by index: years, utilisation, price change, discount rate.
    const axes: Record<number, fc.Arbitrary<number[]>> = {
      1: fc.oneof(
        fc.integer({ min: 1, max: 120 }).map((s) => Array.from({ length: 4 }, (_, j) => s + j)),
        fillAxis(fc.integer({ min: 1, max: 5 }), -2, -1, 4),
      ),
      2: fillAxis(fc.constantFrom(0.4, 0.5), -4, -3, 4),
      3: fillAxis(fc.constantFrom(-0.1, -0.2, 0.02), -4, -3, 4),
      4: fillAxis(fc.constantFrom(0.04, 0.08, 0.02), -4, -3, 4),
    };
    const pairs = fc.constantFrom([1, 2], [2, 1], [4, 1], [1, 4], [3, 1], [2, 4], [4, 3]);
    const grids = pairs.chain(([r, c]) => fc.tuple(fc.constant(r), axes[r], fc.constant(c), axes[c]));
    const base = fc.tuple(
      fc.constantFrom("8xh100-sxm", 24.5, 2.0000000000000004),
      fc.integer({ min: 1, max: 60 }),
      rentShare,
      rentRate,
      rentRate,
    );
    fc.assert(
      fc.property(base, grids, (args, [r, rows, c, cols]) => gridAgrees("RENT_COST", [...args], r, rows, c, cols, rentDecimal)),
      { numRuns: 2000 },
    );
  });
});

// --- HYBRID_COST -------------------------------------------------------------------------------

const hybridDecimal = ([cells, ...numbers]: unknown[]) => {
  const [units, tps, hourly, price, hours] = numbers as number[];
  return hybridCostOf(cells as unknown[][], units, tps, hourly, price, hours);
};
const DEMAND = [[1_200], [2_400], [3_100], [900]];

describe("HYBRID_COST along any argument", () => {
  it("takes the fast path when two 17-digit factors leave the Wides", () => {
    // 1 + 14 × 0.01 = 1.1400000000000001 units at 24.5 + 82 × 0.2 = 40.900000000000006 USD an
    // hour: their product has 34 digits, which the decimal path rounds.
    const units = 1 + 14 * 0.01;
    const hourly = 24.5 + 82 * 0.2;
    expect([units, hourly]).toEqual([1.1400000000000001, 40.900000000000006]);
    const args = [DEMAND, units, 2_400, hourly, 3, null];
    const cost = invoke(FUNCTIONS.HYBRID_COST, args);
    expect(cost).toBeInstanceOf(Nearest);
    expect(toPlain(cost)).toBe(hybridDecimal(parseArgs(FUNCTIONS.HYBRID_COST, args)).toNumber());
  });

  it("answers the decimal path's double, or its error, with any argument a fill series (property)", () => {
    let taken = 0;
    const amount = (max: number, minPower: number) =>
      fc.oneof(typed(max), fill(typed(max), minPower, 0), fc.constantFrom(0, 1e-7, 2 ** 53, -1));
    const sample = fc.oneof(typed(10_000), fill(typed(5_000), -2, 2));
    const demand = fc.array(sample, { minLength: 1, maxLength: 6 }).map((cells) => cells.map((c) => [c]));
    fc.assert(
      fc.property(
        demand,
        amount(10, -3),
        amount(5_000, -1),
        amount(100, -2),
        amount(20, -3),
        fc.option(amount(24, -2), { freq: 3 }),
        (cells, ...numbers) => {
          const args = [cells, ...numbers];
          const result = (() => {
            try {
              return invoke(FUNCTIONS.HYBRID_COST, args);
            } catch {
              return undefined;
            }
          })();
          const slow = outcome(() => hybridDecimal(parseArgs(FUNCTIONS.HYBRID_COST, args)));
          expect(outcome(() => invoke(FUNCTIONS.HYBRID_COST, args))).toBe(slow);
          if (result instanceof Fixed) expect(result.toDec().eq(hybridDecimal(parseArgs(FUNCTIONS.HYBRID_COST, args)))).toBe(true);
          if (result instanceof Fixed || result instanceof Nearest) taken++;
        },
      ),
      { numRuns: 3000 },
    );
    // About a third of the draws break a rule (a negative or an integer past 2^53).
    expect(taken).toBeGreaterThan(800);
  });

  it("answers every cell of a GRID as the decimal path does, its per-row products shared (property)", () => {
    // Arguments a GRID varies, by index: units, throughput, hourly cost, API price, hours a sample.
    const axes: Record<number, fc.Arbitrary<number[]>> = {
      1: fillAxis(fc.constantFrom(0, 1, 0.5), -2, -1, 4),
      2: fillAxis(fc.constantFrom(2_400, 1_100), 0, 1, 4),
      3: fillAxis(fc.constantFrom(24.5, 3.2), -2, -1, 4),
      4: fillAxis(fc.constantFrom(3, 0.9), -3, -2, 4),
      5: fillAxis(fc.constantFrom(1, 2), -3, -2, 4),
    };
    const pairs = fc.constantFrom([3, 1], [4, 1], [2, 1], [1, 2], [5, 1], [1, 3], [4, 5]);
    const grids = pairs.chain(([r, c]) => fc.tuple(fc.constant(r), axes[r], fc.constant(c), axes[c]));
    const base = fc.constantFrom<unknown[]>([DEMAND, 1, 2_400, 24.5, 3, null], [[[500], [800], [1_500]], 0.5, 1_100, 3.2, 0.9, 2]);
    fc.assert(
      fc.property(base, grids, (args, [r, rows, c, cols]) => gridAgrees("HYBRID_COST", [...args], r, rows, c, cols, hybridDecimal)),
      { numRuns: 2000 },
    );
  });
});

// --- the one-division functions: SELFHOST_COSTPERM, SELFHOST_BREAKEVEN, DECODE_TPS ----------------

/**
 * Holds `name` to its decimal path over argument lists; at least `least` of them must take the
 * fast path (a Fixed or a Nearest), so the property cannot pass by never running it.
 */
function holds(name: string, args: fc.Arbitrary<unknown[]>, decimal: (parsed: unknown[]) => Dec, least: number) {
  let taken = 0;
  fc.assert(
    fc.property(args, (a) => {
      let result: unknown;
      const fast = outcome(() => (result = invoke(FUNCTIONS[name], a)));
      expect(fast).toBe(outcome(() => decimal(parseArgs(FUNCTIONS[name], a))));
      if (result instanceof Fixed || result instanceof Nearest) taken++;
    }),
    { numRuns: 3000 },
  );
  expect(taken).toBeGreaterThan(least);
}

/** A number as typed or along a fill series, now and then one that breaks a rule or leaves the fast path. */
const anyAmount = (max: number, minPower: number, maxPower: number) =>
  fc.oneof(
    { arbitrary: typed(max), weight: 6 },
    { arbitrary: fill(typed(max), minPower, maxPower), weight: 6 },
    { arbitrary: fc.constantFrom(0, -1, 1e-7, 1e300, 2 ** 53, 0.1 + 0.2), weight: 1 },
  );
const anyShare = fc.oneof(
  fill(fc.constantFrom(0.3, 0.5, 0.15), -4, -3),
  typed(1).map((n) => Math.min(n, 1)),
  fc.constantFrom(0, 1, 1.2, null),
);

const costPerMDecimal = (p: unknown[]) => {
  const [h, t, u] = p.map((x) => fromNumber(x as number));
  return selfhostCostPerM(h, t, u);
};

const breakevenDecimal = ([a, p, share]: unknown[]) =>
  selfhostBreakeven(fromNumber(a as number), typeof p === "string" ? modelNamed(p) : (p as number), fromNumber(share as number));

const decodeDecimal = ([hw, ...numbers]: unknown[]) => {
  const [paramsBillion, bytesPerParam, batch, contextTokens, kvBytesPerToken, efficiency] = numbers.map((x) => fromNumber(x as number));
  return decodeTps(hw as CompiledHardware, { paramsBillion, bytesPerParam, batch, contextTokens, kvBytesPerToken, efficiency });
};

describe("SELFHOST_COSTPERM, SELFHOST_BREAKEVEN and DECODE_TPS along any argument", () => {
  it("take the fast path on 17-digit fill-series values", () => {
    // Fill series' 17-digit steps: 0.3 + 10 × 0.003 = 0.32999999999999996, 24.5 + 82 × 0.2 = 40.900000000000006.
    const share = 0.3 + 10 * 0.003;
    const hourly = 24.5 + 82 * 0.2;
    expect([share, hourly]).toEqual([0.32999999999999996, 40.900000000000006]);
    const cases: [string, unknown[], (p: unknown[]) => Dec][] = [
      ["SELFHOST_COSTPERM", [hourly, 2_400, share], costPerMDecimal],
      ["SELFHOST_BREAKEVEN", [600_000 + 0.1 + 0.2, "anthropic/claude-sonnet-4-6", share], breakevenDecimal],
      ["SELFHOST_BREAKEVEN", [600_000, hourly, share], breakevenDecimal],
      ["DECODE_TPS", ["8xh100-sxm", hourly, 2, 35, 4_000, 327_680, share], decodeDecimal],
    ];
    for (const [name, args, decimal] of cases) {
      const fast = invoke(FUNCTIONS[name], args);
      expect(fast).toBeInstanceOf(Nearest);
      expect(toPlain(fast)).toBe(decimal(parseArgs(FUNCTIONS[name], args)).toNumber());
    }
  });

  it("SELFHOST_COSTPERM answers the decimal path's double or error (property)", () => {
    holds("SELFHOST_COSTPERM", fc.tuple(anyAmount(1_000, -2, 0), anyAmount(100_000, -1, 2), anyShare), costPerMDecimal, 1500);
  });

  it("SELFHOST_BREAKEVEN answers the decimal path's double or error (property)", () => {
    const ids = activeCatalogue().models.map((m) => m.id);
    const price = fc.oneof(anyAmount(100, -3, 0), fc.constantFrom(...ids, "no/such-model"));
    holds("SELFHOST_BREAKEVEN", fc.tuple(anyAmount(10_000_000, 0, 3), price, anyShare), breakevenDecimal, 1500);
  });

  it("DECODE_TPS answers the decimal path's double or error (property)", () => {
    const ids = activeCatalogue().hardware.map((h) => h.id);
    const args = fc.tuple(
      fc.constantFrom(...ids),
      anyAmount(1_000, -1, 1),
      fc.oneof(anyAmount(4, -3, -2), fc.constant(null)),
      fc.oneof(fc.integer({ min: 1, max: 512 }), fc.constant(null)),
      fc.oneof(fc.integer({ min: 0, max: 200_000 }), fill(fc.integer({ min: 0, max: 8_000 }), 1, 2), fc.constant(null)),
      fc.oneof(anyAmount(1_000_000, 0, 3), fc.constant(null)),
      fc.oneof(anyShare, fc.constant(null)),
    );
    holds("DECODE_TPS", args, decodeDecimal, 1000);
  });

  it("answer every cell of a GRID as the decimal path does, their kept blends and roofs shared (property)", () => {
    const grids: [string, unknown[], Record<number, fc.Arbitrary<number[]>>, (p: unknown[]) => Dec][] = [
      [
        "SELFHOST_COSTPERM",
        [98.6, 2_400, 0.6],
        {
          0: fillAxis(fc.constantFrom(98.6, 24.5), -2, -1, 4),
          1: fillAxis(fc.constantFrom(2_400, 1_100), 0, 1, 4),
          2: fillAxis(fc.constantFrom(0.3, 0.5), -4, -3, 4),
        },
        costPerMDecimal,
      ],
      [
        "SELFHOST_BREAKEVEN",
        [600_000, "anthropic/claude-sonnet-4-6", 0.3],
        { 0: fillAxis(fc.constantFrom(600_000, 300_000), 2, 4, 4), 2: fillAxis(fc.constantFrom(0.15, 0.3), -4, -3, 4) },
        breakevenDecimal,
      ],
      [
        "SELFHOST_BREAKEVEN",
        [600_000, 4.2, 0.3],
        { 0: fillAxis(fc.constantFrom(600_000, 300_000), 2, 4, 4), 1: fillAxis(fc.constantFrom(4.2, 2.1), -3, -1, 4) },
        breakevenDecimal,
      ],
      [
        "DECODE_TPS",
        ["8xh100-sxm", 70, 2, 32, 4_000, 327_680, null],
        {
          1: fillAxis(fc.constantFrom(70, 35), -1, 0, 4),
          2: fillAxis(fc.constantFrom(2, 1), -3, -2, 4),
          3: fc.integer({ min: 1, max: 100 }).map((b) => [b, b + 1, b + 2, b + 3]),
          6: fillAxis(fc.constantFrom(0.3, 0.5), -4, -3, 4),
        },
        decodeDecimal,
      ],
    ];
    const cases = fc.constantFrom(...grids).chain(([name, args, axes, decimal]) => {
      const keys = Object.keys(axes).map(Number);
      return fc
        .tuple(fc.constantFrom(...keys), fc.constantFrom(...keys))
        .filter(([r, c]) => r !== c)
        .chain(([r, c]) => fc.tuple(fc.constant({ name, args, decimal, r, c }), axes[r], axes[c]));
    });
    fc.assert(
      fc.property(cases, ([{ name, args, decimal, r, c }, rows, cols]) => gridAgrees(name, [...args], r, rows, c, cols, decimal)),
      { numRuns: 2000 },
    );
  });
});
