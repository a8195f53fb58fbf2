import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Dec, FUNCTIONS, type Fixed, TlError, decimalOf, invoke } from "../src";
import { ONE, ZERO } from "../src/decimal";
import { type TcoInputs, tcoBreakdown, tcoTotal } from "../src/selfhost";

/** Calls a worksheet function by name: the exact decimal as text (a spill as rows of text), or the error. */
function call(name: string, ...args: unknown[]): string | (string | null)[][] {
  try {
    const r = invoke(FUNCTIONS[name], args);
    return Array.isArray(r) ? r.map((row) => row.map((c) => (c === null ? null : String(c)))) : String(r);
  } catch (e) {
    if (e instanceof TlError) return `${e.kind}: ${e.message}`;
    throw e;
  }
}

/** A result as a decimal, a hot path's Fixed too. */
function dec(name: string, ...args: unknown[]): Dec {
  return decimalOf(invoke(FUNCTIONS[name], args) as Dec | Fixed);
}

/** GPU_TCO's nine positional arguments after hardware_or_capex and years, all omitted. */
const omitted = (n: number) => new Array<null>(n).fill(null);

describe("GPU_TCO_LINES, GPU_TCO, GPU_HOURLY", () => {
  // Seed 002, "Realistic 3-year TCO for one 8× H100 box owned and racked", from explicit inputs:
  //   capex 255,000 and 10 kW: the catalogue's 8xh100-sxm (seed: $85k a year × 3, residual 0);
  //   power: 10 kW × PUE 1.3 × 8,760 h × $0.175/kWh = 19,929 — the seed's $15k power + $5k cooling,
  //     cooling folded into the PUE (the seed's "cooling adds 30–50% to power");
  //   colo: 10 kW × $500/kW-month × 12 = 60,000 (seed: $60k, in its $300–1,000 range);
  //   maintenance 25,000, ops 80,000; annual_escalation 5% (seed: colo 60/63/66, ops 80/84/88).
  // The seed holds maintenance flat at $25k while escalating every other running line; the
  // contract escalates all running lines alike, so ours is 25,000 / 26,250 / 27,562.5, and the
  // 3-year total is 837,988.67 against the seed's rounded $835k (its lines are rounded to $1k and
  // its year-3 power+cooling, 17 + 6, is 22.05 unrounded).
  const seedArgs = ["8xh100-sxm", 3, null, 0.175, 1.3, 500, 25000, 80000, 0.05];

  it("reproduces the seed's 3-year owned-node table", () => {
    expect(call("GPU_TCO_LINES", ...seedArgs)).toEqual([
      ["line", "year 1", "year 2", "year 3", "total"],
      ["capex", "85000", "85000", "85000", "255000"],
      // 19,929 × 1.05 = 20,925.45; × 1.1025 = 21,971.7225.
      ["power", "19929", "20925.45", "21971.7225", "62826.1725"],
      ["colo", "60000", "63000", "66150", "189150"],
      ["maintenance", "25000", "26250", "27562.5", "78812.5"],
      ["ops", "80000", "84000", "88200", "252200"],
      ["total", "269929", "279175.45", "288884.2225", "837988.6725"],
    ]);
    expect(call("GPU_TCO", ...seedArgs)).toBe("837988.6725");
    // 837,988.6725 ÷ 26,280 h: the seed's "8× H100 SXM (owned) $32" an hour.
    expect(call("GPU_HOURLY", ...seedArgs)).toBe("31.88693578767123287671232876712329");
  });

  it("reproduces the seed's $158k a year for an 8× H200 node", () => {
    // Seed 002, "Self-host break-even": $280k over 5 years ($56k/yr), 14 kW × 8,760 × $0.10 =
    // $12,264 (PUE 1: the seed's "power and cooling" is the raw draw), $15k colo/rack (given as
    // maintenance, a flat yearly amount), $75k ops → 158,264 a year, 791,320 over 5.
    expect(call("GPU_TCO", 280000, 5, 14, 0.1, 1, 0, 15000, 75000)).toBe("791320");
  });

  it("defaults power, PUE and kW from the contract and the catalogue", () => {
    // 8xh200-sxm: 330,000 + 3 × 10 kW × 1.4 × 8,760 × 0.10 = 330,000 + 3 × 12,264.
    expect(call("GPU_TCO", "8xh200-sxm", 3)).toBe("366792");
    // kw overrides the catalogue's 10 kW: 3 × 5 × 1.4 × 876 = 18,396.
    expect(call("GPU_TCO", "8xh200-sxm", 3, 5)).toBe("348396");
  });

  it("applies assumptions over the arguments: residual, load factor, overrides", () => {
    // Residual 55,000: capex (255,000 − 55,000) ÷ 2 = 100,000 a year; load factor 0.5 halves
    // power only: 10 × 0.5 × 1.4 × 8,760 × 0.10 = 6,132; colo on the provisioned 10 kW: 10 × 100 × 12.
    const assumptions = [
      ["residual", 55000],
      ["Load factor", 0.5], // labels as a finance sheet writes them
      [null, null], // a spacer row
      ["colo_per_kw_month", 100], // beats the argument's 999
    ];
    expect(call("GPU_TCO_LINES", "8xh100-sxm", 2, null, null, null, 999, null, null, null, assumptions)).toEqual([
      ["line", "year 1", "year 2", "total"],
      ["capex", "100000", "100000", "200000"],
      ["power", "6132", "6132", "12264"],
      ["colo", "12000", "12000", "24000"],
      ["maintenance", "0", "0", "0"],
      ["ops", "0", "0", "0"],
      ["total", "118132", "118132", "236264"],
    ]);
    // The hardware itself may come from the block: a capex number then needs kw.
    expect(call("GPU_TCO", "8xh100-sxm", 1, 0, ...omitted(6), [["hardware_or_capex", 1000]])).toBe("1000");
  });

  it("discounts to present value: capex at the start, running lines and residual at year ends", () => {
    // capex 300,000, residual 30,000, r = 10%, 3 years, ops 10,000 a year, no power.
    // PV = 300,000 − 30,000 ÷ 1.331 + 10,000 × (1/1.1 + 1/1.21 + 1/1.331)
    //    = 277,460.5559… + 24,868.5199… = 302,329.0758…
    // The capex row is the equivalent annual cost, (300,000 × 1.331 − 30,000) × 0.1 ÷ 0.331 =
    // 111,570.99… a year, discounted: 111,570.99… ÷ 1.1^k (computed in one division each).
    const lines = call("GPU_TCO_LINES", 300000, 3, 10, 0, 1, 0, 0, 10000, 0, [
      ["residual", 30000],
      ["discount_rate", 0.1],
    ]) as string[][];
    expect(lines[1]).toEqual([
      "capex",
      "101428.1790716836034056577863224389",
      "92207.43551971236673241616938403535",
      "83824.9413815566970294692448945776",
      "277460.5559729526671675432006010518",
    ]);
    expect(lines[5]).toEqual([
      "ops",
      "9090.909090909090909090909090909091",
      "8264.462809917355371900826446280992",
      "7513.14800901577761081893313298272",
      "24868.5199098422238918106686701728",
    ]);
    expect(lines[6][4]).toBe("302329.0758827948910593538692712246");
    // A zero rate is the undiscounted, straight-line table.
    expect(
      call("GPU_TCO", 300000, 3, 10, 0, 1, 0, 0, 10000, 0, [
        ["residual", 30000],
        ["discount_rate", 0],
      ]),
    ).toBe("300000");
    // So is a rate too small to move a 34-digit factor (1 + 1e-40 is 1), not a division by zero.
    expect(
      call("GPU_TCO", 300000, 3, 10, 0, 1, 0, 0, 10000, 0, [
        ["residual", 30000],
        ["discount_rate", 1e-40],
      ]),
    ).toBe("300000");
  });

  it("rises with every cost input and falls with residual (property)", () => {
    const inputs = fc.record({
      capex: fc.integer({ min: 0, max: 1_000_000 }),
      years: fc.integer({ min: 1, max: 8 }),
      kw: fc.integer({ min: 0, max: 40 }),
      priceCents: fc.integer({ min: 0, max: 40 }),
      pue: fc.integer({ min: 100, max: 200 }),
      colo: fc.integer({ min: 0, max: 1000 }),
      maintenance: fc.integer({ min: 0, max: 100_000 }),
      ops: fc.integer({ min: 0, max: 200_000 }),
      escalation: fc.integer({ min: -20, max: 20 }),
      residualShare: fc.integer({ min: 0, max: 90 }),
      loadFactor: fc.integer({ min: 0, max: 90 }),
      discount: fc.integer({ min: 0, max: 20 }),
    });
    type Inputs = typeof inputs extends fc.Arbitrary<infer T> ? T : never;
    const tco = (o: Inputs) =>
      dec("GPU_TCO", o.capex, o.years, o.kw, o.priceCents / 100, o.pue / 100, o.colo, o.maintenance, o.ops, o.escalation / 100, [
        ["residual", (o.capex * o.residualShare) / 100],
        ["load_factor", o.loadFactor / 100],
        ["discount_rate", o.discount / 100],
      ]);
    const costs = ["capex", "kw", "priceCents", "pue", "colo", "maintenance", "ops", "escalation", "loadFactor"] as const;
    fc.assert(
      fc.property(inputs, fc.constantFrom(...costs), fc.integer({ min: 1, max: 10 }), (o, key, step) => {
        const more = { ...o, [key]: o[key] + step };
        expect(tco(more).gte(tco(o))).toBe(true);
        if (o.capex > 0) expect(tco({ ...o, residualShare: o.residualShare + step }).lt(tco(o))).toBe(true);
      }),
    );
  });

  it("answers from its fast path what the decimal path answers (property)", () => {
    // A number as a worksheet holds it: n ÷ 10^places.
    const decimal = (max: number, places: number) =>
      fc.tuple(fc.nat(max), fc.integer({ min: 0, max: places })).map(([n, p]) => n / 10 ** p);
    const settings = fc.record({
      hardware: fc.oneof(fc.constantFrom("8xh100-sxm", "8xb200-sxm", "8xmi300x"), decimal(500_000, 2), fc.constant(-1)),
      years: fc.integer({ min: 1, max: 12 }),
      kw: fc.option(decimal(20, 2)),
      price: fc.option(decimal(100, 3)),
      pue: fc.option(decimal(100, 2).map((x) => 1 + x / 100)),
      colo: fc.option(decimal(400, 1)),
      maintenance: fc.option(decimal(100_000, 2)),
      ops: fc.option(decimal(100_000, 2)),
      escalation: fc.option(fc.integer({ min: -100, max: 100 }).map((x) => x / 100)),
      residual: fc.option(decimal(300_000, 2)),
      load: fc.option(decimal(100, 2).map((x) => x / 100)),
      discount: fc.oneof(fc.constant(0), fc.constant(null), fc.constant(0.08)),
    });
    fc.assert(
      fc.property(settings, (s) => {
        const assumptions = [
          ["residual", s.residual],
          ["load_factor", s.load],
          ["discount_rate", s.discount],
        ];
        const args = [s.hardware, s.years, s.kw, s.price, s.pue, s.colo, s.maintenance, s.ops, s.escalation, assumptions];
        // GPU_TCO_LINES has no fast path: its total cell is the decimal path's GPU_TCO.
        const lines = call("GPU_TCO_LINES", ...args);
        const slow = Array.isArray(lines) ? lines[6][s.years + 1] : lines;
        const fast = call("GPU_TCO", ...args);
        expect(fast).toBe(slow);
      }),
      { numRuns: 3000 },
    );
    // … and the fast path answers the bench's example.
    expect(invoke(FUNCTIONS.GPU_TCO, ["8xh100-sxm", 4, null, 0.12, 1.3, 150, 25_000, 40_000, 0.03])).not.toBeInstanceOf(Dec);
  });

  it("rejects bad input with the contract's errors, naming the argument", () => {
    expect(call("GPU_TCO", "8xh100", 3)).toBe(
      'NA: hardware_or_capex: unknown hardware "8xh100": did you mean 8xh100-sxm, 1xgh200 or 8xl40s?',
    );
    expect(call("GPU_TCO", 255000, 3)).toBe("VALUE: kw: is required when hardware_or_capex is a capex number");
    expect(call("GPU_TCO", -1, 3, 10)).toBe("VALUE: hardware_or_capex: must be ≥ 0 (or a catalogue id)");
    expect(call("GPU_TCO", "8xh100-sxm", 2.5)).toBe("VALUE: years: must be a whole number");
    expect(call("GPU_TCO", "8xh100-sxm", 0)).toBe("VALUE: years: must be ≥ 1");
    expect(call("GPU_TCO", "8xh100-sxm", 3, null, null, 0.9)).toBe("VALUE: pue: must be ≥ 1");
    expect(call("GPU_TCO", "8xh100-sxm", 3, -1)).toBe("VALUE: kw: must be ≥ 0");
    const withBlock = (rows: unknown[][]) => call("GPU_TCO", "8xh100-sxm", 3, ...omitted(7), rows);
    expect(withBlock([["salvage", 1]])).toBe(
      'VALUE: assumptions: unknown name "salvage" (use hardware_or_capex, years, kw, power_price_kwh, pue, ' +
        "colo_per_kw_month, maintenance_per_year, ops_per_year, annual_escalation, residual, load_factor, discount_rate)",
    );
    expect(withBlock([["pue", 0.9]])).toBe("VALUE: assumptions: pue: must be ≥ 1");
    expect(withBlock([["load_factor", 1.5]])).toBe("VALUE: assumptions: load_factor: must be ≤ 1");
    expect(
      withBlock([
        ["residual", 1],
        ["RESIDUAL", 2],
      ]),
    ).toBe("VALUE: assumptions: residual is given twice");
    expect(withBlock([["residual", 1, 2]])).toBe("VALUE: assumptions: must be two columns: name, value");
    expect(withBlock([["residual", 300000]])).toBe("VALUE: residual: must not exceed the capex (255000)");
    expect(withBlock([["discount_rate", -1]])).toBe("VALUE: assumptions: discount_rate: must be > -1");
  });
});

