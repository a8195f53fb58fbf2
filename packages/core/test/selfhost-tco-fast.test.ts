import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Dec, FUNCTIONS, TlError, invoke, toPlain } from "../src";
import { Fixed, Nearest } from "../src/decimal";
import { rentCost } from "../src/selfhost";
import { parseArgs } from "../src/sheet";

/**
 * GPU_TCO's, GPU_HOURLY's and RENT_COST's fast paths held to their decimal paths: the same double
 * for every input, the same exact decimal where RENT_COST's answers a Fixed, the same error
 * message where either throws. GPU_TCO_LINES has no fast path: its total cell is the decimal
 * path's GPU_TCO, and GPU_HOURLY's decimal path divides that total by years × 8,760.
 */

/** What a call ends in: the result, or the error as "KIND: message". */
function outcome<T>(f: () => T): T | string {
  try {
    return f();
  } catch (e) {
    if (e instanceof TlError) return `${e.kind}: ${e.message}`;
    throw e;
  }
}

/** GPU_TCO and GPU_HOURLY by the decimal path, as decimals. */
function decimalTco(args: unknown[]): { total: Dec; hourly: Dec } | string {
  return outcome(() => {
    const lines = invoke(FUNCTIONS.GPU_TCO_LINES, args) as unknown[][];
    const total = lines[6][lines[6].length - 1] as Dec;
    const years = lines[0].length - 2;
    return { total, hourly: total.div(new Dec(8760).times(years)) };
  });
}

/** Numbers with 0–3 decimals, as typed into a sheet. */
const typed = (max: number) => fc.tuple(fc.nat(max), fc.integer({ min: 0, max: 3 })).map(([n, p]) => n / 10 ** p);
/** Doubles with 16–17 significant digits, as a formula leaves them (0.05 + 10/1000 = 0.060000000000000005). */
const noisy = (max: number) =>
  fc.oneof(
    fc.tuple(fc.nat(max), fc.integer({ min: 0, max: 999 })).map(([n, i]) => n + 0.05 + i / 1000),
    fc.tuple(fc.nat(max), fc.integer({ min: 1, max: 97 })).map(([n, d]) => (n + 1) / d),
    fc.tuple(fc.nat(max), fc.integer({ min: 1, max: 9 })).map(([n, k]) => n * (1 + k / 10)),
  );
const amount = (max: number) =>
  fc.oneof({ arbitrary: typed(max), weight: 6 }, noisy(max), fc.constantFrom(0, max, max * 1e6, 1e-7, 2 ** 53, 2 ** 60));
const rate = fc.oneof(
  fc.constant(0),
  fc.integer({ min: -30, max: 30 }).map((n) => n / 100),
  fc.integer({ min: -999, max: 999 }).map((n) => n / 10_000),
  fc.integer({ min: 0, max: 999 }).map((i) => 0.05 + i / 1000),
  fc.constantFrom(0.1 + 0.2, 1e-9, 1e-20, -1, -0.9999, 2, 0.08),
);
const optionalOf = <T>(a: fc.Arbitrary<T>) => fc.option(a, { freq: 4 });

/** Mostly `usual`, now and then a value that breaks a rule. */
const mostly = <T>(usual: fc.Arbitrary<T>, ...wrong: T[]) => fc.oneof({ arbitrary: usual, weight: 30 }, fc.constantFrom(...wrong));

const tcoArgs = fc
  .record({
    hardware: mostly<string | number>(
      fc.oneof(fc.constantFrom("8xh100-sxm", "8xb200-sxm", "8xmi300x", "8xa100-80gb"), amount(600_000)),
      "8xh100",
      -1,
    ),
    years: mostly<number>(fc.oneof({ arbitrary: fc.integer({ min: 1, max: 12 }), weight: 10 }, fc.constantFrom(30, 200)), 0, 2.5),
    kw: mostly(fc.oneof({ arbitrary: typed(30), weight: 4 }, noisy(30)), null),
    price: optionalOf(fc.oneof({ arbitrary: typed(1), weight: 4 }, noisy(1))),
    pue: optionalOf(
      mostly(
        fc.oneof(
          typed(100).map((x) => 1 + x / 100),
          noisy(1).map((x) => 1 + x),
        ),
        0.9,
      ),
    ),
    colo: optionalOf(amount(400)),
    maintenance: optionalOf(amount(100_000)),
    ops: optionalOf(amount(200_000)),
    escalation: optionalOf(rate),
    residual: optionalOf(fc.oneof(amount(70_000), amount(700_000))),
    load: optionalOf(
      mostly(
        fc.oneof(
          typed(100).map((x) => x / 100),
          noisy(1).map((x) => x / 2),
        ),
        1.5,
      ),
    ),
    discount: optionalOf(rate),
  })
  .map((s) => [
    s.hardware,
    s.years,
    s.kw,
    s.price,
    s.pue,
    s.colo,
    s.maintenance,
    s.ops,
    s.escalation,
    [
      ["residual", s.residual],
      ["load_factor", s.load],
      ["discount_rate", s.discount],
    ],
  ]);

