import Decimal from "decimal.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as dd from "../src/doubledouble";

/** Wide enough for every exact sum or product of the doubles drawn here. */
const D = Decimal.clone({ precision: 200 });
/** decimal.js at 40 digits, the reference for exp. */
const D40 = Decimal.clone({ precision: 40 });

/** A double's exact value (its binary expansion), not the decimal of its shortest text. */
const exact = (d: number) => (d < 0 ? new D(`0b${(-d).toString(2)}`).neg() : new D(`0b${d.toString(2)}`));
const result = () => exact(dd.out.hi).plus(exact(dd.out.lo));
/** |got − want| ÷ |want| in units of u² = 2^−106. */
const errorInU2 = (got: Decimal, want: Decimal) => got.minus(want).div(want).abs().times(new D(2).pow(106)).toNumber();

/**
 * A double-double whose low part is within half an ulp of its high part, and 0 or above 2^−30
 * of one (so that the exact values here fit D's 200 digits).
 */
const pair = (lo: number, hi: number) =>
  fc.tuple(fc.double({ min: lo, max: hi, noNaN: true }), fc.double({ min: -0.5, max: 0.5, noNaN: true })).map(([h, f]) => {
    dd.twoSum(h, Math.abs(f) < 2 ** -30 ? 0 : h * f * 2 ** -53);
    return [dd.out.hi, dd.out.lo] as const;
  });
const magnitude = fc.double({ min: 1e-10, max: 1e10, noNaN: true });
const signed = fc.tuple(magnitude, fc.boolean()).map(([m, neg]) => (neg ? -m : m));

