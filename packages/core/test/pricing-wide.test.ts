import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Dec, type Exact, FUNCTIONS, Fixed, Nearest, TlError, decimalOf, invoke, toPlain } from "../src";
import { type CompiledModel, activeCatalogue } from "../src/catalogue";
import { fromNumber } from "../src/decimal";
import { type Mode, monthlyCost, parseMode, routeCost, tokenCost } from "../src/pricing";
import { budgetCost } from "../src/reasoning";
import { parseArgs } from "../src/sheet";

/**
 * The wide paths of MONTHLYCOST, ROUTECOST and BUDGETCOST (inputs past the safe integers: a fill
 * series' 17-digit shares, rates and router costs) held to their decimal paths, directly and
 * along GRIDs, whose cells share a request's cost (MONTHLYCOST keeps it for the keys last asked).
 */

const SONNET = "anthropic/claude-sonnet-4-6";
const ids = activeCatalogue().models.map((m) => m.id);

/** An Excel fill series' value, start + i × step: 0.3 + 17 × 0.002 is 0.33399999999999996, 17 digits. */
const fillSeries = (starts: number[], steps: number[]) =>
  fc.tuple(fc.constantFrom(...starts), fc.constantFrom(...steps), fc.nat(99)).map(([start, step, i]) => start + i * step);

/** A count or share as a worksheet holds it: n ÷ 10^places. */
const typed = (max: number, places: number) => fc.tuple(fc.nat(max), fc.integer({ min: 0, max: places })).map(([n, p]) => n / 10 ** p);

/** What a call answers: the double Excel gets and the kind of result, or its error. */
function answer(f: () => unknown): { plain?: unknown; exact?: Exact; error?: string } {
  try {
    const r = f() as Exact;
    return { plain: toPlain(r), exact: r };
  } catch (e) {
    if (e instanceof TlError) return { error: `${e.kind}: ${e.message}` };
    throw e;
  }
}

/** How often each path answered, so a property cannot pass by the fast path never running. */
type Taken = { fixed: number; nearest: number; decimal: number };

/**
 * The fast path's answer against the decimal path's, computed apart: the same error, or the same
 * double (`toNumber` of the decimal) and, where the fast path answers a Fixed, the same decimal.
 */
function expectHeld(fast: () => unknown, slow: () => Dec, taken: Taken): void {
  const f = answer(fast);
  const s = answer(slow);
  expect(f.error).toBe(s.error);
  if (s.error) return;
  expect(f.plain).toBe((s.exact as Dec).toNumber());
  if (f.exact instanceof Fixed) {
    expect(decimalOf(f.exact).toString()).toBe((s.exact as Dec).toString());
    taken.fixed++;
  } else if (f.exact instanceof Nearest) taken.nearest++;
  else taken.decimal++;
}

/** Mostly standard: a mode most models lack is the decimal path's error, every time. */
const monthlyModes = fc.oneof(
  fc.constant("standard"),
  fc.constantFrom("batch", "offpeak", "cache1h", "residency", "batch residency", "priority"),
);

/** MONTHLYCOST's number arguments as a workbook and a GRID's axes hold them, and a few hostile ones. */
const monthlyNumbers = [
  fc.oneof(typed(100_000_000, 2), fillSeries([250_000, 10_000, 1], [2_000, 100, 0.1])),
  fc.oneof(typed(2_000_000, 3), fillSeries([3_000, 0.5], [30, 0.001]), fc.constantFrom(0, 200_000, 200_001, 272_001, 1e-7, 2 ** 53, 1e21)),
  fc.oneof(typed(200_000, 3), fillSeries([400, 900], [4, 0.1])),
  fc.oneof(
    typed(10_000, 4).filter((h) => h <= 1),
    fillSeries([0.3, 0.175, 0, 0.6], [0.002, 0.001, 0.01, 0.003]),
    fc.constantFrom(0, 1, 0.1 + 0.2, 1e-7),
  ),
  fc.oneof(typed(1_000, 3), fillSeries([0.02, 0.05, 0, 3.7], [0.0002, 0.0005, 0.01, 0.1]), fc.constantFrom(1e-7, 123.45678901234567)),
] as const;

/** MONTHLYCOST's decimal path from its worksheet arguments, parsed as the function parses them. */
function monthlyDecimal(args: unknown[]): Dec {
  const [model, requests, input, output, hitRate, retryRate, flags] = parseArgs(FUNCTIONS.MONTHLYCOST, args) as [
    CompiledModel,
    number,
    number,
    number,
    number,
    number,
    string,
  ];
  const mode: Mode = parseMode(flags);
  return monthlyCost(model, fromNumber(requests), fromNumber(input), fromNumber(output), fromNumber(hitRate), fromNumber(retryRate), mode);
}

