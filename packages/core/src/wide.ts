import { Dec, Fixed, MAX_FIXED_SCALE, type Nearest, POW10, nearest, shortPlaces } from "./decimal";

/**
 * Exact decimals past the safe integers, for fast paths whose inputs carry 17 significant digits
 * (0.060000000000000005) or whose products outgrow 2^53: `units × 10^−scale` with an integer
 * `units` below 2^103 in magnitude, held as two doubles (units = hi + lo exactly, |lo| at most half
 * an ulp of hi) and combined by error-free transformations (Knuth's TwoSum, Dekker's TwoProduct).
 * 2^103 < 10^31: such units have fewer digits than the engine's 34, so a decimal step whose exact
 * result is one of these was exact on the decimal path too.
 *
 * A double (or a quotient) is decided by Ziv's test: a double-double approximation and an error
 * bound that also covers the decimal path's own roundings, answered only when everything within
 * that bound rounds to one double (else undefined: the caller falls back to the decimal path).
 */
export interface WideValue {
  readonly hi: number;
  readonly lo: number;
  readonly scale: number;
}

/** An immutable exact decimal, for values worked out once (a catalogue entry's). */
export class Wide implements WideValue {
  constructor(
    readonly hi: number,
    readonly lo: number,
    readonly scale: number,
  ) {}

  toDec(): Dec {
    // Through BigInt: a double past 2^53 reaches decimal.js as its shortest text, not its value.
    return new Dec((BigInt(this.hi) + BigInt(this.lo)).toString()).div(new Dec(10).pow(this.scale));
  }
}

const LIMIT = 2 ** 103;
const SAFE = Number.MAX_SAFE_INTEGER;
/** Scales up to 44 are a product or quotient of two exact powers of ten. */
const MAX_WIDE_SCALE = 2 * MAX_FIXED_SCALE;
/** Dekker's splitter, 2^27 + 1: a double into halves of 26 bits whose products are exact. */
const SPLITTER = 134_217_729;

// --- error-free steps, on slots -------------------------------------------------------------------

/**
 * Operands and results as raw doubles: a double passed to or returned from a function that is not
 * inlined, or kept in a module variable, is boxed anew each time, and these steps run a dozen
 * times a call. A is (hi + lo) units, B an integer double (or B_HI + B_LO to add), R the result;
 * D what readDouble read (units at a scale); Q a double-double quotient; P + E a TwoProduct.
 */
const slot = new Float64Array(16);
const A_HI = 0;
const A_LO = 1;
const B_HI = 2;
const B_LO = 3;
const R_HI = 4;
const R_LO = 5;
const D_HI = 6;
const D_LO = 7;
const D_SCALE = 8;
const Q_HI = 9;
const Q_LO = 10;
const P = 11;
const E = 12;
const X = 13;
const Y = 14;

/** Dekker's TwoProduct: P + E = X × Y exactly (no overflow below 2^996). */
function twoProduct(): void {
  const x = slot[X];
  const y = slot[Y];
  const p = x * y;
  const cx = SPLITTER * x;
  const xh = cx - (cx - x);
  const xl = x - xh;
  const cy = SPLITTER * y;
  const yh = cy - (cy - y);
  const yl = y - yh;
  slot[P] = p;
  slot[E] = xh * yh - p + xh * yl + xl * yh + xl * yl;
}

/**
 * R = A × B_HI (an integer double) exactly; false past 2^103. TwoProduct gives aHi × b = p + e;
 * with |p| below 2^103, aLo × b is at most 2^−53 of it, an integer below 2^51, so exact; then
 * p + aLo × b + e is renormalised exactly (see renormalise).
 */
function mulSlots(): boolean {
  const aHi = slot[A_HI];
  const aLo = slot[A_LO];
  const b = slot[B_HI];
  const p = aHi * b;
  // A product of integers below 2^53 is exact: the common case, without the error-free steps.
  if (aLo === 0 && Math.abs(p) <= SAFE) {
    slot[R_HI] = p;
    slot[R_LO] = 0;
    return true;
  }
  if (!(Math.abs(p) < LIMIT)) return false;
  slot[X] = aHi;
  slot[Y] = b;
  twoProduct();
  slot[R_HI] = p;
  slot[R_LO] = aLo * b;
  slot[B_LO] = slot[E];
  return renormalise();
}