describe("the TCO's running lines", () => {
  it("skip a factor of 1 without changing a digit (property)", () => {
    // The lines as written before the shortcut: × (1+e)^(k−1) and ÷ (1+r)^k every year.
    const reference = (t: TcoInputs) => {
      const escalation = [ONE];
      const growth = [ONE];
      for (let k = 1; k <= t.years; k++) {
        escalation.push(escalation[k - 1].times(ONE.plus(t.annualEscalation)));
        growth.push(growth[k - 1].times(ONE.plus(t.discountRate)));
      }
      const running = (first: Dec) =>
        escalation.slice(0, t.years).map((e, i) =>
          first
            .times(e)
            .div(growth[i + 1])
            .toString(),
        );
      return [running(t.maintenancePerYear), running(t.opsPerYear)];
    };
    const amount = fc.integer({ min: 0, max: 10_000_000 }).map((n) => new Dec(n).div(100));
    const rate = fc.constantFrom("0", "0", "0.03", "0.08", "-0.05", "0.333").map((r) => new Dec(r));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), amount, amount, rate, rate, (years, maintenance, ops, escalation, discount) => {
        const t: TcoInputs = {
          capex: new Dec(300_000),
          years,
          kw: new Dec("10.2"),
          powerPriceKwh: new Dec("0.1"),
          pue: new Dec("1.4"),
          coloPerKwMonth: ZERO,
          maintenancePerYear: maintenance,
          opsPerYear: ops,
          annualEscalation: escalation,
          residual: ZERO,
          loadFactor: ONE,
          discountRate: discount,
        };
        const b = tcoBreakdown(t);
        expect([b.maintenance.map(String), b.ops.map(String)]).toEqual(reference(t));
      }),
    );
  });
});