describe("MONTHLYCOST's wide path", () => {
  it("answers the decimal path's double, its decimal where it answers a Fixed, and its errors (property)", () => {
    const taken: Taken = { fixed: 0, nearest: 0, decimal: 0 };
    fc.assert(
      fc.property(
        fc.oneof(fc.constantFrom(...ids), fc.constantFrom(SONNET, "anthropic/claude-opus-4-7", "mistral/mistral-large-2")),
        monthlyModes,
        fc.tuple(...monthlyNumbers),
        (id, flags, numbers) => {
          const args = [id, ...numbers, flags];
          expectHeld(
            () => invoke(FUNCTIONS.MONTHLYCOST, args),
            () => monthlyDecimal(args),
            taken,
          );
        },
      ),
      { numRuns: 3000 },
    );
    // The wide path's doubles run, not only the integer path's Fixed.
    expect(taken.nearest).toBeGreaterThan(500);
    expect(taken.fixed).toBeGreaterThan(40);
  });

  it("answers the bench GRIDs' fill-series cells without the decimal path, each the decimal path's double", () => {
    // bench/functions.ts axes: cache_hit_rate 0.6 → 0.3 + i × 0.002, retry_rate 0.02 → 0.02 + i × 0.0002
    // (example 0, Sonnet); 0.35 → 0.175 + i × 0.001 and 0.05 → 0.05 + i × 0.0005 (example 2, Flash batch);
    // requests 250,000 + j × 2,000 and 50,000 + j × 500.
    const examples = [
      { base: [SONNET, 250_000, 3_000, 400, 0.6, 0.02, null], requests: 2_000, hit: [0.3, 0.002], retry: [0.02, 0.0002] },
      {
        base: ["google/gemini-2.5-flash", 50_000, 12_000, 900, 0.35, 0.05, "batch"],
        requests: 500,
        hit: [0.175, 0.001],
        retry: [0.05, 0.0005],
      },
    ];
    for (const { base, requests, hit, retry } of examples) {
      for (const i of [0, 1, 17, 50, 99]) {
        for (const j of [0, 33, 99]) {
          const n = (base[1] as number) + j * requests;
          for (const [k, [start, step]] of [[4, hit] as const, [5, retry] as const]) {
            const args = base.map((a, m) => (m === 1 ? n : m === k ? start + i * step : a));
            const fast = invoke(FUNCTIONS.MONTHLYCOST, args);
            expect(fast).not.toBeInstanceOf(Dec);
            expect(toPlain(fast)).toBe(monthlyDecimal(args).toNumber());
          }
        }
      }
    }
    // 0.3 + 17 × 0.002 = 0.33399999999999996 has no safe-integer Fixed: the wide path answers a proven double.
    expect(invoke(FUNCTIONS.MONTHLYCOST, [SONNET, 250_000, 3_000, 400, 0.3 + 17 * 0.002, 0.02])).toBeInstanceOf(Nearest);
  });

  it("holds along GRIDs, whose cells share a request's cost kept for the keys last asked (property)", () => {
    // GRID's arguments by index (1-based in GRID): requests, input, output, cache_hit_rate, retry_rate.
    const values = (k: number) => fc.array(monthlyNumbers[k], { minLength: 1, maxLength: 3 });
    const grids = fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 1, max: 4 })).chain(([r, d]) => {
      const c = (r + d) % 5;
      return fc.tuple(fc.constant(r), values(r), fc.constant(c), values(c));
    });
    let compared = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(SONNET, "openai/gpt-4o", "google/gemini-2.5-flash", "mistral/mistral-large-2", ...ids),
        monthlyModes,
        fc.tuple(...monthlyNumbers),
        grids,
        (id, flags, numbers, [r, rows, c, cols]) => {
          const base = [id, ...numbers, flags];
          const grid = answer(() => invoke(FUNCTIONS.GRID, ["MONTHLYCOST", [base], r + 2, [rows], c + 2, [cols]]));
          if (grid.error) return; // a fixed argument broke a rule: the whole GRID's error
          for (const [i, rv] of rows.entries()) {
            for (const [j, cv] of cols.entries()) {
              const args = base.map((a, k) => (k === r + 1 ? rv : k === c + 1 ? cv : a));
              const cell = (grid.plain as unknown[][])[i + 1][j + 1];
              const slow = answer(() => monthlyDecimal(args));
              if (slow.error) expect(cell instanceof TlError ? `${cell.kind}: ${cell.message}` : cell).toBe(slow.error);
              else {
                compared++;
                expect(cell).toBe((slow.exact as Dec).toNumber());
              }
            }
          }
        },
      ),
      { numRuns: 800 },
    );
    expect(compared).toBeGreaterThan(800);
  });
});