/** R = A + B exactly; false past 2^103. */
function addSlots(): boolean {
  const sum = slot[A_HI] + slot[B_HI];
  // Integers whose sum is below 2^53 add exactly.
  if (slot[A_LO] === 0 && slot[B_LO] === 0 && Math.abs(sum) <= SAFE) {
    slot[R_HI] = sum;
    slot[R_LO] = 0;
    return true;
  }
  slot[R_HI] = slot[A_HI];
  slot[R_LO] = slot[B_HI];
  slot[B_LO] += slot[A_LO];
  return renormalise();
}

/**
 * R = R_HI + R_LO + B_LO (integers) renormalised: Knuth's TwoSum gives R_HI + R_LO = s + t, and
 * t + B_LO is exact (integers below 2^51 in every use here: rests of TwoSum and TwoProduct and lo
 * parts of Wides below 2^103 are below 2^50); TwoSum(s, t + B_LO) is then exact. False past 2^103.
 */
function renormalise(): boolean {
  const x = slot[R_HI];
  const y = slot[R_LO];
  const s = x + y;
  const yy = s - x;
  const r = x - (s - yy) + (y - yy) + slot[B_LO];
  const hi = s + r;
  const rr = hi - s;
  slot[R_HI] = hi;
  slot[R_LO] = s - (hi - rr) + (r - rr);
  return Math.abs(hi) < LIMIT;
}

/** R = A × 10^k exactly (k ≤ 44). */
function raiseSlots(k: number): boolean {
  if (k <= MAX_FIXED_SCALE) {
    slot[B_HI] = POW10[k];
    return mulSlots();
  }
  slot[B_HI] = POW10[MAX_FIXED_SCALE];
  if (!mulSlots()) return false;
  slot[A_HI] = slot[R_HI];
  slot[A_LO] = slot[R_LO];
  slot[B_HI] = POW10[k - MAX_FIXED_SCALE];
  return mulSlots();
}

// --- reading a double --------------------------------------------------------------------------

/**
 * Doubles read through their text, and what they read as (null: no exact form): a GRID passes
 * one row value to a row of cells and the same column values to every row. Bounded: emptied when full.
 */
const texts = new Map<number, Wide | null>();
/** The last of them, looked up without the map (the double in a typed array: a module variable boxes it). */
const LAST_TEXT = new Float64Array([Number.NaN]);
let lastWide: Wide | null = null;

/**
 * A double as the exact decimal of its shortest text, which is what `fromNumber` reads, into the
 * D_ slots; false when it has none (an integer past 2^53, whose text is not its value; an exponent).
 *
 * Most doubles are read without their text (decimal.ts's shortPlaces).
 */
function readDouble(n: number): boolean {
  slot[D_LO] = 0;
  if (Number.isInteger(n)) {
    slot[D_HI] = n + 0;
    slot[D_SCALE] = 0;
    return Number.isSafeInteger(n);
  }
  if (n === LAST_TEXT[0]) return lastRead();
  // Typed values have a few places; past those, a double read through its text before (a fill
  // series' 17 digits, on every row of a GRID) is found without trying a dozen more scales.
  if (readScaled(n, 1, TYPED_PLACES)) return true;
  let wide = texts.get(n);
  if (wide === undefined) {
    if (readScaled(n, TYPED_PLACES + 1, MAX_FIXED_SCALE)) return true;
    if (texts.size >= 4096) texts.clear();
    texts.set(n, (wide = fromText(n) ?? null));
  }
  lastWide = wide;
  LAST_TEXT[0] = n;
  return lastRead();
}

/** Places most typed values have. */
const TYPED_PLACES = 3;