describe("GPU_TCO and GPU_HOURLY remembered by their inputs", () => {
  it("answer a repeat exactly what a fresh breakdown answers (property)", () => {
    const money = fc.integer({ min: 0, max: 100_000_000 }).map((n) => n / 100);
    fc.assert(
      fc.property(
        fc.tuple(
          money,
          fc.integer({ min: 1, max: 10 }),
          money,
          fc.constantFrom(0.1, 0.12, 0.3),
          fc.constantFrom(1, 1.3),
          money,
          money,
          money,
        ),
        fc.constantFrom(0, 0.03, -0.1),
        ([capex, years, kw, price, pue, colo, maintenance, ops], escalation) => {
          const args = [capex, years, kw, price, pue, colo, maintenance, ops, escalation];
          const d = (n: number) => new Dec(n);
          const t: TcoInputs = {
            capex: d(capex),
            years,
            kw: d(kw),
            powerPriceKwh: d(price),
            pue: d(pue),
            coloPerKwMonth: d(colo),
            maintenancePerYear: d(maintenance),
            opsPerYear: d(ops),
            annualEscalation: d(escalation),
            residual: ZERO,
            loadFactor: ONE,
            discountRate: ZERO,
          };
          const total = tcoTotal(tcoBreakdown(t));
          for (let repeat = 0; repeat < 2; repeat++) {
            expect(call("GPU_TCO", ...args)).toBe(total.toString());
            expect(call("GPU_HOURLY", ...args)).toBe(total.div(new Dec(8760).times(years)).toString());
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("RENT_COST", () => {
  it("rents at the catalogue's or a given hourly rate", () => {
    // Seed 002: "3 years of 24×7 rental at $20/hour: $175k × 3 = $525k" — exactly 20 × 8,760 × 3.
    expect(call("RENT_COST", "8xh100-sxm", 3)).toBe("525600");
    // Half the hours, 18 months: 30 × 8,760 × 1.5 × 0.5.
    expect(call("RENT_COST", 30, 1.5, 0.5)).toBe("197100");
  });

  it("rejects bad input", () => {
    expect(call("RENT_COST", -5, 1)).toBe("VALUE: hardware_or_hourly: must be ≥ 0 (or a catalogue id)");
    expect(call("RENT_COST", "8xh100-sxm", 1, 1.2)).toBe("VALUE: utilisation: must be ≤ 1");
    expect(call("RENT_COST", "tpu", 1)).toMatch(/^NA: hardware_or_hourly: unknown hardware "tpu": did you mean /);
    expect(call("RENT_COST", "8xh100-sxm", 3, 1, -1.5)).toBe("VALUE: annual_price_change: must be ≥ -1");
    expect(call("RENT_COST", "8xh100-sxm", 3, 1, 0, -1)).toBe("VALUE: discount_rate: must be > -1");
    expect(call("RENT_COST", "8xh100-sxm", 2.5, 1, -0.2)).toBe(
      "VALUE: years: must be a whole number with an annual_price_change or a discount_rate",
    );
    expect(call("RENT_COST", "8xh100-sxm", 2.5, 1, 0, 0.08)).toBe(
      "VALUE: years: must be a whole number with an annual_price_change or a discount_rate",
    );
  });

  it("lets the rate change every year (rent that falls)", () => {
    // $20/hour falling 20% a year: 175,200 × (1 + 0.8 + 0.64) = 175,200 × 2.44 = 427,488.
    expect(call("RENT_COST", "8xh100-sxm", 3, 1, -0.2)).toBe("427488");
    // Without a change, the same as before, fractional years and all.
    expect(call("RENT_COST", "8xh100-sxm", 3, 1, 0, 0)).toBe("525600");
    expect(call("RENT_COST", 30, 1.5, 0.5, 0, 0)).toBe("197100");
  });

  it("discounts each year's rent, paid at its end, as GPU_TCO does", () => {
    // 175,200 × (1/1.1 + 0.8/1.1² + 0.64/1.1³) = 175,200 × (1.1³ − 0.8³) ÷ ((0.1 + 0.2) × 1.1³)
    // = 175,200 × 0.819 ÷ 0.3993: so the result × 0.3993 is 143,488.8.
    const pv = dec("RENT_COST", "8xh100-sxm", 3, 1, -0.2, 0.1);
    expect(pv.times("0.3993").minus("143488.8").abs().lt("1e-25")).toBe(true);
    // A rate growing as fast as the discount: each year is worth 175,200 ÷ 1.1 today.
    expect(dec("RENT_COST", "8xh100-sxm", 3, 1, 0.1, 0.1).times("1.1").minus(525_600).abs().lt("1e-25")).toBe(true);
  });

  it("equals GPU_TCO's running line of the same yearly cost (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: -90, max: 90 }),
        fc.integer({ min: -50, max: 50 }),
        fc.integer({ min: 1, max: 100 }),
        (years, changePct, discountPct, hourly) => {
          const change = changePct / 100;
          const rate = discountPct / 100;
          const rent = dec("RENT_COST", hourly, years, 1, change, rate);
          // GPU_TCO with nothing but ops of hourly × 8,760 a year, escalating and discounted alike.
          const tco = dec("GPU_TCO", 0, years, 0, 0, 1, 0, 0, hourly * 8760, change, [["discount_rate", rate]]);
          expect(rent.minus(tco).abs().lte(tco.abs().times("1e-28"))).toBe(true);
        },
      ),
    );
  });
});

describe("CAPACITY_PLAN", () => {
  const demand = [[100], [200], [300], [400], [1000]];

  it("sizes to the percentile plus headroom and says how the demand fits", () => {
    // PERCENTILE.INC at 0.95 of 100 … 1,000: rank 0.95 × 4 = 3.8, 400 + 0.8 × 600 = 880; × 1.2 = 1,056;
    // ÷ 150 per unit = 7.04 → 8 units, 1,200 tokens/s. Nothing exceeds it: utilisation 2,000 ÷ (5 × 1,200).
    // (Seed 002's table sizes steady B2B SaaS at "P95 + 20%", the defaults; its "P95 + 30%" gives
    // 880 × 1.3 = 1,144 → 7.63 → 8 units as well.)
    expect(call("CAPACITY_PLAN", demand, 150)).toEqual([
      ["units", "8"],
      ["capacity", "1200"],
      ["utilisation", new Dec(1).div(3).toString()],
      ["samples_over", "0"],
      ["unserved_share", "0"],
    ]);
    expect(call("CAPACITY_PLAN", demand, 150, 0.95, 0.3)[0]).toEqual(["units", "8"]);
    // At the median with no headroom: 300 → 2 units, 300 tokens/s. Served 100 + 200 + 300 × 3 = 1,200 of
    // 1,500 possible: 0.8; 400 and 1,000 exceed it; unserved (100 + 700) ÷ 2,000 = 0.4.
    expect(call("CAPACITY_PLAN", demand, 150, 0.5, 0)).toEqual([
      ["units", "2"],
      ["capacity", "300"],
      ["utilisation", "0.8"],
      ["samples_over", "2"],
      ["unserved_share", "0.4"],
    ]);
  });

  it("answers 0 units, utilisation and unserved share for no demand", () => {
    expect(call("CAPACITY_PLAN", [[0], [0], [null]], 150)).toEqual([
      ["units", "0"],
      ["capacity", "0"],
      ["utilisation", "0"],
      ["samples_over", "0"],
      ["unserved_share", "0"],
    ]);
  });

  it("rejects bad input naming the argument", () => {
    expect(call("CAPACITY_PLAN", demand, 0)).toBe("VALUE: unit_tokens_per_second: must be > 0");
    expect(call("CAPACITY_PLAN", demand, 150, 1.5)).toBe("VALUE: percentile: must be ≤ 1");
    expect(call("CAPACITY_PLAN", demand, 150, 0.95, -0.1)).toBe("VALUE: headroom: must be ≥ 0");
    expect(call("CAPACITY_PLAN", [[100], [null], [300]], 150)).toBe("VALUE: demand: cell 2 is blank (enter 0 if that is the value)");
    expect(call("CAPACITY_PLAN", [[100], [-1]], 150)).toBe("VALUE: demand, cell 2: must be ≥ 0");
    expect(call("CAPACITY_PLAN", [[null], [null]], 150)).toBe("VALUE: demand: needs at least one sample");
    expect(
      call(
        "CAPACITY_PLAN",
        [
          [1, 2],
          [3, 4],
        ],
        150,
      ),
    ).toBe("VALUE: demand: must be a single column or row");
  });

  it("leaves at most the samples above the percentile over capacity, and serves all with headroom ≥ 0 at percentile 1 (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(100_000), { minLength: 1, maxLength: 50 }), fc.integer({ min: 1, max: 5000 }), (d, unit) => {
        const rows = call(
          "CAPACITY_PLAN",
          d.map((x) => [x]),
          unit,
          1,
          0,
        ) as string[][];
        expect(rows[3]).toEqual(["samples_over", "0"]);
        expect(rows[4]).toEqual(["unserved_share", "0"]);
        const u = new Dec(rows[2][1]);
        expect(u.gte(0) && u.lte(1)).toBe(true);
      }),
    );
  });
});

describe("HYBRID_COST", () => {
  const demand = [[100], [200], [300], [400], [1000]];

  it("owns the base and sends the overflow to the API", () => {
    // 2 units × 150 = 300 tokens/s owned; overflow 100 + 700 = 800 tokens/s × 3,600 s × $1/M = 2.88;
    // the fleet 2 × $2 × 1 h × 5 samples = 20. Total 22.88.
    expect(call("HYBRID_COST", demand, 2, 150, 2, 1)).toBe("22.88");
    // No units: 2,000 × 3,600 × $1/M = 7.2, all API.
    expect(call("HYBRID_COST", demand, 0, 150, 2, 1)).toBe("7.2");
    // Half-hour samples halve both parts.
    expect(call("HYBRID_COST", demand, 2, 150, 2, 1, 0.5)).toBe("11.44");
  });

  it("finds the cheapest fleet over units_owned", () => {
    // At $10/M: 10 n + overflow × 0.036. n = 0: 2,000 × 0.036 = 72; 1: 10 + 1,300 × 0.036 = 56.8;
    // 2: 20 + 800 × 0.036 = 48.8; 3: 30 + 550 × 0.036 = 49.8; 4: 40 + 400 × 0.036 = 54.4. Two units.
    const costs = [0, 1, 2, 3, 4].map((n) => call("HYBRID_COST", demand, n, 150, 2, 10));
    expect(costs).toEqual(["72", "56.8", "48.8", "49.8", "54.4"]);
    // Fractional units are allowed, so SOLVE can search them: 0.5 units = 75 tokens/s, 5 × $1 fleet;
    // overflow 25 + 125 + 225 + 325 + 925 = 1,625 × 0.036 = 58.5; total 63.5.
    expect(call("HYBRID_COST", demand, 0.5, 150, 2, 10)).toBe("63.5");
  });

  it("with no owned units is the pure API cost, whatever the fleet costs (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(1_000_000), { minLength: 1, maxLength: 48 }),
        fc.nat(10_000),
        fc.nat(1000),
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 1, max: 24 }),
        (d, unit, hourly, priceCents, hours) => {
          const price = priceCents / 100;
          const api = d
            .reduce((acc, x) => acc.plus(x), new Dec(0))
            .times(3600)
            .times(hours)
            .times(new Dec(priceCents).div(100))
            .div(1e6);
          expect(
            dec(
              "HYBRID_COST",
              d.map((x) => [x]),
              0,
              unit,
              hourly,
              price,
              hours,
            ).eq(api),
          ).toBe(true);
        },
      ),
    );
  });

  it("rejects bad input naming the argument", () => {
    expect(call("HYBRID_COST", demand, -1, 150, 2, 1)).toBe("VALUE: units_owned: must be ≥ 0");
    expect(call("HYBRID_COST", demand, 2, -150, 2, 1)).toBe("VALUE: unit_tokens_per_second: must be ≥ 0");
    expect(call("HYBRID_COST", demand, 2, 150, -2, 1)).toBe("VALUE: unit_hourly_cost: must be ≥ 0");
    expect(call("HYBRID_COST", demand, 2, 150, 2, -1)).toBe("VALUE: api_price_per_m: must be ≥ 0");
    expect(call("HYBRID_COST", demand, 2, 150, 2, 1, 0)).toBe("VALUE: hours_per_sample: must be > 0");
    expect(call("HYBRID_COST", [["a lot"]], 2, 150, 2, 1)).toBe('VALUE: demand, cell 1: must be a number, got text "a lot"');
  });
});

