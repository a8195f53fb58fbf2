import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  Dec,
  type Exact,
  FUNCTIONS,
  Fixed,
  type Matrix,
  Nearest,
  ONE,
  type SheetFunction,
  type SheetResult,
  TlError,
  decimalOf,
  fromNumber,
  invoke,
  isExact,
  noResult,
  numbers,
  series,
  toPlain,
  valueError,
} from "../src";
import { budgetStatus, retryFactor } from "../src/finops";
import { call } from "./call";

/** A spilled result, each cell as text ("" for a blank cell). */
function spilled(name: string, ...args: unknown[]): string[][] {
  return (invoke(FUNCTIONS[name], args) as Matrix).map((row) => row.map((c) => (c === null ? "" : String(c))));
}

const column = (...values: unknown[]) => values.map((v) => [v]);
const dec = (n: number) => new Dec(String(n));

describe("RETRY_FACTOR", () => {
  it("answers the expected number of attempts, 1 + p + … + p^n", () => {
    // 1 + 0.01 + 0.0001 + 0.000001. Seed 002 ("Retries and fallbacks") says three retries at a 1%
    // failure rate add 3%: wrong, a retry only happens when the attempt before it failed.
    expect(call("RETRY_FACTOR", 0.01, 3)).toBe("1.010101");
    // Seed 002 is right for one retry: 1 + 0.01 adds 1%.
    expect(call("RETRY_FACTOR", 0.01, 1)).toBe("1.01");
    // 1 + 0.2 + 0.04.
    expect(call("RETRY_FACTOR", 0.2, 2)).toBe("1.24");
    // Every attempt fails: all n + 1 are made. Seed 002: "a request that fails and retries costs 2×".
    expect(call("RETRY_FACTOR", 1, 1)).toBe("2");
    expect(call("RETRY_FACTOR", 1, 2)).toBe("3");
    expect(call("RETRY_FACTOR", 0, 10)).toBe("1");
    expect(call("RETRY_FACTOR", 0.3, 0)).toBe("1");
  });

  it("is exact where the sum fits 34 digits, even when p is next to 1", () => {
    // p = 1 − 1e-16: 1 + p + p² = 3 − 3e-16 + 1e-32 (a closed form at 34 digits gives 2.9999999999999997).
    expect(call("RETRY_FACTOR", 0.9999999999999999, 2)).toBe("2.99999999999999970000000000000001");
    // 1 + 0.98765 + … + 0.98765^6, summed term by term (31 digits; 34-digit closed form ends …625004).
    const p = new Dec("0.98765");
    let exact = new Dec(0);
    for (let k = 0; k <= 6; k++) exact = exact.plus(p.pow(k));
    expect(exact.sd()).toBe(31);
    expect(call("RETRY_FACTOR", 0.98765, 6)).toBe(exact.toString());
  });

  it("answers the double of a sum too long to add exactly", () => {
    // 1 + 0.5 + … + 0.5^30 = 2 − 2^−30 = 1.999999999068677425384521484375 (31 digits, so exact at 34),
    // a double itself; 30 places per power is past the exact sum's 22, so double-double decides it.
    const r = invoke(FUNCTIONS.RETRY_FACTOR, [0.5, 30]);
    expect(r).toBeInstanceOf(Nearest);
    expect(toPlain(r)).toBe(2 - 2 ** -30);
    expect(String(r)).toBe("1.999999999068677425384521484375");
  });

  it("answers a hostile retry count at once, from the limit 1 ÷ (1 − p)", () => {
    // 0.5^(1e300 + 1) underflows to 0: 1 ÷ 0.5.
    expect(call("RETRY_FACTOR", 0.5, 1e300)).toBe("2");
    // 1 ÷ 1e-16.
    expect(call("RETRY_FACTOR", 0.9999999999999999, 1e300)).toBe("10000000000000000");
    // p = 1: n + 1 attempts, 1e300 + 1 carried to 34 digits.
    expect((invoke(FUNCTIONS.RETRY_FACTOR, [1, 1e300]) as Dec).eq("1e300")).toBe(true);
  });

  it("rejects bad input naming the argument", () => {
    expect(call("RETRY_FACTOR", 1.5, 3)).toBe("VALUE: failure_rate: must be ≤ 1");
    expect(call("RETRY_FACTOR", -0.1, 3)).toBe("VALUE: failure_rate: must be ≥ 0");
    expect(call("RETRY_FACTOR", 0.01, 2.5)).toBe("VALUE: max_retries: must be a whole number");
    expect(call("RETRY_FACTOR", 0.01, -1)).toBe("VALUE: max_retries: must be ≥ 0");
    expect(call("RETRY_FACTOR", 0.01)).toBe("VALUE: max_retries: is required");
  });

  const rate = fc.double({ min: 0, max: 1, noNaN: true });
  const retries = fc.oneof(fc.nat(60), fc.nat(1_000_000), fc.constant(1e300));
  const factor = (p: number, n: number) => decimalOf(invoke(FUNCTIONS.RETRY_FACTOR, [p, n]) as Exact);

  it("rises with the failure rate (property)", () => {
    fc.assert(
      fc.property(rate, rate, retries, (a, b, n) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(factor(lo, n).lte(factor(hi, n))).toBe(true);
      }),
    );
  });

  it("rises with the retry count (property)", () => {
    fc.assert(
      fc.property(rate, fc.nat(1_000_000), fc.nat(100), (p, n, more) => {
        expect(factor(p, n).lte(factor(p, n + more))).toBe(true);
      }),
    );
  });

  it("stays below 1 ÷ (1 − p) for p < 1 (property)", () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 0.9999999999999999, noNaN: true }), retries, (p, n) => {
        const limit = new Dec(1).div(new Dec(1).minus(dec(p)));
        const f = factor(p, n);
        expect(f.gte(1)).toBe(true);
        // The gap to the limit is p^(n+1) ÷ (1 − p); once that is below the 34th digit the two
        // round to the same decimal, so strictly below only while the gap shows.
        const gap = dec(p)
          .pow(n + 1)
          .div(new Dec(1).minus(dec(p)));
        expect(gap.gt(limit.times("1e-30")) ? f.lt(limit) : f.lte(limit)).toBe(true);
      }),
    );
  });
});