/** readDouble's scales from `first` to `last`, in order (texts holds only doubles none of them reads). */
function readScaled(n: number, first: number, last: number): boolean {
  const s = shortPlaces(n, first, last);
  if (!s) return false;
  slot[D_HI] = Math.round(n * POW10[s]);
  slot[D_SCALE] = s;
  return true;
}

function lastRead(): boolean {
  if (!lastWide) return false;
  slot[D_HI] = lastWide.hi;
  slot[D_LO] = lastWide.lo;
  slot[D_SCALE] = lastWide.scale;
  return true;
}

/** A double's shortest text (at most 17 digits) as two integers of at most nine digits each. */
function fromText(n: number): Wide | undefined {
  const text = String(Math.abs(n));
  const point = text.indexOf(".");
  if (text.includes("e") || point < 0) return undefined;
  const digits = text.slice(0, point) + text.slice(point + 1);
  const cut = Math.max(0, digits.length - 9);
  slot[A_HI] = Number(digits.slice(0, cut));
  slot[A_LO] = 0;
  slot[B_HI] = 1e9;
  if (!mulSlots()) return undefined;
  slot[A_HI] = slot[R_HI];
  slot[A_LO] = slot[R_LO];
  slot[B_HI] = Number(digits.slice(cut));
  slot[B_LO] = 0;
  if (!addSlots()) return undefined;
  const scale = digits.length - point;
  return n < 0 ? new Wide(-slot[R_HI], -slot[R_LO], scale) : new Wide(slot[R_HI], slot[R_LO], scale);
}

/** A double as an immutable Wide, or undefined. */
export function wideOf(n: number): Wide | undefined {
  return readDouble(n) ? new Wide(slot[D_HI], slot[D_LO], slot[D_SCALE]) : undefined;
}

// --- an accumulator ----------------------------------------------------------------------------

/**
 * A mutable Wide for a hot path to work in: each step replaces it by the exact result, or marks it
 * failed (`ok` false, for good) once a result leaves the Wides or an input has no exact form.
 */
export class WideAcc implements WideValue {
  hi = Number.NaN;
  lo = Number.NaN;
  scale = 0;
  ok = true;

  set(a: WideValue | undefined): this {
    this.ok = a !== undefined && usable(a);
    if (a) {
      this.hi = a.hi;
      this.lo = a.lo;
      this.scale = a.scale;
    }
    return this;
  }

  /** A Fixed's exact decimal (safe units, lo 0). */
  setFixed(f: Fixed): this {
    this.ok = true;
    this.hi = f.units;
    this.lo = 0;
    this.scale = f.scale;
    return this;
  }

  setDouble(n: number): this {
    this.ok = readDouble(n);
    return this.fromSlots(D_HI, D_LO, slot[D_SCALE]);
  }

  times(b: WideValue): this {
    if (!this.ok || !usable(b)) return this.fail();
    slot[D_HI] = b.hi;
    slot[D_LO] = b.lo;
    return this.multiply(b.scale);
  }

  /** × a double, read as readDouble reads it. */
  timesDouble(n: number): this {
    return this.ok && readDouble(n) ? this.multiply(slot[D_SCALE]) : this.fail();
  }

  plus(b: WideValue): this {
    if (!this.ok || !usable(b)) return this.fail();
    slot[D_HI] = b.hi;
    slot[D_LO] = b.lo;
    return this.add(b.scale);
  }

  minus(b: WideValue): this {
    if (!this.ok || !usable(b)) return this.fail();
    slot[D_HI] = -b.hi;
    slot[D_LO] = -b.lo;
    return this.add(b.scale);
  }

  plusDouble(n: number): this {
    return this.ok && readDouble(n) ? this.add(slot[D_SCALE]) : this.fail();
  }

  minusDouble(n: number): this {
    if (!this.ok || !readDouble(n)) return this.fail();
    slot[D_HI] = -slot[D_HI];
    slot[D_LO] = -slot[D_LO];
    return this.add(slot[D_SCALE]);
  }