describe("SELFHOST_COSTPERM", () => {
  it("prices a token from the hourly cost and throughput (seed 002)", () => {
    // $20/h ÷ (3,000 tok/s × 3,600) × 10^6 = 1.8518…: the seed's $1.85/M. The seed's table says
    // "assuming 60% utilisation" but its $1.85 is the 100% figure; at 60% it is 3.0864…
    expect(call("SELFHOST_COSTPERM", 20, 3000)).toBe("1.851851851851851851851851851851852");
    expect(call("SELFHOST_COSTPERM", 20, 3000, 0.6)).toBe("3.08641975308641975308641975308642");
  });

  it("falls as utilisation rises (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 1, max: 99 }),
        fc.integer({ min: 1, max: 100 }),
        (hourly, tps, u, du) => {
          const lower = dec("SELFHOST_COSTPERM", hourly, tps, u / 100);
          const higher = dec("SELFHOST_COSTPERM", hourly, tps, Math.min(100, u + du) / 100);
          expect(higher.lt(lower)).toBe(true);
        },
      ),
    );
  });

  it("rejects bad input", () => {
    expect(call("SELFHOST_COSTPERM", 20, 0)).toBe("NUM: tokens_per_second: zero throughput has no cost per token");
    expect(call("SELFHOST_COSTPERM", 20, 3000, 0)).toBe("VALUE: utilisation: must be > 0");
    expect(call("SELFHOST_COSTPERM", 20, 3000, 1.01)).toBe("VALUE: utilisation: must be ≤ 1");
    expect(call("SELFHOST_COSTPERM", -20, 3000)).toBe("VALUE: hourly_cost: must be ≥ 0");
  });
});

