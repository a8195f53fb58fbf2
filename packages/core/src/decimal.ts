import Decimal from "decimal.js";

/**
 * The engine's decimal: 34 significant digits (IEEE 754 decimal128), so sums and products of
 * token counts and catalogue prices are exact, and a result that does not terminate (a division,
 * a power) is carried to 34 digits as the contract says.
 */
export const Dec = Decimal.clone({ precision: 34, rounding: Decimal.ROUND_HALF_EVEN, toExpNeg: -40, toExpPos: 40 });
export type Dec = InstanceType<typeof Dec>;

export const ZERO = new Dec(0);
export const ONE = new Dec(1);
export const MILLION = new Dec(1_000_000);
export const HOURS_PER_YEAR = new Dec(8760);

/**
 * Decimals of the doubles seen lately: a workbook passes the same few numbers (rates, prices,
 * counts) over and over, a Decimal is immutable, and a lookup costs a fraction of reading one.
 * −0 and 0 are one key, as they are one Decimal. Bounded: emptied when full.
 */
const numbers = new Map<number, Dec>();
const MAX_NUMBERS = 4096;

/**
 * A double from Excel or JSON enters through its shortest round-trip text (0.7 is "0.7"), which is
 * what String() gives; -0 becomes 0.
 */
export function fromNumber(n: number): Dec {
  let d = numbers.get(n);
  if (d === undefined) {
    // decimal.js reads a number through the same text, faster than from a string we make.
    d = new Dec(Object.is(n, -0) ? 0 : n);
    if (numbers.size >= MAX_NUMBERS) numbers.clear();
    numbers.set(n, d);
  }
  return d;
}

/** Decimal text as written in a catalogue file ("3", "0.075", "3e-06"). */
export function fromText(s: string): Dec {
  return new Dec(s);
}

/** The nearest double, for Excel and JSON. */
export function toNumber(d: Dec): number {
  return d.toNumber();
}

export function sum(values: readonly Dec[]): Dec {
  let total = ZERO;
  for (const v of values) total = total.plus(v);
  return total;
}

const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k); // exact doubles up to 10^22

/**
 * An exact decimal `units × 10^−scale` whose `units` is a safe integer: what the hot path of a
 * request's cost answers, so recalculating thousands of cells allocates no Decimal. Converting it
 * to a double is one IEEE division of two exactly representable numbers, hence correctly rounded:
 * the same double as the Decimal would give.
 */
export class Fixed {
  constructor(
    readonly units: number,
    readonly scale: number,
  ) {}

  toNumber(): number {
    return this.units / POW10[this.scale];
  }

  toDec(): Dec {
    return new Dec(this.units).div(new Dec(10).pow(this.scale));
  }

  toString(): string {
    return this.toDec().toString();
  }
}

/** The largest scale whose power of ten is an exact double, so Fixed.toNumber stays correctly rounded. */
export const MAX_FIXED_SCALE = 22;

/** a + b exactly at the larger scale, or undefined once a product or the sum leaves the safe integers. */
export function addFixed(a: Fixed, b: Fixed): Fixed | undefined {
  const scale = Math.max(a.scale, b.scale);
  const x = a.units * POW10[scale - a.scale];
  const y = b.units * POW10[scale - b.scale];
  const units = x + y;
  // Safe terms whose sum is safe add exactly; a term or sum past 2^53 fails here.
  return Number.isSafeInteger(x) && Number.isSafeInteger(y) && Number.isSafeInteger(units) ? new Fixed(units, scale) : undefined;
}

/** a × b exactly, or undefined once the product leaves the safe integers or the largest scale. */
export function timesFixed(a: Fixed, b: Fixed): Fixed | undefined {
  const units = a.units * b.units;
  const scale = a.scale + b.scale;
  return Number.isSafeInteger(units) && scale <= MAX_FIXED_SCALE ? new Fixed(units, scale) : undefined;
}

/** Any exact result as a Decimal, for arithmetic on it (SOLVE, TORNADO). */
export function decimalOf(x: Dec | Fixed): Dec {
  return x instanceof Fixed ? x.toDec() : x;
}