  /** this × (D_HI + D_LO at bScale). */
  private multiply(bScale: number): this {
    const scale = this.scale + bScale;
    if (scale > MAX_WIDE_SCALE) return this.fail();
    // One factor must be a double: two past 2^53 make at least 2^106.
    if (slot[D_LO] === 0) {
      slot[A_HI] = this.hi;
      slot[A_LO] = this.lo;
      slot[B_HI] = slot[D_HI];
    } else {
      if (this.lo !== 0) return this.fail();
      slot[A_HI] = slot[D_HI];
      slot[A_LO] = slot[D_LO];
      slot[B_HI] = this.hi;
    }
    if (!mulSlots()) return this.fail();
    this.scale = scale;
    return this.fromSlots(R_HI, R_LO, scale);
  }

  /** this + (D_HI + D_LO at bScale), at the finer scale. */
  private add(bScale: number): this {
    const scale = Math.max(this.scale, bScale);
    if (this.scale < bScale) {
      slot[A_HI] = this.hi;
      slot[A_LO] = this.lo;
      if (!raiseSlots(bScale - this.scale)) return this.fail();
      slot[A_HI] = slot[R_HI];
      slot[A_LO] = slot[R_LO];
      slot[B_HI] = slot[D_HI];
      slot[B_LO] = slot[D_LO];
    } else {
      if (bScale < this.scale) {
        slot[A_HI] = slot[D_HI];
        slot[A_LO] = slot[D_LO];
        if (!raiseSlots(this.scale - bScale)) return this.fail();
        slot[D_HI] = slot[R_HI];
        slot[D_LO] = slot[R_LO];
      }
      slot[A_HI] = this.hi;
      slot[A_LO] = this.lo;
      slot[B_HI] = slot[D_HI];
      slot[B_LO] = slot[D_LO];
    }
    return addSlots() ? this.fromSlots(R_HI, R_LO, scale) : this.fail();
  }

  private fromSlots(hi: number, lo: number, scale: number): this {
    this.hi = slot[hi];
    this.lo = slot[lo];
    this.scale = scale;
    return this;
  }

  private fail(): this {
    this.ok = false;
    return this;
  }
}

/** Whether b holds a value (an accumulator may have failed). */
function usable(b: WideValue): boolean {
  return !(b instanceof WideAcc) || b.ok;
}

/** A Wide as a Fixed when its units are a safe integer at a scale Fixed takes. */
export function fixedOfWide(a: WideValue): Fixed | undefined {
  return a.lo === 0 && Number.isSafeInteger(a.hi) && a.scale <= MAX_FIXED_SCALE ? new Fixed(a.hi + 0, a.scale) : undefined;
}

// --- the nearest double ------------------------------------------------------------------------

/** Q = Q ÷ (B_HI + B_LO) as a double-double, relative error below 2^−101. */
function divideQ(): void {
  const ah = slot[Q_HI];
  const bh = slot[B_HI];
  const q = ah / bh;
  // a − q·b: ah − p is exact (Sterbenz: p is within a factor 2 of ah); the rest is a few ulps of ah.
  slot[X] = q;
  slot[Y] = bh;
  twoProduct();
  const r = ah - slot[P] - slot[E] + slot[Q_LO] - q * slot[B_LO];
  slot[X] = q;
  slot[Y] = r / bh;
  twoSumQ();
}

/** Q = Q × (B_HI + B_LO) as a double-double, relative error below 2^−101. */
function timesQ(): void {
  slot[X] = slot[Q_HI];
  slot[Y] = slot[B_HI];
  twoProduct();
  slot[X] = slot[P];
  slot[Y] = slot[E] + slot[Q_LO] * slot[B_HI] + slot[Q_HI] * slot[B_LO];
  twoSumQ();
}

/** 10^k (k ≤ 44, every difference of two Wide scales) exactly as hi + lo: 5^44 < 2^103, so at most 103 significant bits. */
const TEN_HI = Array.from({ length: MAX_WIDE_SCALE + 1 }, (_, k) => Number(BigInt(10) ** BigInt(k)));
const TEN_LO = TEN_HI.map((hi, k) => Number(BigInt(10) ** BigInt(k) - BigInt(hi)));