describe("SELFHOST_BREAKEVEN", () => {
  it("finds the token volume where API spend meets the self-hosting cost (seed 002)", () => {
    // $158k ÷ $8/M = 19.75B tokens a year (the seed's "~20 billion tokens/year").
    expect(call("SELFHOST_BREAKEVEN", 158000, 8)).toBe("19750000000");
    // With the model, the blend is 0.7 × $3 + 0.3 × $15 = $6.60/M (the seed's "$8/M mixed" is a
    // 5/12 output share): 158,000 ÷ 6.6 × 10^6.
    expect(call("SELFHOST_BREAKEVEN", 158000, "anthropic/claude-sonnet-4-6")).toBe("23939393939.39393939393939393939394");
    // output_share 5/12 would give the seed's $8; 0.5 gives $9/M.
    expect(call("SELFHOST_BREAKEVEN", 9000, "anthropic/claude-sonnet-4-6", 0.5)).toBe("1000000000");
  });

  it("rejects bad input", () => {
    expect(call("SELFHOST_BREAKEVEN", 158000, 0)).toBe(
      "NUM: api_price_or_model: at a price of 0 the API always costs less, so self-hosting never breaks even",
    );
    expect(call("SELFHOST_BREAKEVEN", 158000, "claude-sonet-4-6")).toBe(
      'NA: api_price_or_model: unknown model "claude-sonet-4-6": did you mean anthropic/claude-sonnet-4-6, anthropic/claude-opus-4-7 or anthropic/claude-haiku-4-5?',
    );
    expect(call("SELFHOST_BREAKEVEN", 158000, -8)).toBe("VALUE: api_price_or_model: must be ≥ 0 (or a catalogue id)");
    expect(call("SELFHOST_BREAKEVEN", 158000, 8, 1.5)).toBe("VALUE: output_share: must be ≤ 1");
  });
});