describe("error-free transformations", () => {
  it("twoSum and twoProd lose nothing (property)", () => {
    fc.assert(
      fc.property(signed, signed, (a, b) => {
        dd.twoSum(a, b);
        expect(result().eq(exact(a).plus(exact(b)))).toBe(true);
        dd.twoProd(a, b);
        expect(result().eq(exact(a).times(exact(b)))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it("splits exactly at the edges (Dekker's 2^27 + 1)", () => {
    // (2^53 − 1)² = 2^106 − 2^54 + 1: the high part 2^106 − 2^54, the low part 1.
    dd.twoProd(2 ** 53 - 1, 2 ** 53 - 1);
    expect([dd.out.hi, dd.out.lo]).toEqual([2 ** 106 - 2 ** 54, 1]);
    // 1 + 2^−60 has no double: 1 and 2^−60 exactly.
    dd.twoSum(1, 2 ** -60);
    expect([dd.out.hi, dd.out.lo]).toEqual([1, 2 ** -60]);
  });
});

describe("double-double operations", () => {
  it("stay within their published bounds: add 3u², mul 7u², mulFp 3u², divFp 3.5u², div 13u², addFp 2u² (property)", () => {
    fc.assert(
      fc.property(pair(1e-10, 1e10), pair(-1e10, -1e-10), fc.boolean(), signed, (x, y, flip, z) => {
        const [xh, xl] = x;
        const [yh, yl] = flip ? [-y[0], -y[1]] : y;
        const [X, Y, Z] = [exact(xh).plus(exact(xl)), exact(yh).plus(exact(yl)), exact(z)];
        dd.add(xh, xl, yh, yl);
        if (!X.plus(Y).isZero()) expect(errorInU2(result(), X.plus(Y))).toBeLessThanOrEqual(3);
        dd.mul(xh, xl, yh, yl);
        expect(errorInU2(result(), X.times(Y))).toBeLessThanOrEqual(7);
        dd.mulFp(xh, xl, z);
        expect(errorInU2(result(), X.times(Z))).toBeLessThanOrEqual(3);
        dd.divFp(xh, xl, z);
        expect(errorInU2(result(), X.div(Z))).toBeLessThanOrEqual(3.5);
        dd.div(xh, xl, yh, yl);
        expect(errorInU2(result(), X.div(Y))).toBeLessThanOrEqual(13);
        dd.addFp(xh, xl, z);
        if (!X.plus(Z).isZero()) expect(errorInU2(result(), X.plus(Z))).toBeLessThanOrEqual(2);
      }),
      { numRuns: 2000 },
    );
  });

  it("scales by powers of ten in steps of exact ones", () => {
    // 3 × 10^−30: 3 ÷ 10^22 ÷ 10^8, within 7u² of the decimal.
    dd.mulPow10(3, 0, -30);
    expect(errorInU2(result(), new D("3e-30"))).toBeLessThanOrEqual(7);
    dd.mulPow10(7, 0, 25);
    expect(result().eq(new D("7e25"))).toBe(true); // 7 × 10^22 × 10^3 = 7e25 needs 59 bits: exact in two.
  });
});

describe("Ziv's rounding test", () => {
  it("accepts only intervals strictly inside half an ulp, which is halved below a power of two", () => {
    // Above 1 the ulp is 2^−52, below it 2^−53: 1 + 2^−54 rounds to 1, 1 − 2^−54 is a tie.
    expect(dd.roundsTo(1, 2 ** -54, 0)).toBe(true);
    expect(dd.roundsTo(1, -(2 ** -54) + 2 ** -80, 0)).toBe(true);
    expect(dd.roundsTo(1, -(2 ** -54), 0)).toBe(false);
    expect(dd.roundsTo(1.5, -(2 ** -53) + 2 ** -80, 0)).toBe(true);
    expect(dd.roundsTo(1.5, -(2 ** -53) + 2 ** -80, 2 ** -79)).toBe(false);
    expect(dd.roundsTo(-1, 2 ** -54, 0)).toBe(false);
    expect(dd.roundsTo(-1, -(2 ** -54), 0)).toBe(true);
  });

  it("halves the room below only at a power of two, not just above one (1 + p with a tiny p)", () => {
    // 1 + 2^−40 is no power of two (its bit lies in the low word): the ulp below is 2^−52 too, so
    // 2^−54 below lies inside half of it; at 1 itself it is the tie.
    expect(dd.roundsTo(1 + 2 ** -40, -(2 ** -54), 2 ** -80)).toBe(true);
    expect(dd.roundsTo(1 + 2 ** -40, -(2 ** -53), 0)).toBe(false);
    expect(dd.roundsTo(2 + 2 ** -30, -(2 ** -53), 2 ** -79)).toBe(true);
  });

  it("when it accepts, both ends of the interval round to hi (property)", () => {
    fc.assert(
      fc.property(pair(-1e10, 1e10), fc.double({ min: 0, max: 2 ** -40, noNaN: true }), ([hi, lo], relErr) => {
        const err = Math.abs(hi) * relErr;
        if (hi === 0 || !dd.roundsTo(hi, lo, err)) return;
        const mid = exact(hi).plus(exact(lo));
        for (const end of [mid.minus(exact(err)), mid.plus(exact(err))]) expect(Number(end.toString())).toBe(hi);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("exp", () => {
  const bound = (x: number) => 128 + 4 * Math.abs(x);

  it("carries ln 2 to 5.7e−34", () => {
    // ln 2 − 0.6931471805599453 (the double) − 2.3190468138462996e−17, decimal.js at 60 digits.
    const ln2 = Decimal.clone({ precision: 60 }).ln(2);
    expect(new D(ln2).minus(exact(Math.LN2)).minus(exact(2.3190468138462996e-17)).abs().lt("6e-34")).toBe(true);
  });

  it("matches e, 1/e and the values CACHE_WRITES meets, to decimal.js at 40 digits", () => {
    // e and 1/e to 40 digits (OEIS A001113, A068985).
    dd.exp(1, 0);
    expect(errorInU2(result(), new D("2.718281828459045235360287471352662497757"))).toBeLessThanOrEqual(bound(1));
    dd.exp(-1, 0);
    expect(errorInU2(result(), new D("0.3678794411714423215955237701614608674458"))).toBeLessThanOrEqual(bound(1));
    // e^0 is 1 exactly; e^(−3.4722…) is the seed's 1,000 calls a day at a 5-minute TTL.
    dd.exp(0, 0);
    expect([dd.out.hi, dd.out.lo]).toEqual([1, 0]);
    for (const x of [-1000 / 288, -500 / 24, -0.5, 0.34657359, -0.34657359, 1e-20, -41.666666666666664, 100, -600, 600]) {
      dd.exp(x, 0);
      expect(errorInU2(result(), new D40(exact(x)).exp())).toBeLessThanOrEqual(bound(x));
    }
  });

  it("is NaN past ±600, where its low part would leave the normal range", () => {
    dd.exp(-601, 0);
    expect(dd.out.hi).toBeNaN();
    dd.exp(Number.NaN, 0);
    expect(dd.out.hi).toBeNaN();
  });

  it("is within (128 + 4|x|)u² of decimal.js at 40 digits (property)", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          pair(-600, 600),
          pair(-1, 1),
          fc.integer({ min: -866, max: 866 }).map((k) => [k * Math.LN2 * 0.5, 0] as const),
        ),
        ([xh, xl]) => {
          dd.exp(xh, xl);
          const want = new D40(exact(xh).plus(exact(xl))).exp();
          expect(errorInU2(result(), new D(want))).toBeLessThanOrEqual(bound(xh));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