/**
 * Asserts GPU_TCO and GPU_HOURLY answer what the decimal path answers (the same double, or the same
 * error message); answers both results and the decimal path's, or undefined for an error.
 */
function agree(args: unknown[]) {
  const slow = decimalTco(args);
  const total = outcome(() => invoke(FUNCTIONS.GPU_TCO, args));
  const hourly = outcome(() => invoke(FUNCTIONS.GPU_HOURLY, args));
  if (typeof slow === "string") {
    expect(total).toBe(slow);
    expect(hourly).toBe(slow);
    return undefined;
  }
  expect(outcome(() => toPlain(total as Dec))).toBe(outcome(() => toPlain(slow.total)));
  expect(outcome(() => toPlain(hourly as Dec))).toBe(outcome(() => toPlain(slow.hourly)));
  return { total, hourly, slow };
}

describe("GPU_TCO and GPU_HOURLY fast paths", () => {
  it("answer the decimal path's double, its errors (property)", () => {
    let taken = 0;
    fc.assert(
      fc.property(tcoArgs, (args) => {
        const agreed = agree(args);
        if (agreed?.total instanceof Nearest && agreed.hourly instanceof Nearest) taken++;
      }),
      { numRuns: 4000 },
    );
    // The property cannot pass by the fast paths never running (they take about 1,800 of 4,000:
    // negative discount rates, amounts past 2^53 and discount rates too small to decide are left
    // to the decimal path).
    expect(taken).toBeGreaterThan(1200);
  });

  it("answer GRID's 17-digit power prices through the fast path, as the decimal path does (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }), (i, j) => {
        const args = ["8xh100-sxm", 4, null, 0.05 + i / 1000, 1.3, 100 + 2 * j, 25_000, 40_000, 0.03];
        const fast = invoke(FUNCTIONS.GPU_TCO, args);
        const slow = decimalTco(args);
        if (typeof slow === "string") throw new Error(slow);
        expect(fast).not.toBeInstanceOf(Dec);
        expect(toPlain(fast)).toBe(slow.total.toNumber());
        expect(toPlain(invoke(FUNCTIONS.GPU_HOURLY, args))).toBe(slow.hourly.toNumber());
      }),
      { numRuns: 2000 },
    );
  });

  it("hold along a GRID, whose cells share all but one or two arguments and so the fast paths' memories (property)", () => {
    // Arguments a GRID would vary, by index: years, power price, colo, maintenance, ops, escalation.
    const axes: [number, fc.Arbitrary<unknown>][] = [
      [1, fc.integer({ min: 1, max: 60 })],
      [3, fc.oneof(typed(1), noisy(1))],
      [5, amount(400)],
      [6, amount(100_000)],
      [7, amount(200_000)],
      [8, rate],
    ];
    const values = (k: number) => fc.array(axes[k][1], { minLength: 1, maxLength: 3 });
    const grids = fc.tuple(fc.integer({ min: 0, max: axes.length - 1 }), fc.integer({ min: 1, max: axes.length - 1 })).chain(([r, d]) => {
      const c = (r + d) % axes.length;
      return fc.tuple(fc.constant(r), values(r), fc.constant(c), values(c));
    });
    let cells = 0;
    fc.assert(
      fc.property(
        tcoArgs.map((a) => a.slice(0, 9)),
        grids,
        fc.constantFrom("GPU_TCO", "GPU_HOURLY"),
        (base, [r, rows, c, cols], fn) => {
          const [ri, ci] = [axes[r][0], axes[c][0]];
          const grid = outcome(() => invoke(FUNCTIONS.GRID, [fn, [base], ri + 1, [rows], ci + 1, [cols]]));
          if (typeof grid === "string") return; // a fixed argument broke a rule: the whole GRID's error
          for (const [i, rv] of rows.entries()) {
            for (const [j, cv] of cols.entries()) {
              const args = base.map((a, k) => (k === ri ? rv : k === ci ? cv : a));
              const slow = decimalTco(args);
              const cell = (grid as unknown[][])[i + 1][j + 1];
              if (typeof slow === "string") expect(cell instanceof TlError ? `${cell.kind}: ${cell.message}` : cell).toBe(slow);
              else {
                cells++;
                expect(outcome(() => toPlain(cell as Dec))).toBe(outcome(() => toPlain(fn === "GPU_TCO" ? slow.total : slow.hourly)));
              }
            }
          }
        },
      ),
      { numRuns: 400 },
    );
    expect(cells).toBeGreaterThan(1000);
  });

  it("answer long horizons with escalation and discount (GRID's years × 17-digit power prices) in double-double, as the decimal path does (property)", () => {
    let taken = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 4, max: 200 }),
        fc.integer({ min: 0, max: 99 }),
        fc.oneof(
          { arbitrary: fc.constant(0.03), weight: 4 },
          rate,
          noisy(0).map((x) => x - 0.5),
        ),
        fc.oneof(fc.constant(undefined), amount(70_000)),
        fc.oneof({ arbitrary: fc.constant(0), weight: 2 }, rate),
        (years, i, escalation, residual, discount) => {
          const args = [
            "8xh100-sxm",
            years,
            null,
            0.12 + i * 0.001,
            1.3,
            150,
            25_000,
            40_000,
            escalation,
            [
              ["residual", residual],
              ["discount_rate", discount],
            ],
          ];
          const agreed = agree(args);
          if (agreed?.total instanceof Nearest && agreed.hourly instanceof Nearest) taken++;
        },
      ),
      { numRuns: 2000 },
    );
    // The property cannot pass by the fast paths never running.
    expect(taken).toBeGreaterThan(1000);
  });

  it("take the fast path on the bench's examples, and their decimals on demand are the decimal path's", () => {
    const examples: unknown[][] = [
      ["8xh100-sxm", 4, null, 0.12, 1.3, 150, 25_000, 40_000, 0.03, null],
      [
        "8xb200-sxm",
        5,
        null,
        0.08,
        1.2,
        180,
        30_000,
        50_000,
        0.02,
        [
          ["residual", 60_000],
          ["discount_rate", 0.08],
        ],
      ],
      [280_000, 3, 10.2, null, null, null, null, null, null, null],
      // GRID's row: 0.05 + 10 / 1000 = 0.060000000000000005.
      ["8xh100-sxm", 4, null, 0.05 + 10 / 1000, 1.3, 150, 25_000, 40_000, 0.03],
      // The GRID of every function's corner: 103 years of 3% escalation, 0.12 + 99 × 0.001 = 0.21900000000000003.
      ["8xh100-sxm", 103, null, 0.12 + 99 * 0.001, 1.3, 150, 25_000, 40_000, 0.03, null],
      // Discounted over 30 years.
      ["8xh100-sxm", 30, null, 0.12, 1.3, 150, 25_000, 40_000, 0.03, [["discount_rate", 0.08]]],
    ];
    for (const args of examples) {
      const slow = decimalTco(args);
      if (typeof slow === "string") throw new Error(slow);
      const total = invoke(FUNCTIONS.GPU_TCO, args);
      expect(total).toBeInstanceOf(Nearest);
      expect((total as Nearest).toDec().eq(slow.total)).toBe(true);
      const hourly = invoke(FUNCTIONS.GPU_HOURLY, args);
      expect(hourly).toBeInstanceOf(Nearest);
      expect((hourly as Nearest).toDec().eq(slow.hourly)).toBe(true);
    }
  });
});