describe("GPUS_NEEDED", () => {
  it("rounds the units up", () => {
    // 10,000 × 1.3 ÷ 3,000 = 4.33… → 5; 3,000 × 1.3 ÷ 1,300 = 3 exactly → 3.
    expect(call("GPUS_NEEDED", 10000, 3000)).toBe("5");
    expect(call("GPUS_NEEDED", 3000, 1300)).toBe("3");
    expect(call("GPUS_NEEDED", 0, 1300)).toBe("0");
  });

  it("serves the peak with headroom, with no unit to spare (property)", () => {
    const amount = fc.double({ min: 0, max: 1e9, noNaN: true });
    fc.assert(
      fc.property(amount, fc.double({ min: 1e-3, max: 1e6, noNaN: true }), fc.double({ min: 0, max: 2, noNaN: true }), (peak, unit, h) => {
        const n = dec("GPUS_NEEDED", peak, unit, h);
        const need = new Dec(String(peak)).times(new Dec(String(h)).plus(1));
        const perUnit = new Dec(String(unit));
        expect(n.times(perUnit).gte(need)).toBe(true);
        if (n.gt(0)) expect(n.minus(1).times(perUnit).lt(need)).toBe(true);
      }),
    );
  });

  it("rejects zero throughput", () => {
    expect(call("GPUS_NEEDED", 1000, 0)).toBe("NUM: tokens_per_second_per_unit: zero throughput cannot serve any peak");
    expect(call("GPUS_NEEDED", 1000, 100, -0.1)).toBe("VALUE: headroom: must be ≥ 0");
  });
});

