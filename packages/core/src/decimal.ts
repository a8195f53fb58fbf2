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

/** The largest scale whose power of ten is an exact double, so Fixed.toNumber stays correctly rounded. */
export const MAX_FIXED_SCALE = 22;

export const POW10 = Array.from({ length: MAX_FIXED_SCALE + 1 }, (_, k) => 10 ** k); // exact doubles up to 10^22

/**
 * One unit in the 34th significant digit, relative: what one step of a decimal path may move a
 * result by, whether it rounds correctly (half that) or faithfully. Fast paths' error bounds
 * count in it.
 */
export const DECIMAL_STEP = 1e-33;

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

/** a − b exactly, or undefined past the safe integers. */
export function minusFixed(a: Fixed, b: Fixed): Fixed | undefined {
  return addFixed(a, new Fixed(-b.units, b.scale));
}

/** Decimal places of a double's shortest text (1500.5 → 1); Infinity when it is written with an exponent. */
export function placesOf(n: number): number {
  if (Number.isInteger(n)) return 0;
  const text = String(n);
  return text.includes("e") ? Infinity : text.length - text.indexOf(".") - 1;
}

/** n × 10^places as an integer, read from n's text so that 0.07 becomes 7, not 7.000000000000001. */
export function shifted(n: number, places: number): number {
  if (Number.isInteger(n)) return n * POW10[places];
  const text = String(n);
  return Number(text.replace(".", "")) * POW10[places - (text.length - text.indexOf(".") - 1)];
}

/**
 * The places of a double's shortest text found without the text: the fewest s from `first` to
 * `last` at which n = m ÷ 10^s for an integer m below 10^15 (one correctly rounded division of
 * exact doubles), or 0 when there is none. The rounding interval of a double is at most 2^−52 of it
 * wide, and decimals of at most 15 digits lie at least 10^−15 of their size apart, so a decimal of
 * ≤ 15 digits that rounds to n is the only one, hence n's shortest text; n × 10^s is then within
 * 0.23 of m, so Math.round finds it, and at the fewest places m ends in a non-zero digit, as the
 * text's digits do.
 */
export function shortPlaces(n: number, first = 1, last = MAX_FIXED_SCALE): number {
  for (let s = first; s <= last; s++) {
    const units = Math.round(n * POW10[s]);
    if (!(Math.abs(units) < 1e15)) return 0;
    if (units / POW10[s] === n) return s;
  }
  return 0;
}

/**
 * A double as the exact Fixed of its shortest text (0.7 → 7 × 10^−1), which is the decimal
 * `fromNumber` reads, or undefined when it has no such form: too many digits, or more than 22
 * places (1e-7 is 1 × 10^−7).
 */
export function fixedOf(n: number): Fixed | undefined {
  const short = shortFixedOf(n);
  if (short || Number.isInteger(n)) return short;
  // The text once, not once for the places and again for the digits: this runs on every share.
  const text = String(n);
  const places = text.length - text.indexOf(".") - 1;
  if (text.includes("e") || places > MAX_FIXED_SCALE) return undefined;
  const units = Number(text.replace(".", ""));
  return Number.isSafeInteger(units) ? new Fixed(units, places) : undefined;
}

/**
 * fixedOf for a double of at most 15 significant digits, read without its text (what a typed
 * value has); undefined for the rest, which a fast path that has a Wide path after it leaves to
 * that (a fill series' 17 digits: reading their text on every cell costs more than the cell).
 */
export function shortFixedOf(n: number): Fixed | undefined {
  const scale = shortScale(n);
  return scale < 0 ? undefined : new Fixed(unitsAt(n, scale), scale);
}

/** shortFixedOf's scale without making the Fixed (a hot path's arguments): −1 when it has none. */
export function shortScale(n: number): number {
  if (Number.isInteger(n)) return Number.isSafeInteger(n) ? 0 : -1;
  if (n === LONG[0]) return -1;
  const short = shortPlaces(n);
  if (!short) LONG[0] = n;
  return short || -1;
}

/** n's units at a scale shortScale gave it. */
export function unitsAt(n: number, scale: number): number {
  // + 0 turns −0 into 0, as fromNumber does.
  return Math.round(n * POW10[scale]) + 0;
}

/**
 * The last double shortFixedOf found longer than 15 digits, which a GRID's row hands to every cell
 * of the row (in a typed array: a module variable boxes a double).
 */
const LONG = new Float64Array([Number.NaN]);

/** A decimal (a catalogue price, say) as an exact Fixed, or undefined when it has none. */
export function fixedOfDec(d: Dec): Fixed | undefined {
  const f = fixedOf(d.toNumber());
  return f?.toDec().eq(d) ? f : undefined;
}

/**
 * The double nearest a ÷ b, or undefined when b is 0 or either side, brought to one scale, leaves
 * the safe integers.
 *
 * It is the double the decimal path ends on: a ÷ b as num ÷ den (safe integers) is one IEEE
 * division, correctly rounded; it is never a midpoint between two doubles (a midpoint's odd
 * numerator has 54 bits, num's at most 53) and lies at least 2^−54 ÷ den ≥ 6 × 10^−33 of its size
 * from one, while a decimal path whose 34-digit roundings never subtract nearly equal numbers moves
 * by at most 5 × 10^−34 of its size per rounding. So a formula that ends in a division, and rounds
 * fewer than ten times on the decimal path, may answer this double (as a Nearest).
 */
export function quotient(a: Fixed, b: Fixed): number | undefined {
  if (b.units === 0) return undefined;
  const num = a.units * (b.scale > a.scale ? POW10[b.scale - a.scale] : 1);
  const den = b.units * (a.scale > b.scale ? POW10[a.scale - b.scale] : 1);
  return Number.isSafeInteger(num) && Number.isSafeInteger(den) ? num / den + 0 : undefined;
}

/**
 * A fast path's answer that has no exact form of its own (a quotient, an exponential): the double
 * nearest the exact result, proven to be the double the decimal path answers, and that decimal
 * path, run only when something needs the decimal itself (SOLVE, TORNADO, llmcalc --exact).
 */
export abstract class Nearest {
  constructor(readonly value: number) {}

  /** The decimal path's result. */
  abstract toDec(): Dec;

  toNumber(): number {
    return this.value;
  }

  toString(): string {
    return this.toDec().toString();
  }
}

/** A Nearest whose decimal path is a function, of arguments kept with it when it is not a closure. */
class Deferred<A extends readonly unknown[]> extends Nearest {
  constructor(
    value: number,
    private readonly exact: (...args: A) => Dec,
    private readonly args: A,
  ) {
    super(value);
  }

  toDec(): Dec {
    return this.exact(...this.args);
  }
}

const NO_ARGS: readonly [] = [];

/** `value`, proven to be the double of exact(...args): a function made once and its arguments cost a call no closure. */
export function nearest<A extends readonly unknown[]>(
  value: number,
  exact: (...args: A) => Dec,
  args: A = NO_ARGS as unknown as A,
): Nearest {
  return new Deferred(value, exact, args);
}

/** A number a worksheet function answers: a Decimal, or what a fast path answers without making one. */
export type Exact = Dec | Fixed | Nearest;

export function isExact(x: unknown): x is Exact {
  // The fast paths' kinds first: GRID asks this of every cell.
  return x instanceof Fixed || x instanceof Nearest || x instanceof Dec;
}

/** Any exact result as a Decimal, for arithmetic on it (SOLVE, TORNADO). */
export function decimalOf(x: Exact): Dec {
  return x instanceof Dec ? x : x.toDec();
}