const rentArgs = fc.tuple(
  fc.oneof(fc.constantFrom("8xh100-sxm", "8xl40s", "1xgh200", "tpu"), amount(100), fc.constant(-5)),
  fc.oneof(typed(10), noisy(10), fc.integer({ min: 0, max: 40 }), fc.constantFrom(2.5, 1e-7, 400)),
  optionalOf(
    fc.oneof(
      typed(100).map((x) => x / 100),
      noisy(1).map((x) => x / 2),
      fc.constant(1.2),
    ),
  ),
  optionalOf(fc.oneof(rate, fc.constant(-1.5))),
  optionalOf(rate),
);

describe("RENT_COST fast path", () => {
  it("answers the decimal path's double, its exact decimal as a Fixed, its errors (property)", () => {
    const taken = { fixed: 0, nearest: 0 };
    fc.assert(
      fc.property(rentArgs, (args) => {
        const fast = outcome(() => invoke(FUNCTIONS.RENT_COST, args));
        const slow = outcome(() => rentDecimal(args));
        if (typeof slow === "string") {
          expect(fast).toBe(slow);
          return;
        }
        expect(outcome(() => toPlain(fast as Dec))).toBe(outcome(() => toPlain(slow)));
        if (fast instanceof Fixed) {
          taken.fixed++;
          expect(fast.toDec().eq(slow)).toBe(true);
        }
        if (fast instanceof Nearest) taken.nearest++;
      }),
      { numRuns: 4000 },
    );
    expect(taken.fixed).toBeGreaterThan(80);
    expect(taken.nearest).toBeGreaterThan(60);
  });

  it("takes the fast path on the bench's examples", () => {
    const examples: [unknown[], typeof Fixed | typeof Nearest][] = [
      [["8xh100-sxm", 1, 0.7, null, null], Fixed],
      [[24.5, 2.5, null, null, null], Fixed],
      [["8xh100-sxm", 3, 0.8, -0.2, 0.08], Nearest],
    ];
    for (const [args, kind] of examples) {
      const fast = invoke(FUNCTIONS.RENT_COST, args);
      expect(fast).toBeInstanceOf(kind);
      expect((fast as Fixed | Nearest).toDec().eq(rentDecimal(args))).toBe(true);
    }
  });
});

/** RENT_COST by its decimal path, on the arguments as its parameters convert them. */
function rentDecimal(args: unknown[]): Dec {
  const [hardware, years, utilisation, priceChange, discountRate] = parseArgs(FUNCTIONS.RENT_COST, args);
  return rentCost(hardware as Dec | string, years as number, utilisation as number, priceChange as number, discountRate as number);
}
