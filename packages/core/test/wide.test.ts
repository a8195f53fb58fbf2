import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Dec, Fixed, fromNumber } from "../src/decimal";
import { Wide, WideAcc, nearestQuotient, wideOf } from "../src/wide";

/** Any finite double, and the kinds a sheet holds: typed decimals and 17-digit formula results. */
const doubles = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.tuple(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 22 })).map(([n, p]) => n / 10 ** p),
  fc.tuple(fc.integer({ min: 0, max: 999 }), fc.integer({ min: 1, max: 999 })).map(([a, b]) => 0.05 + a / b),
  fc.constantFrom(0.060000000000000005, 0.1 + 0.2, 2 ** 53, 2 ** 53 + 2, 2 ** 60, 1e21, 1e-7, 5e-324, -0),
);

describe("wideOf", () => {
  it("reads a double as the decimal fromNumber reads, or not at all (property)", () => {
    let read = 0;
    fc.assert(
      fc.property(doubles, (n) => {
        const w = wideOf(n);
        if (w === undefined) return;
        read++;
        expect(w.toDec().eq(fromNumber(n))).toBe(true);
      }),
      { numRuns: 20_000 },
    );
    expect(read).toBeGreaterThan(10_000);
    // 17 significant digits (GRID's 0.05 + 10/1000) are read too.
    expect(wideOf(0.060000000000000005)?.toDec().toString()).toBe("0.060000000000000005");
  });

  it("reads a double again, after others, as it read it first (property)", () => {
    // A GRID's column values come back on every row: the second reading is remembered.
    fc.assert(
      fc.property(fc.array(doubles, { minLength: 1, maxLength: 50 }), (ns) => {
        const first = ns.map((n) => wideOf(n)?.toDec().toString());
        const again = ns.map((n) => wideOf(n)?.toDec().toString());
        expect(again).toEqual(first);
      }),
      { numRuns: 2_000 },
    );
  });
});

/** A random Wide: units of any size below 2^103 at a scale up to 44. */
const wides = fc
  .tuple(
    fc.constantFrom(20n, 53n, 60n, 80n, 103n).chain((bits) => fc.bigInt({ min: 0n, max: 2n ** bits - 1n })),
    fc.integer({ min: 0, max: 44 }),
  )
  .map(([units, scale]) => {
    const hi = Number(units);
    return new Wide(hi, Number(units - BigInt(hi)), scale);
  });

describe("WideAcc and nearestQuotient", () => {
  it("multiply and add exactly, or say they cannot (property)", () => {
    const done = { sums: 0, products: 0 };
    fc.assert(
      fc.property(wides, wides, doubles, (a, b, n) => {
        const sum = new WideAcc().set(a).plus(b);
        if (sum.ok) done.sums++;
        if (sum.ok) expect(new Wide(sum.hi, sum.lo, sum.scale).toDec().eq(a.toDec().plus(b.toDec()))).toBe(true);
        const product = new WideAcc().set(a).timesDouble(n);
        if (product.ok) done.products++;
        if (product.ok) expect(new Wide(product.hi, product.lo, product.scale).toDec().eq(a.toDec().times(fromNumber(n)))).toBe(true);
      }),
      { numRuns: 5_000 },
    );
    expect(done.sums).toBeGreaterThan(1_000);
    expect(done.products).toBeGreaterThan(1_000);
  });

  it("take a Fixed as its exact decimal", () => {
    // 123,456 × 10^−5 = 1.23456; a failed accumulator is usable again once set.
    const acc = new WideAcc().setDouble(1e21);
    expect(acc.ok).toBe(false);
    acc.setFixed(new Fixed(123_456, 5));
    expect(acc.ok).toBe(true);
    expect(new Wide(acc.hi, acc.lo, acc.scale).toDec().toString()).toBe("1.23456");
  });

  it("answer the double nearest a quotient, or nothing (property)", () => {
    const Wider = Dec.clone({ precision: 80 });
    let decided = 0;
    fc.assert(
      fc.property(wides, wides, (a, b) => {
        const q = nearestQuotient(a, b, 0);
        if (q === undefined) return;
        decided++;
        // 80 digits settle the rounding of these quotients (none lies that close to a midpoint).
        expect(q).toBe(new Wider(a.toDec().toFixed()).div(new Wider(b.toDec().toFixed())).toNumber());
      }),
      { numRuns: 5_000 },
    );
    expect(decided).toBeGreaterThan(4_000);
  });
});