/** Q = X + Y, renormalised by TwoSum. */
function twoSumQ(): void {
  const x = slot[X];
  const y = slot[Y];
  const s = x + y;
  const yy = s - x;
  slot[Q_HI] = s;
  slot[Q_LO] = x - (s - yy) + (y - yy);
}

/** Generous: each double-double step errs by less than 2^−101, and at most three are chained. */
const DOUBLE_DOUBLE_ERROR = 2 ** -97;
/** Below this, doubles lose precision (subnormals) and relative bounds no longer hold. */
const SMALLEST = 2 ** -900;

export const WIDE_ZERO: WideValue = new Wide(0, 0, 0);
export const WIDE_ONE: WideValue = new Wide(1, 0, 0);

/**
 * The double nearest num × factor ÷ den (factor 1 unless given: a product past 2^103, which the
 * caller's decimal path rounds), given that the caller's decimal path answers a decimal within
 * `bound` of it (relative; 0 when that path is exact), or undefined when Ziv's test cannot decide
 * it (the value too close to a midpoint between two doubles) or either is not positive. Answering
 * only when all of [q − err, q + err] rounds to one double makes it the decimal path's double,
 * which `toNumber` rounds correctly.
 */
export function nearestQuotient(num: WideValue, den: WideValue, bound: number, factor: WideValue = WIDE_ONE): number | undefined {
  if (!(den.hi > 0) || !(num.hi >= 0) || !(factor.hi >= 0)) return undefined;
  if (num.hi === 0 || factor.hi === 0) return 0;
  // × 10^(den.scale − num.scale − factor.scale), an exact double-double.
  const k = den.scale - num.scale - factor.scale;
  if (Math.abs(k) > MAX_WIDE_SCALE) return undefined;
  slot[Q_HI] = num.hi;
  slot[Q_LO] = num.lo;
  if (factor !== WIDE_ONE) {
    slot[B_HI] = factor.hi;
    slot[B_LO] = factor.lo;
    timesQ();
  }
  if (den.hi !== 1 || den.lo !== 0) {
    slot[B_HI] = den.hi;
    slot[B_LO] = den.lo;
    divideQ();
  }
  if (k !== 0) {
    slot[B_HI] = TEN_HI[Math.abs(k)];
    slot[B_LO] = TEN_LO[Math.abs(k)];
    if (k > 0) timesQ();
    else divideQ();
  }
  const hi = slot[Q_HI];
  const lo = slot[Q_LO];
  const err = 2 * (bound + DOUBLE_DOUBLE_ERROR) * hi;
  // hi + x rounds back to hi exactly when hi + x (exact) lies within hi's rounding interval.
  const decided = hi + (lo - err) === hi && hi + (lo + err) === hi;
  return decided && hi > SMALLEST && hi < Number.MAX_VALUE ? hi : undefined;
}

/** The double nearest a (`bound` as for nearestQuotient). */
export function nearestOf(a: WideValue, bound: number): number | undefined {
  return nearestQuotient(a, WIDE_ONE, bound);
}

/**
 * An exact result kept in a Wide as a worksheet function answers it: its Fixed, or the double
 * nearest it (the decimal path's, when that path is exact: toNumber rounds an exact decimal
 * correctly, as nearestOf does with bound 0; by symmetry for a negative one) with `exact(...args)`,
 * the decimal path, run on demand. Undefined when `a` failed or the double is not decided. A
 * negative `a` is left negated.
 */
export function exactOfWide<A extends readonly unknown[]>(a: WideAcc, exact: (...args: A) => Dec, args?: A): Fixed | Nearest | undefined {
  if (!a.ok) return undefined;
  const fixed = fixedOfWide(a);
  if (fixed) return fixed;
  const negative = a.hi < 0;
  if (negative) {
    a.hi = -a.hi;
    a.lo = -a.lo;
  }
  const value = nearestOf(a, 0);
  return value === undefined ? undefined : nearest(negative ? -value : value, exact, args);
}