describe("KVCACHE_BYTES", () => {
  it("sizes the Llama-70B KV cache (seed 002)", () => {
    // No GQA (64 KV heads × 128 = hidden 8,192): 2 × 80 × 64 × 128 × 2 = 2,621,440 B ≈ 2.6 MB a token.
    expect(call("KVCACHE_BYTES", 80, 64, 128, 1)).toBe("2621440");
    // 8 KV heads at 128k = 131,072 tokens: 327,680 × 131,072 = 42.9 GB (the seed's "42 GB").
    // The seed's 333 GB without GQA is a slip: 2,621,440 × 128,000 = 335.5 GB (343.6 GB at 131,072).
    expect(call("KVCACHE_BYTES", 80, 8, 128, 131072)).toBe("42949672960");
    // FP8 KV halves it.
    expect(call("KVCACHE_BYTES", 80, 8, 128, 131072, 1)).toBe("21474836480");
  });

  it("rejects bad input", () => {
    expect(call("KVCACHE_BYTES", 80.5, 8, 128, 1)).toBe("VALUE: layers: must be a whole number");
    expect(call("KVCACHE_BYTES", 80, 0, 128, 1)).toBe("VALUE: kv_heads: must be ≥ 1");
    expect(call("KVCACHE_BYTES", 80, 8, 128, -1)).toBe("VALUE: tokens: must be ≥ 0");
    expect(call("KVCACHE_BYTES", 80, 8, 128, 1, 0)).toBe("VALUE: bytes_per_element: must be > 0");
  });
});