const col = (...cells: unknown[]) => cells.map((c) => [c]);

describe("ROUTECOST's wide router cost", () => {
  /** ROUTECOST's decimal path from its worksheet arguments. */
  function routeDecimal(args: unknown[]): Dec {
    const [m, s, i, o, t, r] = parseArgs(FUNCTIONS.ROUTECOST, args) as [
      unknown[][],
      unknown[][],
      number,
      number,
      unknown[][] | undefined,
      number,
    ];
    return routeCost(m, s, fromNumber(i), fromNumber(o), t, fromNumber(r));
  }

  it("answers the decimal path's double, its decimal where it answers a Fixed, and its errors (property)", () => {
    const taken: Taken = { fixed: 0, nearest: 0, decimal: 0 };
    const mixes: [unknown[][], unknown[][], unknown[][] | null][] = [
      [col(SONNET, "openai/o3-mini"), col(0.8, 0.2), col("low", "medium")],
      [col("openai/gpt-4o", "openai/gpt-4o-mini"), col(0.3, 0.7), null],
      [col(SONNET), col(1), col(2_000.5)],
      [col(SONNET, "openai/o3"), col(0.5, 0.4), null], // shares off: the decimal path's error
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...mixes),
        fc.oneof(typed(500_000, 1), fillSeries([2_000, 0.5], [20, 0.1])),
        fc.oneof(typed(30_000, 1), fillSeries([400, 300], [4, 0.1])),
        fc.oneof(
          fc.constant(null),
          typed(1_000, 6),
          fillSeries([0.0001, 0.00025, 0.001, 0], [0.000001, 0.00001, 0.0001]),
          fc.constantFrom(1e-7, 1e-20, 12_345.678901234567, -0.01),
        ),
        ([m, s, t], input, output, router) => {
          const args = [m, s, input, output, t, router];
          expectHeld(
            () => invoke(FUNCTIONS.ROUTECOST, args),
            () => routeDecimal(args),
            taken,
          );
        },
      ),
      { numRuns: 2000 },
    );
    expect(taken.nearest).toBeGreaterThan(150);
    expect(taken.fixed).toBeGreaterThan(300);
  });

  it("answers the bench GRID's router costs (0.0001 + i × 0.000001) without the decimal path", () => {
    const base = [col(SONNET, "openai/o3-mini"), col(0.8, 0.2), 2_000, 400, col("low", "medium"), 0.0001];
    for (const i of [0, 1, 3, 50, 99]) {
      for (const input of [2_000, 2_660, 3_980]) {
        const args = base.map((a, k) => (k === 5 ? 0.0001 + i * 0.000001 : k === 2 ? input : a));
        const fast = invoke(FUNCTIONS.ROUTECOST, args);
        expect(fast).not.toBeInstanceOf(Dec);
        expect(toPlain(fast)).toBe(routeDecimal(args).toNumber());
      }
    }
    // 0.0001 + 3 × 0.000001 = 0.00010300000000000001: 17 digits, a proven double.
    expect(
      invoke(
        FUNCTIONS.ROUTECOST,
        base.map((a, k) => (k === 5 ? 0.0001 + 3 * 0.000001 : a)),
      ),
    ).toBeInstanceOf(Nearest);
  });
});

describe("BUDGETCOST's wide path", () => {
  /** BUDGETCOST's decimal path from its worksheet arguments. */
  function budgetDecimal(args: unknown[]): Dec {
    const [model, i, v, b, e] = parseArgs(FUNCTIONS.BUDGETCOST, args) as [CompiledModel, number, number, number, number];
    return budgetCost(model, fromNumber(i), fromNumber(v), fromNumber(b), fromNumber(e));
  }

  const budgetNumbers = [
    fc.oneof(typed(3_000_000, 3), fillSeries([3_000, 5_000, 0.5], [30, 50, 0.001]), fc.constantFrom(0, 200_001, 1e-7, 2 ** 53)),
    fc.oneof(typed(50_000, 3), fillSeries([500, 800], [5, 0.1])),
    fc.oneof(typed(64_000, 2), fillSeries([8_000, 16_000, 0.5], [80, 100, 0.1])),
    fc.oneof(
      fc.constant(null),
      typed(10_000, 4).filter((u) => u <= 1),
      fillSeries([0.2, 0.375, 0], [0.002, 0.005, 0.01]),
      fc.constantFrom(1e-7, 0.1 + 0.2),
    ),
  ] as const;

  it("answers the decimal path's double, its decimal where it answers a Fixed, and its errors (property)", () => {
    const taken: Taken = { fixed: 0, nearest: 0, decimal: 0 };
    fc.assert(
      fc.property(
        fc.oneof(fc.constantFrom(...ids), fc.constantFrom("anthropic/claude-opus-4", SONNET)),
        fc.tuple(...budgetNumbers),
        (id, numbers) => {
          const args = [id, ...numbers];
          expectHeld(
            () => invoke(FUNCTIONS.BUDGETCOST, args),
            () => budgetDecimal(args),
            taken,
          );
        },
      ),
      { numRuns: 2500 },
    );
    expect(taken.nearest).toBeGreaterThan(300);
    expect(taken.fixed).toBeGreaterThan(300);
  });

  it("answers the bench GRID's expected uses (0.2 + i × 0.002) without the decimal path", () => {
    for (const i of [0, 1, 17, 50, 99]) {
      for (const input of [3_000, 4_470, 5_970]) {
        const args = [SONNET, input, 500, 8_000, 0.2 + i * 0.002];
        const fast = invoke(FUNCTIONS.BUDGETCOST, args);
        expect(fast).not.toBeInstanceOf(Dec);
        expect(toPlain(fast)).toBe(budgetDecimal(args).toNumber());
      }
    }
    // 0.2 + 3 × 0.002 = 0.20600000000000002: 17 digits, 8,000 of it 1,648.0000000000002 thinking tokens.
    expect(invoke(FUNCTIONS.BUDGETCOST, [SONNET, 3_000, 500, 8_000, 0.2 + 3 * 0.002])).toBeInstanceOf(Nearest);
  });
});