describe("FREE_TIER_COST", () => {
  it("charges each paying user the free users behind it", () => {
    // Seed 002 ("Free-tier economics"): 5% conversion, 19 free users a paying user at $0.35 = $6.65.
    expect(call("FREE_TIER_COST", 0.05, 0.35)).toBe("6.65");
    // Everyone pays: no free users.
    expect(call("FREE_TIER_COST", 1, 0.35)).toBe("0");
    // 0.97 × 0.5 ÷ 0.03 = 16.1666…, carried to 34 digits.
    expect(call("FREE_TIER_COST", 0.03, 0.5)).toBe("16.16666666666666666666666666666667");
  });

  it("rejects bad input naming the argument", () => {
    expect(call("FREE_TIER_COST", 0, 0.35)).toBe("VALUE: conversion_rate: must be > 0");
    expect(call("FREE_TIER_COST", 1.2, 0.35)).toBe("VALUE: conversion_rate: must be ≤ 1");
    expect(call("FREE_TIER_COST", 0.05, -1)).toBe("VALUE: cost_per_free_user: must be ≥ 0");
  });
});

describe("FINETUNE_BREAKEVEN", () => {
  it("divides the training cost by the saving per call", () => {
    // Seed 002 (FAQ "fine-tuning vs prompting"): $5k training saving $0.005/call breaks even at 1M calls.
    expect(call("FINETUNE_BREAKEVEN", 5000, 0.0075, 0.0025)).toBe("1000000");
    expect(call("FINETUNE_BREAKEVEN", 5000, 0.005, 0)).toBe("1000000");
    // Not rounded: 100 ÷ 0.03 = 3,333.33… calls.
    expect(call("FINETUNE_BREAKEVEN", 100, 0.05, 0.02)).toBe("3333.333333333333333333333333333333");
    expect(call("FINETUNE_BREAKEVEN", 0, 0.05, 0.02)).toBe("0");
  });

  it("has no break-even when the fine-tune saves nothing", () => {
    const never = "NUM: cost_per_call_after: must be below cost_per_call_before, or the fine-tune never pays for itself";
    expect(call("FINETUNE_BREAKEVEN", 5000, 0.005, 0.005)).toBe(never);
    expect(call("FINETUNE_BREAKEVEN", 5000, 0.005, 0.006)).toBe(never);
    expect(call("FINETUNE_BREAKEVEN", -1, 0.005, 0)).toBe("VALUE: training_cost: must be ≥ 0");
  });
});

describe("ALLOCATE", () => {
  it("blends token share and peak share, 70/30 by default", () => {
    // Seed 002 ("Multi-tenant cost-allocation patterns"): 70% token share + 30% peak share.
    // A: 1000 × (0.7 × 0.6 + 0.3 × 0.2) = 480; B: 1000 × (0.7 × 0.3 + 0.3 × 0.6) = 390;
    // C: 1000 × (0.7 × 0.1 + 0.3 × 0.2) = 130. B drives the peak and pays for it.
    expect(spilled("ALLOCATE", 1000, column(600, 300, 100), column(20, 60, 20))).toEqual([["480"], ["390"], ["130"]]);
    // Token share only: 600, 300, 100.
    expect(spilled("ALLOCATE", 1000, column(600, 300, 100), column(20, 60, 20), 1)).toEqual([["600"], ["300"], ["100"]]);
  });

  it("makes the parts add up to the total exactly", () => {
    // Thirds of 100 carried to the total's 34th digit (31 decimals); the one unit left over goes
    // to the largest part, the first of equals.
    const third = `33.${"3".repeat(31)}`;
    expect(spilled("ALLOCATE", 100, column(1, 1, 1), column(1, 1, 1))).toEqual([[`${third.slice(0, -1)}4`], [third], [third]]);
  });

  it("answers blank beside trailing blank rows and refuses a blank inside the data", () => {
    expect(spilled("ALLOCATE", 1000, column(600, 300, 100, null, ""), column(20, 60, 20, null, null))).toEqual([
      ["480"],
      ["390"],
      ["130"],
      [""],
      [""],
    ]);
    expect(call("ALLOCATE", 1000, column(600, null, 100), column(20, 60, 20))).toBe(
      "VALUE: token_use: cell 2 is blank (enter 0 if that is the value)",
    );
    expect(call("ALLOCATE", 1000, column(600, 300, 100), column(20, 60, null))).toBe(
      "VALUE: peak_use: cell 3 is blank, but token_use has a number there",
    );
  });

  it("keeps the shape of a row", () => {
    expect(spilled("ALLOCATE", 1000, [[600, 300, 100]], [[20, 60, 20]])).toEqual([["480", "390", "130"]]);
  });

  it("rejects bad input naming the argument", () => {
    expect(call("ALLOCATE", 1000, column(600, 300, 100), column(20, 60))).toBe(
      "VALUE: peak_use: must be as long as token_use (3 cells, 2 in peak_use)",
    );
    expect(call("ALLOCATE", -1, column(1), column(1))).toBe("VALUE: total_cost: must be ≥ 0");
    expect(call("ALLOCATE", 1000, column(600, -300), column(1, 1))).toBe("VALUE: token_use, cell 2: must be ≥ 0");
    expect(call("ALLOCATE", 1000, column(600, "abc"), column(1, 1))).toBe('VALUE: token_use, cell 2: must be a number, got text "abc"');
    expect(call("ALLOCATE", 1000, column(0, 0), column(1, 1))).toBe("VALUE: token_use: must not sum to 0");
    expect(call("ALLOCATE", 1000, column(1, 1), column(0, 0))).toBe("VALUE: peak_use: must not sum to 0");
    expect(
      call(
        "ALLOCATE",
        1000,
        [
          [1, 2],
          [3, 4],
        ],
        [
          [1, 2],
          [3, 4],
        ],
      ),
    ).toBe("VALUE: token_use: must be a single column or row");
    expect(call("ALLOCATE", 1000, column(1), column(1), 1.5)).toBe("VALUE: token_weight: must be ≤ 1");
  });

  it("shares out exactly the total, no part negative, each within 1e-30 of its formula (property)", () => {
    const BigDec = Dec.clone({ precision: 1000 });
    const use = fc.oneof(fc.nat(1_000_000), fc.double({ min: 0, max: 1e9, noNaN: true }));
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e12, noNaN: true }),
        fc.array(fc.tuple(use, use), { minLength: 1, maxLength: 30 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (total, rows, w) => {
          fc.pre(rows.some(([t]) => t > 0) && rows.some(([, p]) => p > 0));
          const parts = (invoke(FUNCTIONS.ALLOCATE, [total, rows.map(([t]) => [t]), rows.map(([, p]) => [p]), w]) as Matrix).map(
            ([c]) => c as Dec,
          );
          expect(parts).toHaveLength(rows.length);
          const exactSum = parts.reduce((s, part) => s.plus(new BigDec(part)), new BigDec(0));
          expect(exactSum.eq(new BigDec(dec(total)))).toBe(true);
          const tokenSum = rows.reduce((s, [t]) => s.plus(dec(t)), new Dec(0));
          const peakSum = rows.reduce((s, [, p]) => s.plus(dec(p)), new Dec(0));
          rows.forEach(([t, p], i) => {
            const tokenShare = dec(t).div(tokenSum);
            const peakShare = dec(p).div(peakSum);
            const formula = dec(total).times(
              dec(w)
                .times(tokenShare)
                .plus(new Dec(1).minus(dec(w)).times(peakShare)),
            );
            expect(parts[i].gte(0)).toBe(true);
            expect(parts[i].minus(formula).abs().lte(dec(total).times("1e-30"))).toBe(true);
          });
        },
      ),
    );
  });
});