describe("DECODE_TPS", () => {
  // 8xh100-sxm at efficiency 0.6: 0.6 × 8 × 3.35 TB/s = 16.08e12 B/s; FP8 0.6 × 8 × 1,979 TFLOPS
  // = 9.4992e15 FLOP/s; BF16 0.6 × 8 × 989 = 4.7472e15.
  it("is memory-bound at batch 1", () => {
    // 70 GB of FP8 weights a step: 16.08e12 ÷ 70e9 = 229.71 tok/s.
    expect(call("DECODE_TPS", "8xh100-sxm", 70, 1)).toBe("229.7142857142857142857142857142857");
  });

  it("adds the batch's KV reads to each step", () => {
    // 16 × 2,000 tokens × 327,680 B = 10,485,760,000 B of KV on top of the 70e9 B of weights:
    // 16 × 16.08e12 ÷ 80,485,760,000 = 3,196.59 tok/s.
    expect(call("DECODE_TPS", "8xh100-sxm", 70, 1, 16, 2000, 327680)).toBe("3196.590303676078849227490676611614");
  });

  it("hits the compute roof at large batch, FP8 where the hardware has it", () => {
    // Compute roof, whatever the batch: FLOP/s ÷ (2 × 70e9). FP8: 9.4992e15 ÷ 140e9 = 67,851.43;
    // memory would allow 1,000 × 16.08e12 ÷ 70e9 = 229,714.
    expect(call("DECODE_TPS", "8xh100-sxm", 70, 1, 1000)).toBe("67851.42857142857142857142857142857");
    // BF16 weights use the BF16 roof: 4.7472e15 ÷ 140e9 = 33,908.57.
    expect(call("DECODE_TPS", "8xh100-sxm", 70, 2, 1000)).toBe("33908.57142857142857142857142857143");
    // The A100 has no FP8: FP8 weights still run at BF16, 0.6 × 8 × 312e12 ÷ 140e9 = 10,697.14.
    expect(call("DECODE_TPS", "8xa100-80gb", 70, 1, 1000)).toBe("10697.14285714285714285714285714286");
  });

  it("rejects bad input", () => {
    expect(call("DECODE_TPS", "h100", 70)).toMatch(/^NA: hardware: unknown hardware "h100": did you mean /);
    expect(call("DECODE_TPS", 8, 70)).toBe("VALUE: hardware: must be text, got number");
    expect(call("DECODE_TPS", "8xh100-sxm", 0)).toBe("VALUE: params_billion: must be > 0");
    expect(call("DECODE_TPS", "8xh100-sxm", 70, 1, 0.5)).toBe("VALUE: batch: must be ≥ 1");
    expect(call("DECODE_TPS", "8xh100-sxm", 70, 1, 1, 0, 0, 0)).toBe("VALUE: efficiency: must be > 0");
  });
});