describe("TOKENCOST's wide path", () => {
  /** TOKENCOST's decimal path from its worksheet arguments. */
  function tokenDecimal(args: unknown[]): Dec {
    const [i, o, pi, po, c, pc] = parseArgs(FUNCTIONS.TOKENCOST, args) as [number, number, number, number, number, number | undefined];
    return tokenCost(
      fromNumber(i),
      fromNumber(o),
      fromNumber(pi),
      fromNumber(po),
      fromNumber(c),
      pc === undefined ? undefined : fromNumber(pc),
    );
  }

  // Counts and prices as typed and as a fill series leaves them (3 + i × 0.03 has 17 digits), and hostile ones.
  const tokenNumbers = [
    fc.oneof(typed(3_000_000, 2), fillSeries([1_500, 100, 0.5], [15, 10, 0.01]), fc.constantFrom(0, 1e-7, 2 ** 53, 1e21)),
    fc.oneof(typed(200_000, 2), fillSeries([300, 0.5], [3, 0.01])),
    fc.oneof(typed(100, 4), fillSeries([3, 0.15, 2.5], [0.03, 0.0015, 0.01]), fc.constantFrom(0, 1e-7, 123.45678901234567)),
    fc.oneof(typed(100, 4), fillSeries([15, 0.6, 10], [0.15, 0.006, 0.1])),
    fc.oneof(fc.constant(null), typed(50_000, 2), fillSeries([1_000, 0.5], [10, 0.01])),
    fc.oneof(fc.constant(null), typed(10, 4), fillSeries([0.3, 0.075], [0.003, 0.00075])),
  ] as const;

  it("answers the decimal path's double, its decimal where it answers a Fixed, and its errors (property)", () => {
    const taken: Taken = { fixed: 0, nearest: 0, decimal: 0 };
    fc.assert(
      fc.property(fc.tuple(...tokenNumbers), (args) => {
        expectHeld(
          () => invoke(FUNCTIONS.TOKENCOST, args),
          () => tokenDecimal(args),
          taken,
        );
      }),
      { numRuns: 3000 },
    );
    expect(taken.nearest).toBeGreaterThan(300);
    expect(taken.fixed).toBeGreaterThan(300);
  });

  it("answers a fill series of prices (3 + i × 0.03) without the decimal path", () => {
    for (const i of [0, 1, 7, 50, 99]) {
      const args = [1_500, 300, 3 + i * 0.03, 15, 1_000, 0.3];
      const fast = invoke(FUNCTIONS.TOKENCOST, args);
      expect(fast).not.toBeInstanceOf(Dec);
      expect(toPlain(fast)).toBe(tokenDecimal(args).toNumber());
    }
    // 3 + 24 × 0.03 = 3.7199999999999998 (17 digits): 500 uncached tokens × it = 1,859.9999999999999,
    // + 1,000 × 0.3 + 300 × 15 = 6,659.9999999999999, ÷ 10^6: 66,599,999,999,999,999 units, past 2^53, a proven double.
    const fast = invoke(FUNCTIONS.TOKENCOST, [1_500, 300, 3 + 24 * 0.03, 15, 1_000, 0.3]);
    expect(fast).toBeInstanceOf(Nearest);
    expect(decimalOf(fast as Nearest).toString()).toBe("0.0066599999999999999");
  });
});