describe("SPEND_ALERT", () => {
  it("flags a day above 1.5 × the trailing 7-day average", () => {
    // Seed 002 ("Production budget guardrails"): page when daily spend exceeds 1.5× the trailing 7-day average.
    // Days 1–7 have fewer than 7 days before them: FALSE. Day 8: 150 = 1.5 × 100 does not exceed it.
    // Day 9: 1.5 × (6 × 100 + 150) ÷ 7 = 160.71…, 300 exceeds it. Day 10: 100 does not.
    const days = column(100, 100, 100, 100, 100, 100, 100, 150, 300, 100);
    const alerts = spilled("SPEND_ALERT", days).flat();
    expect(alerts).toEqual([...new Array(8).fill("false"), "true", "false"]);
  });

  it("compares exactly: 2.1 is not above 3 × 0.7", () => {
    // In doubles 3 × 0.7 = 2.0999999999999996 and the day would alert.
    expect(spilled("SPEND_ALERT", column(0.7, 2.1), 3, 1).flat()).toEqual(["false", "false"]);
    expect(spilled("SPEND_ALERT", column(0.7, 2.1000001), 3, 1).flat()).toEqual(["false", "true"]);
  });

  it("answers blank beside the days not filled in yet and refuses a blank among them", () => {
    expect(spilled("SPEND_ALERT", column(10, 16, null, ""), 1.5, 1)).toEqual([["false"], ["true"], [""], [""]]);
    expect(spilled("SPEND_ALERT", [[10, 16, 20]], 1.5, 1)).toEqual([["false", "true", "false"]]);
    expect(call("SPEND_ALERT", column(10, null, 20))).toBe("VALUE: daily_spend: cell 2 is blank (enter 0 if that is the value)");
  });

  it("rejects bad input naming the argument", () => {
    expect(call("SPEND_ALERT", column(10, -5))).toBe("VALUE: daily_spend, cell 2: must be ≥ 0");
    expect(call("SPEND_ALERT", column(10), 0)).toBe("VALUE: factor: must be > 0");
    expect(call("SPEND_ALERT", column(10), 1.5, 0)).toBe("VALUE: window: must be ≥ 1");
    expect(call("SPEND_ALERT", column(10), 1.5, 2.5)).toBe("VALUE: window: must be a whole number");
  });

  it("spills one answer per input cell, FALSE for the first window days, blank after the last day with spend (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { maxLength: 60 }),
        fc.nat(5),
        fc.integer({ min: 1, max: 10 }),
        (days, blanks, window) => {
          const cells = column(...days, ...new Array(blanks).fill(null));
          fc.pre(cells.length > 0); // a range has at least one cell
          const out = invoke(FUNCTIONS.SPEND_ALERT, [cells, 1.5, window]) as Matrix;
          expect(out).toHaveLength(cells.length);
          // Trailing 0 days read as not filled in: Excel may send a blank cell as 0.
          const filled = days.reduce((last, d, i) => (d !== 0 ? i + 1 : last), 0);
          out.forEach(([c], i) => {
            if (i >= filled) expect(c).toBeNull();
            else if (i < window) expect(c).toBe(false);
            else expect(typeof c).toBe("boolean");
          });
        },
      ),
    );
  });
});

describe("BUDGET_STATUS", () => {
  it("answers the highest threshold reached, 50% / 80% / 100% by default", () => {
    expect(call("BUDGET_STATUS", 40, 100)).toBe("ok");
    expect(call("BUDGET_STATUS", 50, 100)).toBe("50%");
    expect(call("BUDGET_STATUS", 79.99, 100)).toBe("50%");
    expect(call("BUDGET_STATUS", 80, 100)).toBe("80%");
    expect(call("BUDGET_STATUS", 99.99, 100)).toBe("80%");
    expect(call("BUDGET_STATUS", 100, 100)).toBe("over budget");
    expect(call("BUDGET_STATUS", 150, 100)).toBe("over budget");
    expect(call("BUDGET_STATUS", 0, 100)).toBe("ok");
  });

  it("takes thresholds as a row or column and writes them without float noise", () => {
    // 0.07 × 100 is 7.000000000000001 in doubles.
    expect(call("BUDGET_STATUS", 7, 100, [[0.07, 0.755, 1]])).toBe("7%");
    expect(call("BUDGET_STATUS", 80, 100, column(0.25, 0.755, 1))).toBe("75.5%");
    expect(call("BUDGET_STATUS", 80, 100, column(0.25, 0.755, 1, null))).toBe("75.5%");
    // One threshold: ok below it, over budget at it.
    expect(call("BUDGET_STATUS", 89, 100, 0.9)).toBe("ok");
    expect(call("BUDGET_STATUS", 90, 100, 0.9)).toBe("over budget");
  });

  it("rejects bad input naming the argument", () => {
    expect(call("BUDGET_STATUS", 10, 0)).toBe("VALUE: budget: must be > 0");
    expect(call("BUDGET_STATUS", -10, 100)).toBe("VALUE: spend: must be ≥ 0");
    expect(call("BUDGET_STATUS", 10, 100, [[0.8, 0.5, 1]])).toBe("VALUE: thresholds: must increase (for example 0.5, 0.8, 1)");
    expect(call("BUDGET_STATUS", 10, 100, [[0.5, 0.5, 1]])).toBe("VALUE: thresholds: must increase (for example 0.5, 0.8, 1)");
    expect(call("BUDGET_STATUS", 10, 100, [[0, 0.5]])).toBe("VALUE: thresholds, cell 1: must be > 0");
    expect(call("BUDGET_STATUS", 10, 100, [[-0.5, 0.5]])).toBe("VALUE: thresholds, cell 1: must be > 0");
    expect(call("BUDGET_STATUS", 10, 100, column(null, null))).toBe("VALUE: thresholds: needs at least one threshold");
  });

  it("takes thresholds above 1: a cap above plan, percentages in their shortest form", () => {
    // Plan 1,000, cap at 1.2 × plan: 1,100 is past plan (100%) but under the cap.
    expect(call("BUDGET_STATUS", 1100, 1000, [[0.8, 1, 1.2]])).toBe("100%");
    expect(call("BUDGET_STATUS", 1199.99, 1000, [[0.8, 1, 1.2]])).toBe("100%");
    expect(call("BUDGET_STATUS", 1200, 1000, [[0.8, 1, 1.2]])).toBe("over budget");
    expect(call("BUDGET_STATUS", 900, 1000, [[0.8, 1, 1.2]])).toBe("80%");
    // 0.125 is "12.5%"; 1.5 is "150%".
    expect(call("BUDGET_STATUS", 130, 1000, [[0.125, 0.5, 1]])).toBe("12.5%");
    expect(call("BUDGET_STATUS", 1600, 1000, [[1, 1.5, 2]])).toBe("150%");
    // Percentages typed as whole numbers are now thresholds of 50× … 100× the budget.
    expect(call("BUDGET_STATUS", 10, 100, [[50, 80, 100]])).toBe("ok");
  });

  it("never improves as spend rises (property)", () => {
    const order = ["ok", "50%", "80%", "over budget"];
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        fc.double({ min: 1e-6, max: 1e6, noNaN: true }),
        (a, b, budget) => {
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          const rank = (spend: number) => order.indexOf(invoke(FUNCTIONS.BUDGET_STATUS, [spend, budget]) as string);
          expect(rank(lo)).toBeGreaterThanOrEqual(0);
          expect(rank(lo)).toBeLessThanOrEqual(rank(hi));
        },
      ),
    );
  });
});

describe("COMMITTED_COST", () => {
  // Seed 002: "At >$50k/month spend … ask for committed-use pricing. 20–40% discounts are common."
  const tiers = [
    [0, 0],
    [50_000, 0.2],
    [100_000, 0.3],
  ];

  it("applies the highest tier reached to all spend, or each band its own when graduated", () => {
    // 120,000 reaches the 100,000 tier: 120,000 × 0.7 = 84,000.
    expect(call("COMMITTED_COST", 120_000, tiers)).toBe("84000");
    // Graduated: 50,000 × 1 + 50,000 × 0.8 + 20,000 × 0.7 = 50,000 + 40,000 + 14,000 = 104,000.
    expect(call("COMMITTED_COST", 120_000, tiers, true)).toBe("104000");
    // Below the first discount, nothing off; exactly at a threshold, that tier.
    expect(call("COMMITTED_COST", 49_999, tiers)).toBe("49999");
    expect(call("COMMITTED_COST", 50_000, tiers)).toBe("40000");
    expect(call("COMMITTED_COST", 50_000, tiers, true)).toBe("50000");
    expect(call("COMMITTED_COST", 0, tiers, true)).toBe("0");
    // Blank rows after the tiers are ignored.
    expect(call("COMMITTED_COST", 120_000, [...tiers, [null, null]])).toBe("84000");
  });

  it("graduated never costs less than all-at-the-top-tier and never more than nothing off (property)", () => {
    fc.assert(
      fc.property(fc.nat(1_000_000), (spend) => {
        const flat = new Dec(call("COMMITTED_COST", spend, tiers));
        const graduated = new Dec(call("COMMITTED_COST", spend, tiers, true));
        expect(graduated.gte(flat) && graduated.lte(spend)).toBe(true);
      }),
    );
  });

  it("rejects bad input naming the argument", () => {
    expect(call("COMMITTED_COST", -1, tiers)).toBe("VALUE: monthly_spend: must be ≥ 0");
    expect(call("COMMITTED_COST", 1, [[10, 0]])).toBe("VALUE: tiers: the first threshold must be 0");
    expect(
      call("COMMITTED_COST", 1, [
        [0, 0],
        [0, 0.1],
      ]),
    ).toBe("VALUE: tiers: thresholds must ascend strictly (for example 0, 50000, 200000)");
    expect(
      call("COMMITTED_COST", 1, [
        [0, 0],
        [100, 1.2],
      ]),
    ).toBe("VALUE: tiers, row 2: must be ≤ 1");
    expect(
      call("COMMITTED_COST", 1, [
        [0, 0],
        [100, null],
        [200, 0.2],
      ]),
    ).toBe("VALUE: tiers, row 2: is blank (a tier needs a threshold and a discount)");
    expect(call("COMMITTED_COST", 1, [[0, 0, 0]])).toBe("VALUE: tiers: must be two columns: spend threshold, discount");
    expect(call("COMMITTED_COST", 1, [[null, null]])).toBe("VALUE: tiers: needs at least one row");
    expect(call("COMMITTED_COST", 1, tiers, "yes")).toBe('VALUE: graduated: must be TRUE or FALSE, got text "yes"');
  });
});

describe("QUALITY_BREAKEVEN", () => {
  it("prices the failure at which two options cost the same per task", () => {
    // Seed 002 ("cost-per-correct-answer"): Sonnet 4.6 at $0.009 a call, 95% right, against Gemini
    // Flash at $0.0001, 70%: (0.009 − 0.0001) ÷ (0.95 − 0.70) = 0.0089 ÷ 0.25 = 0.0356. A wrong
    // answer that costs more than 3.56 cents makes Sonnet the cheaper choice.
    expect(call("QUALITY_BREAKEVEN", 0.009, 0.95, 0.0001, 0.7)).toBe("0.0356");
    // The same, options swapped.
    expect(call("QUALITY_BREAKEVEN", 0.0001, 0.7, 0.009, 0.95)).toBe("0.0356");
    // Equal costs, different reliability: any failure cost favours the reliable one; 0, not −0.
    expect(invoke(FUNCTIONS.QUALITY_BREAKEVEN, [0.01, 0.7, 0.01, 0.95])).toEqual(new Dec(0));
    expect(Object.is((invoke(FUNCTIONS.QUALITY_BREAKEVEN, [0.01, 0.7, 0.01, 0.95]) as Dec).toNumber(), 0)).toBe(true);
  });

  it("is where the per-task costs, failures included, meet (property)", () => {
    fc.assert(
      fc.property(fc.nat(10_000), fc.nat(100), fc.nat(10_000), fc.nat(100), (ca, sa, cb, sb) => {
        fc.pre(sa !== sb);
        const [costA, costB, successA, successB] = [ca / 1e4, cb / 1e4, sa / 100, sb / 100];
        let f: Dec;
        try {
          f = decimalOf(invoke(FUNCTIONS.QUALITY_BREAKEVEN, [costA, successA, costB, successB]) as Exact);
        } catch {
          // #NUM!: one option is cheaper and at least as reliable.
          const cheaperA = costA <= costB && successA >= successB;
          expect(cheaperA || (costB <= costA && successB >= successA)).toBe(true);
          return;
        }
        const perTask = (c: number, s: number) => new Dec(c).plus(new Dec(1).minus(s).times(f));
        expect(perTask(costA, successA).minus(perTask(costB, successB)).abs().lte("1e-28")).toBe(true);
      }),
    );
  });

  it("answers each cell of a GRID as the decimal path does, its kept differences shared along rows and columns (property)", () => {
    // Fill-series values (0.8 + 3 × 0.01 = 0.8300000000000001) as well as typed ones.
    const share = fc.oneof(
      fc.integer({ min: 0, max: 100 }).map((n) => n / 100),
      fc.tuple(fc.integer({ min: 50, max: 90 }), fc.integer({ min: 0, max: 9 })).map(([n, i]) => n / 100 + i * 0.01),
    );
    const cost = fc.oneof(
      fc.integer({ min: 0, max: 10_000 }).map((n) => n / 10_000),
      fc.tuple(fc.integer({ min: 1, max: 99 }), fc.integer({ min: 0, max: 9 })).map(([n, i]) => n / 1000 + i * 0.001),
    );
    const argOf = [cost, share, cost, share];
    const grids = fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 3 })).chain(([r, step]) => {
      const c = (r + step) % 4;
      const values = (k: number) => fc.array(argOf[k], { minLength: 1, maxLength: 4 });
      return fc.tuple(fc.constant(r), values(r), fc.constant(c), values(c));
    });
    let answered = 0;
    fc.assert(
      fc.property(fc.tuple(cost, share, cost, share), grids, (base, [r, rows, c, cols]) => {
        const grid = invoke(FUNCTIONS.GRID, ["QUALITY_BREAKEVEN", [base], r + 1, rows.map((v) => [v]), c + 1, [cols]]) as unknown[][];
        rows.forEach((rv, i) =>
          cols.forEach((cv, j) => {
            const [costA, successA, costB, successB] = base.map((b, k) => (k === r ? rv : k === c ? cv : b));
            const cell = grid[i + 1][j + 1];
            const ahead = fromNumber(successA).minus(fromNumber(successB));
            const behind = fromNumber(costA).minus(fromNumber(costB));
            if (ahead.isZero()) expect((cell as TlError).message).toMatch(/equal success rates/);
            else if (behind.isZero()) expect(toPlain(cell as Exact)).toBe(0);
            else if (behind.isNeg() !== ahead.isNeg()) expect((cell as TlError).message).toMatch(/both cheaper and more reliable/);
            else {
              answered++;
              expect(toPlain(cell as Exact)).toBe(behind.div(ahead).toNumber());
            }
          }),
        );
      }),
      { numRuns: 500 },
    );
    expect(answered).toBeGreaterThan(300);
  });

  it("rejects bad input naming the argument", () => {
    expect(call("QUALITY_BREAKEVEN", 0.01, 0.9, 0.02, 0.9)).toBe("NUM: success_b: equal success rates never trade cost against failures");
    expect(call("QUALITY_BREAKEVEN", 0.001, 0.95, 0.01, 0.7)).toBe(
      "NUM: cost_b: one option is both cheaper and more reliable, so no failure cost evens them",
    );
    expect(call("QUALITY_BREAKEVEN", -0.01, 0.9, 0.02, 0.8)).toBe("VALUE: cost_a: must be ≥ 0");
    expect(call("QUALITY_BREAKEVEN", 0.01, 1.1, 0.02, 0.8)).toBe("VALUE: success_a: must be ≤ 1");
    expect(call("QUALITY_BREAKEVEN", 0.01, 0.9, -1, 0.8)).toBe("VALUE: cost_b: must be ≥ 0");
    expect(call("QUALITY_BREAKEVEN", 0.01, 0.9, 0.02, -0.1)).toBe("VALUE: success_b: must be ≥ 0");
  });
});

describe("TlError", () => {
  it("captures no stack (a GRID makes one a cell that breaks a rule) and leaves other errors theirs", () => {
    const limit = Error.stackTraceLimit;
    const e = noResult("x: y");
    expect([e.kind, e.message, e.name, e instanceof Error]).toEqual(["NUM", "x: y", "TlError", true]);
    expect(Error.stackTraceLimit).toBe(limit);
    expect(new Error("z").stack).toContain("finops.test");
  });
});

describe("the exact fast paths", () => {
  /** What a call answers: the double Excel gets and the exact decimal behind it (or text), or the error's message. */
  function outcome(fn: SheetFunction, args: unknown[]): { plain?: unknown; exact?: string; error?: string } {
    try {
      const result = invoke(fn, args);
      return { plain: toPlain(result), exact: isExact(result) ? decimalOf(result).toString() : undefined };
    } catch (e) {
      return { error: (e as TlError).message };
    }
  }

  /** The function as it was: the same parameters, the decimal path alone (each formula as written before the fast paths). */
  const decimalPath = (fn: SheetFunction, run: (...args: never[]) => SheetResult): SheetFunction => ({ ...fn, run });

  /** A value as a worksheet holds it (0–3 decimals), big and tiny ones, boundaries, and what makes errors. */
  const decimals = (max: number) => fc.tuple(fc.nat(max), fc.integer({ min: 0, max: 3 })).map(([n, p]) => n / 10 ** p);
  const amount = fc.oneof(
    { weight: 6, arbitrary: decimals(10_000_000) },
    { weight: 2, arbitrary: fc.double({ min: 0, max: 1e20, noNaN: true }) },
    { weight: 1, arbitrary: fc.constantFrom(0, -0, 1e-12, 0.1 + 0.2, 2 ** 53, 2 ** 53 + 2, 1e300, -1, "x", null, true) },
  );
  const share = fc.oneof(
    {
      weight: 6,
      arbitrary: fc.oneof(
        fc.nat(100).map((n) => n / 100),
        fc.nat(1000).map((n) => n / 1000),
      ),
    },
    { weight: 2, arbitrary: fc.double({ min: 0, max: 1, noNaN: true }) },
    { weight: 1, arbitrary: fc.constantFrom(0, 1, 0.9999999999999999, 1e-7, 0.1 + 0.2, 1.5, -0.1, "x", null) },
  );
  /**
   * What an Excel fill series holds: start + i × step with a decimal step, in doubles, so most
   * values carry float noise in the 17th digit (0.012 + 18 × 0.0001 = 0.013799999999999998).
   */
  const fill = (start: fc.Arbitrary<number>) =>
    fc
      .tuple(start, fc.constantFrom(0.1, 0.01, 0.001, 0.0001, 0.002, 0.005, 0.0002, 0.0005, 0.3, 7, 200), fc.nat(100))
      .map(([from, step, i]) => from + i * step);
  const fillAmount = fill(
    fc.oneof(
      decimals(100_000),
      decimals(100).map((n) => n / 1000),
    ),
  );
  const fillShare = fill(decimals(500).map((n) => n / 1000));
  const agree = (fast: SheetFunction, slow: SheetFunction) => (args: unknown[]) => {
    expect(outcome(fast, args)).toEqual(outcome(slow, args));
  };
  // Costs per call are small: a near miss between before and after is the case to get right.
  const cost = fc.oneof(
    amount,
    fillAmount,
    decimals(100).map((n) => n / 1000),
  );
  const rate = fc.oneof(share, fillShare);
  const big = fc.oneof(amount, fillAmount);
  const finetune = decimalPath(FUNCTIONS.FINETUNE_BREAKEVEN, (t: number, b: number, a: number) => {
    if (fromNumber(a).gte(fromNumber(b))) {
      throw noResult("cost_per_call_after: must be below cost_per_call_before, or the fine-tune never pays for itself");
    }
    return fromNumber(t).div(fromNumber(b).minus(fromNumber(a)));
  });
  const quality = decimalPath(FUNCTIONS.QUALITY_BREAKEVEN, (ca: number, sa: number, cb: number, sb: number) => {
    const [costA, successA, costB, successB] = [ca, sa, cb, sb].map(fromNumber);
    if (successA.eq(successB)) throw noResult("success_b: equal success rates never trade cost against failures");
    const breakeven = costA.minus(costB).div(successA.minus(successB));
    if (breakeven.isZero()) return new Dec(0);
    if (breakeven.isNeg()) throw noResult("cost_b: one option is both cheaper and more reliable, so no failure cost evens them");
    return breakeven;
  });

  it("RETRY_FACTOR sums exactly, as the closed form rounds (property)", () => {
    const slow = decimalPath(FUNCTIONS.RETRY_FACTOR, (p: number, n: number) => retryFactor(fromNumber(p), fromNumber(n)));
    const retries = fc.oneof(
      fc.nat(30),
      fc.nat(150),
      fc.constantFrom(0, 60, 1e6, 2 ** 30 - 1, 2 ** 30, 2 ** 31, 1e300, 2 ** 53 - 1, 2 ** 53, 2.5, -1, null),
    );
    // Rates near 1 (where 1 − p^(n+1) cancels on the decimal path) and tiny ones (few terms count).
    const rate = fc.oneof(
      share,
      fillShare,
      fill(fc.constantFrom(0.9, 0.99, 0.999)),
      fc.double({ min: 0.99, max: 0.9999999999999999, noNaN: true }),
      fc.constantFrom(1e-6, 1.5e-6, 0.000123456789, 0.5),
    );
    let decided = 0;
    let closed = 0;
    fc.assert(
      fc.property(rate, retries, (p, n) => {
        agree(FUNCTIONS.RETRY_FACTOR, slow)([p, n]);
        if (outcome(FUNCTIONS.RETRY_FACTOR, [p, n]).error === undefined && invoke(FUNCTIONS.RETRY_FACTOR, [p, n]) instanceof Nearest) {
          decided++;
          // Rates up to 1/2 take the closed form, the others doubling.
          if ((p as number) <= 0.5) closed++;
        }
      }),
      { numRuns: 4000 },
    );
    // The double-double path ran (about half the draws; a floor with margin for fast-check's seeds), both ways.
    expect(decided).toBeGreaterThan(1000);
    expect(closed).toBeGreaterThan(400);
    expect(decided - closed).toBeGreaterThan(400);
    // The bench's examples take the fast path: 1 + 0.02 + 0.0004 + 0.000008 = 1.020408.
    expect(invoke(FUNCTIONS.RETRY_FACTOR, [0.02, 3])).toEqual(new Fixed(1020408, 6));
    expect(invoke(FUNCTIONS.RETRY_FACTOR, [0.1, 5])).toBeInstanceOf(Fixed);
    // A GRID's fill series takes the double-double path: 0.01 + 39 × 0.0001 = 0.013900000000000001 and 3 … 102 retries.
    for (const n of [3, 50, 102]) expect(invoke(FUNCTIONS.RETRY_FACTOR, [0.01 + 39 * 0.0001, n])).toBeInstanceOf(Nearest);
  });

  it("FREE_TIER_COST answers each cell of a GRID as the decimal path does, its kept rate and cost shared along rows and columns (property)", () => {
    // What a cell shows: the decimal's double, or the error (a quotient past the doubles is #NUM!).
    const shown = (x: unknown) => {
      try {
        return x instanceof TlError ? x.message : toPlain(x as Exact);
      } catch (e) {
        return (e as TlError).message;
      }
    };
    const slow = (c: number, cost: number) => shown(ONE.minus(fromNumber(c)).times(fromNumber(cost)).div(fromNumber(c)));
    // Numbers only: the arbitraries' text and blanks are other tests' business.
    const values = (a: fc.Arbitrary<unknown>) =>
      fc.array(
        a.filter((x): x is number => typeof x === "number"),
        { minLength: 1, maxLength: 4 },
      );
    fc.assert(
      fc.property(values(fc.oneof(rate, fillShare)), values(fc.oneof(cost, big)), fc.boolean(), (rates, costs, ratesDown) => {
        fc.pre(rates.every((c) => c > 0 && c <= 1) && costs.every((x) => x >= 0));
        const [rows, cols] = ratesDown ? [rates, costs] : [costs, rates];
        const grid = invoke(FUNCTIONS.GRID, [
          "FREE_TIER_COST",
          [[0.5, 1]],
          ratesDown ? 1 : 2,
          rows.map((v) => [v]),
          ratesDown ? 2 : 1,
          [cols],
        ]);
        const cells = (grid as unknown[][]).slice(1).map((row) => row.slice(1).map(shown));
        expect(cells).toEqual(rows.map((rv) => cols.map((cv) => (ratesDown ? slow(rv, cv) : slow(cv, rv)))));
      }),
      { numRuns: 1000 },
    );
  });

  it("FREE_TIER_COST, FINETUNE_BREAKEVEN and QUALITY_BREAKEVEN answer the decimal path's double (property)", () => {
    const free = decimalPath(FUNCTIONS.FREE_TIER_COST, (c: number, cost: number) =>
      ONE.minus(fromNumber(c)).times(fromNumber(cost)).div(fromNumber(c)),
    );
    fc.assert(
      fc.property(rate, big, big, cost, cost, rate, rate, (c, a, b, before, after, sa, sb) => {
        agree(FUNCTIONS.FREE_TIER_COST, free)([c, a]);
        agree(FUNCTIONS.FINETUNE_BREAKEVEN, finetune)([a, before, after]);
        agree(FUNCTIONS.QUALITY_BREAKEVEN, quality)([before, sa, after, sb]);
        agree(FUNCTIONS.QUALITY_BREAKEVEN, quality)([b, sa, a, sb]);
      }),
      { numRuns: 4000 },
    );
    // The bench's examples take the fast path.
    for (const args of [
      [0.04, 0.35],
      [0.02, 1.1],
    ])
      expect(invoke(FUNCTIONS.FREE_TIER_COST, args)).toBeInstanceOf(Nearest);
    for (const args of [
      [25_000, 0.012, 0.004],
      [8_000, 0.03, 0.018],
    ])
      expect(invoke(FUNCTIONS.FINETUNE_BREAKEVEN, args)).toBeInstanceOf(Nearest);
    for (const args of [
      [0.012, 0.82, 0.03, 0.97],
      [0.002, 0.6, 0.01, 0.9],
    ])
      expect(invoke(FUNCTIONS.QUALITY_BREAKEVEN, args)).toBeInstanceOf(Nearest);
    // So do a GRID's fill-series values (17 digits: 0.02 + 13 × 0.0002 = 0.022600000000000002).
    const c = 0.02 + 13 * 0.0002;
    const x = 0.35 + 19 * 0.002;
    expect(invoke(FUNCTIONS.FREE_TIER_COST, [c, 0.35])).toBeInstanceOf(Nearest);
    // (1 − c) × cost with 18 + 17 digits is past the Wides: the product taken in double-double.
    expect(invoke(FUNCTIONS.FREE_TIER_COST, [c, x])).toBeInstanceOf(Nearest);
    expect(invoke(FUNCTIONS.FINETUNE_BREAKEVEN, [25_000, 0.01 + 36 * 0.0001, 0.004])).toBeInstanceOf(Nearest);
    expect(invoke(FUNCTIONS.QUALITY_BREAKEVEN, [0.01 + 39 * 0.0001, x, 0.03, 0.97])).toBeInstanceOf(Nearest);
  });

  it("BUDGET_STATUS compares and writes exactly (property)", () => {
    const slow = decimalPath(FUNCTIONS.BUDGET_STATUS, (spend: number, budget: number, cells: unknown[][]) => {
      const given = series("thresholds", cells, { zeroIsBlank: true });
      const thresholds = numbers(given, given.filled, { above: 0 });
      if (thresholds.length === 0) throw valueError("thresholds", "needs at least one threshold");
      if (thresholds.some((t, i) => i > 0 && t.lte(thresholds[i - 1]))) {
        throw valueError("thresholds", "must increase (for example 0.5, 0.8, 1)");
      }
      return budgetStatus(fromNumber(spend), fromNumber(budget), thresholds);
    });
    // Increasing fractions (a few above 1, tiny ones, ones with many places), now and then out of order, blank or not numbers.
    const threshold = fc.oneof(
      { weight: 6, arbitrary: decimals(2000).map((n) => n / 1000) },
      { weight: 1, arbitrary: fc.constantFrom(1e-7, 0.1 + 0.2, 0.123456789, 1e6, 0, null, "", "x", -1) },
    );
    const thresholds = fc.oneof(
      fc.constant(null),
      fc.array(threshold, { minLength: 1, maxLength: 5 }).chain((ts) => fc.boolean().map((row) => (row ? [ts] : ts.map((t) => [t])))),
      fc.array(decimals(2000), { minLength: 1, maxLength: 5 }).map((ts) => [[...new Set(ts)].sort((a, b) => a - b).filter((t) => t > 0)]),
    );
    // Spend near a threshold × budget is the case to get right.
    const spendNear = fc.tuple(decimals(2000), decimals(100_000)).map(([t, b]) => (t / 1000) * b);
    fc.assert(
      fc.property(fc.oneof(amount, spendNear), amount, thresholds, (spend, budget, cells) =>
        agree(FUNCTIONS.BUDGET_STATUS, slow)([spend, budget, cells]),
      ),
      { numRuns: 4000 },
    );
    // The bench's examples take the fast path (a decimal path would answer the same text: shown by the property).
    expect(invoke(FUNCTIONS.BUDGET_STATUS, [4_200, 10_000, null])).toBe("ok");
    expect(invoke(FUNCTIONS.BUDGET_STATUS, [9_300, 10_000, [[0.5, 0.9, 1]]])).toBe("90%");
  });

  it("COMMITTED_COST discounts exactly, flat and graduated (property)", () => {
    /** committedCost as it was, on decimals; the tiers are valid here (their checks come before either path). */
    const slow = decimalPath(FUNCTIONS.COMMITTED_COST, (spendDouble: number, rows: unknown[][], graduated: boolean) => {
      const spend = fromNumber(spendDouble);
      const tiers = rows
        .filter((r) => r[0] !== null)
        .map(([t, d]) => ({ threshold: fromNumber(t as number), discount: fromNumber(d as number) }));
      if (!graduated) return spend.times(ONE.minus(tiers.filter((t) => t.threshold.lte(spend)).at(-1)!.discount));
      return tiers
        .map((t, i) => {
          const top = i + 1 < tiers.length ? Dec.min(spend, tiers[i + 1].threshold) : spend;
          return Dec.max(0, top.minus(t.threshold)).times(ONE.minus(t.discount));
        })
        .reduce((a, b) => a.plus(b), new Dec(0));
    });
    const tiers = fc
      .tuple(
        fc.uniqueArray(
          amount.filter((t) => typeof t === "number" && t > 0),
          { maxLength: 4 },
        ),
        fc.array(
          share.filter((d) => typeof d === "number" && d >= 0 && d <= 1),
          { minLength: 5, maxLength: 5 },
        ),
        fc.boolean(),
      )
      .map(([thresholds, discounts, blankRow]) => {
        const rows: unknown[][] = [0, ...thresholds.sort((a, b) => (a as number) - (b as number))].map((t, i) => [t, discounts[i]]);
        return blankRow ? [...rows, [null, null]] : rows;
      });
    const spend = fc.oneof(
      amount,
      decimals(10_000_000).map((n) => n * 100),
    );
    fc.assert(
      fc.property(spend, tiers, fc.constantFrom(null, true, false, 1, "yes"), (s, t, graduated) =>
        agree(FUNCTIONS.COMMITTED_COST, slow)([s, t, graduated]),
      ),
      { numRuns: 4000 },
    );
    // The bench's examples take the fast path: 42,000 × 0.95 = 39,900; 10,000 + 40,000 × 0.95 + 30,000 × 0.9 = 75,000.
    const bands = [
      [0, 0],
      [10_000, 0.05],
      [50_000, 0.1],
    ];
    expect(invoke(FUNCTIONS.COMMITTED_COST, [42_000, bands, null])).toBeInstanceOf(Fixed);
    expect(toPlain(invoke(FUNCTIONS.COMMITTED_COST, [42_000, bands, null]))).toBe(39_900);
    expect(invoke(FUNCTIONS.COMMITTED_COST, [80_000, bands, true])).toBeInstanceOf(Fixed);
    expect(toPlain(invoke(FUNCTIONS.COMMITTED_COST, [80_000, bands, true]))).toBe(75_000);
  });

  it("QUALITY_BREAKEVEN and FINETUNE_BREAKEVEN along a GRID: each cell the decimal path's double or its error (property)", () => {
    /** A GRID cell as the spill shows it: its double, or the error's kind and message (a decimal past the doubles is #NUM!). */
    const shown = (cell: unknown) => {
      const plain = (toPlain([[cell as Exact | TlError]]) as unknown[][])[0][0];
      return plain instanceof TlError ? `${plain.kind}: ${plain.message}` : plain;
    };
    /** The decimal path's answer as a GRID cell shows it. */
    const expected = (slow: SheetFunction, args: unknown[]) => {
      try {
        return toPlain(invoke(slow, args));
      } catch (e) {
        return `${(e as TlError).kind}: ${(e as TlError).message}`;
      }
    };
    // The bench's axes: a fill series from half a share up to it (success rates either side of the other option's) and costs.
    const shares = fc.tuple(fillShare, fc.constantFrom(0.001, 0.005, 0.01)).map(([from, step]) => [0, 1, 2, 3].map((i) => from + i * step));
    const costs = fc.tuple(fillAmount, fc.constantFrom(0.0001, 0.001, 0.5)).map(([from, step]) => [0, 1, 2].map((i) => from + i * step));
    const cases = fc.oneof(
      // QUALITY_BREAKEVEN: success_b down the rows, cost_a or cost_b across.
      fc
        .tuple(cost, rate, cost, rate, shares, costs, fc.constantFrom(1, 3))
        .map(([ca, sa, cb, sb, rows, cols, c]) => ({ fn: "QUALITY_BREAKEVEN", args: [ca, sa, cb, sb], r: 4, rows, c, cols })),
      // FINETUNE_BREAKEVEN: cost_per_call_after down the rows (either side of before), training_cost across.
      fc
        .tuple(big, cost, costs, costs)
        .map(([t, b, rows, cols]) => ({ fn: "FINETUNE_BREAKEVEN", args: [t, b, 0.001], r: 3, rows, c: 1, cols })),
    );
    const slows: Record<string, SheetFunction> = { QUALITY_BREAKEVEN: quality, FINETUNE_BREAKEVEN: finetune };
    let errors = 0;
    let proven = 0;
    fc.assert(
      fc.property(cases, ({ fn, args, r, rows, c, cols }) => {
        let grid: unknown[][];
        try {
          grid = invoke(FUNCTIONS.GRID, [fn, [args], r, rows.map((v) => [v]), c, [cols]]) as unknown[][];
        } catch {
          return; // a fixed argument broke a rule: the whole GRID's error
        }
        rows.forEach((rv, i) =>
          cols.forEach((cv, j) => {
            const cell = grid[i + 1][j + 1];
            const cellArgs = args.map((a, k) => (k === r - 1 ? rv : k === c - 1 ? cv : a));
            expect(shown(cell)).toEqual(expected(slows[fn], cellArgs));
            if (cell instanceof TlError) errors++;
            else if (cell instanceof Nearest) proven++;
          }),
        );
      }),
      { numRuns: 2000 },
    );
    // Both kinds of cell occur often: rules broken (an error made once, shown in every cell that breaks it) and proven doubles.
    expect(errors).toBeGreaterThan(2000);
    expect(proven).toBeGreaterThan(2000);
  });
});
