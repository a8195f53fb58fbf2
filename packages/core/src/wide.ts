import { Dec, Fixed, MAX_FIXED_SCALE, POW10 } from "./decimal";

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

// --- error-free steps; results in slots, so that a hot path allocates nothing ------------------

/**
 * Results of the steps below, in raw double slots (a double kept in a module variable would be
 * boxed anew on every store): the rounding error of the last twoSum or twoProduct; the units the
 * last mulInto or addInto made (hi + lo); what readDouble read (hi + lo at a scale); the low part
 * of the last double-double step.
 */
const slot = new Float64Array(8);
const ERROR = 0;
const R_HI = 1;
const R_LO = 2;
const D_HI = 3;
const D_LO = 4;
const D_SCALE = 5;
const LOW = 6;

/** a + b as its double, leaving the exact rest in slot[ERROR]. */
function twoSum(a: number, b: number): number {
  const s = a + b;
  const bb = s - a;
  slot[ERROR] = a - (s - bb) + (b - bb);
  return s;
}

/** a × b as its double, leaving the exact rest in slot[ERROR] (no overflow below 2^996). */
function twoProduct(a: number, b: number): number {
  const p = a * b;
  const ca = SPLITTER * a;
  const ah = ca - (ca - a);
  const al = a - ah;
  const cb = SPLITTER * b;
  const bh = cb - (cb - b);
  const bl = b - bh;
  slot[ERROR] = ah * bh - p + ah * bl + al * bh + al * bl;
  return p;
}

/**
 * (aHi + aLo) × b for an integer double b, into the R_ slots; false past 2^103. With |aHi × b| below
 * 2^103, aLo × b is at most 2^−53 of it, an integer below 2^51, so exact; the rests of TwoSum and
 * TwoProduct are integers below 2^50, so their sum is exact too.
 */
function mulInto(aHi: number, aLo: number, b: number): boolean {
  const p = aHi * b;
  // A product of integers below 2^53 is exact: the common case, without the error-free steps.
  if (aLo === 0 && Math.abs(p) <= SAFE) {
    slot[R_HI] = p;
    slot[R_LO] = 0;
    return true;
  }
  twoProduct(aHi, b);
  const e = slot[ERROR];
  if (!(Math.abs(p) < LIMIT)) return false;
  const s = twoSum(p, aLo * b);
  slot[R_HI] = twoSum(s, slot[ERROR] + e);
  slot[R_LO] = slot[ERROR];
  return Math.abs(slot[R_HI]) < LIMIT;
}

/** (aHi + aLo) + (bHi + bLo) into the R_ slots: the rest of TwoSum and both lo are integers below 2^50, whose sum is exact. */
function addInto(aHi: number, aLo: number, bHi: number, bLo: number): boolean {
  const sum = aHi + bHi;
  // Integers whose sum is below 2^53 add exactly.
  if (aLo === 0 && bLo === 0 && Math.abs(sum) <= SAFE) {
    slot[R_HI] = sum;
    slot[R_LO] = 0;
    return true;
  }
  const s = twoSum(aHi, bHi);
  slot[R_HI] = twoSum(s, slot[ERROR] + aLo + bLo);
  slot[R_LO] = slot[ERROR];
  return Math.abs(slot[R_HI]) < LIMIT;
}

/** (hi + lo) × 10^k (k ≤ 44) into the R_ slots. */
function raiseInto(hi: number, lo: number, k: number): boolean {
  if (k <= MAX_FIXED_SCALE) return mulInto(hi, lo, POW10[k]);
  return mulInto(hi, lo, POW10[MAX_FIXED_SCALE]) && mulInto(slot[R_HI], slot[R_LO], POW10[k - MAX_FIXED_SCALE]);
}

// --- reading a double --------------------------------------------------------------------------

/** The last double read through its text, and what it read as: a GRID passes one row value to a row of cells. */
let lastText = Number.NaN;
let lastWide: Wide | undefined;

/**
 * A double as the exact decimal of its shortest text, which is what `fromNumber` reads, into the
 * D_ slots; false when it has none (an integer past 2^53, whose text is not its value; an exponent).
 *
 * Most doubles are read without their text: the smallest scale s ≤ 22 at which an integer m below
 * 10^15 gives m ÷ 10^s = n (one correctly rounded division of exact doubles). Below 10^15 the
 * reals within half an ulp of n are closer together than 10^−s, so at most one decimal of at most
 * s places rounds to n, and the smallest such s is the shortest text's; n × 10^s is then within
 * 0.23 of m, so Math.round finds it.
 */
function readDouble(n: number): boolean {
  slot[D_LO] = 0;
  if (Number.isInteger(n)) {
    slot[D_HI] = n + 0;
    slot[D_SCALE] = 0;
    return Number.isSafeInteger(n);
  }
  if (n === lastText) return lastRead();
  for (let s = 1; s <= MAX_FIXED_SCALE; s++) {
    const scaled = n * POW10[s];
    if (!(Math.abs(scaled) < 1e15)) break;
    const m = Math.round(scaled);
    if (m / POW10[s] === n) {
      slot[D_HI] = m;
      slot[D_SCALE] = s;
      return true;
    }
  }
  lastWide = fromText(n);
  lastText = n;
  return lastRead();
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
  if (!mulInto(Number(digits.slice(0, cut)), 0, 1e9) || !addInto(slot[R_HI], slot[R_LO], Number(digits.slice(cut)), 0)) return undefined;
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
  hi = 0;
  lo = 0;
  scale = 0;
  ok = true;

  set(a: WideValue | undefined): this {
    this.ok = a !== undefined && usable(a);
    if (a) this.put(a.hi, a.lo, a.scale);
    return this;
  }

  setDouble(n: number): this {
    this.ok = readDouble(n);
    this.put(slot[D_HI], slot[D_LO], slot[D_SCALE]);
    return this;
  }

  times(b: WideValue): this {
    return this.ok && usable(b) ? this.multiply(b.hi, b.lo, b.scale) : this.fail();
  }

  timesDouble(n: number): this {
    return this.ok && readDouble(n) ? this.multiply(slot[D_HI], slot[D_LO], slot[D_SCALE]) : this.fail();
  }

  plus(b: WideValue): this {
    return this.ok && usable(b) ? this.add(b.hi, b.lo, b.scale) : this.fail();
  }

  minus(b: WideValue): this {
    return this.ok && usable(b) ? this.add(-b.hi, -b.lo, b.scale) : this.fail();
  }

  plusDouble(n: number): this {
    return this.ok && readDouble(n) ? this.add(slot[D_HI], slot[D_LO], slot[D_SCALE]) : this.fail();
  }

  minusDouble(n: number): this {
    return this.ok && readDouble(n) ? this.add(-slot[D_HI], -slot[D_LO], slot[D_SCALE]) : this.fail();
  }

  private multiply(bHi: number, bLo: number, bScale: number): this {
    const scale = this.scale + bScale;
    if (scale > MAX_WIDE_SCALE) return this.fail();
    // Two factors past 2^53 make at least 2^106.
    const ok = bLo === 0 ? mulInto(this.hi, this.lo, bHi) : this.lo === 0 && mulInto(bHi, bLo, this.hi);
    return ok ? this.put(slot[R_HI], slot[R_LO], scale) : this.fail();
  }

  private add(bHi: number, bLo: number, bScale: number): this {
    let ok: boolean;
    if (this.scale < bScale) ok = raiseInto(this.hi, this.lo, bScale - this.scale) && addInto(slot[R_HI], slot[R_LO], bHi, bLo);
    else if (bScale < this.scale) ok = raiseInto(bHi, bLo, this.scale - bScale) && addInto(this.hi, this.lo, slot[R_HI], slot[R_LO]);
    else ok = addInto(this.hi, this.lo, bHi, bLo);
    return ok ? this.put(slot[R_HI], slot[R_LO], Math.max(this.scale, bScale)) : this.fail();
  }

  private put(hi: number, lo: number, scale: number): this {
    this.hi = hi;
    this.lo = lo;
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

/** Whether a's units × 10^k is still a Wide (k ≤ 44): the value at a finer scale. */
export function fitsAtScale(a: WideValue, scale: number): boolean {
  return scale <= a.scale || (scale <= MAX_WIDE_SCALE && raiseInto(a.hi, a.lo, scale - a.scale));
}

/** A Wide as a Fixed when its units are a safe integer at a scale Fixed takes. */
export function fixedOfWide(a: WideValue): Fixed | undefined {
  return a.lo === 0 && Number.isSafeInteger(a.hi) && a.scale <= MAX_FIXED_SCALE ? new Fixed(a.hi + 0, a.scale) : undefined;
}

// --- the nearest double ------------------------------------------------------------------------

/** (ah + al) ÷ (bh + bl) as a double-double (low part in slot[LOW]), relative error below 2^−101. */
function ddDivide(ah: number, al: number, bh: number, bl: number): number {
  const q = ah / bh;
  // a − q·b: ah − p is exact (Sterbenz: p is within a factor 2 of ah); the rest is a few ulps of ah.
  const p = twoProduct(q, bh);
  const r = ah - p - slot[ERROR] + al - q * bl;
  const hi = twoSum(q, r / bh);
  slot[LOW] = slot[ERROR];
  return hi;
}

/** (hi + lo) × p (an exact power of ten) as a double-double, relative error below 2^−104. */
function ddTimes(hi: number, lo: number, p: number): number {
  const h = twoProduct(hi, p);
  const s = twoSum(h, slot[ERROR] + lo * p);
  slot[LOW] = slot[ERROR];
  return s;
}

/** Generous: each double-double step errs by less than 2^−101, and at most three are chained. */
const DOUBLE_DOUBLE_ERROR = 2 ** -97;
/** Below this, doubles lose precision (subnormals) and relative bounds no longer hold. */
const SMALLEST = 2 ** -900;

/**
 * The double nearest num ÷ den, given that the caller's decimal path answers a decimal within
 * `bound` of it (relative; 0 when that path is exact), or undefined when Ziv's test cannot decide
 * it (the value too close to a midpoint between two doubles) or either is not positive. Answering
 * only when all of [q − err, q + err] rounds to one double makes it the decimal path's double,
 * which `toNumber` rounds correctly.
 */
export function nearestQuotient(num: WideValue, den: WideValue, bound: number): number | undefined {
  if (!(den.hi > 0) || !(num.hi >= 0)) return undefined;
  if (num.hi === 0) return 0;
  let hi = num.hi;
  slot[LOW] = num.lo;
  if (den.hi !== 1 || den.lo !== 0) hi = ddDivide(num.hi, num.lo, den.hi, den.lo);
  // × 10^(den.scale − num.scale), in at most two exact powers of ten.
  for (let k = den.scale - num.scale; k !== 0; ) {
    const step = Math.max(-MAX_FIXED_SCALE, Math.min(MAX_FIXED_SCALE, k));
    hi = step > 0 ? ddTimes(hi, slot[LOW], POW10[step]) : ddDivide(hi, slot[LOW], POW10[-step], 0);
    k -= step;
  }
  const err = 2 * (bound + DOUBLE_DOUBLE_ERROR) * hi;
  // hi + x rounds back to hi exactly when hi + x (exact) lies within hi's rounding interval.
  const decided = hi + (slot[LOW] - err) === hi && hi + (slot[LOW] + err) === hi;
  return decided && hi > SMALLEST && hi < Number.MAX_VALUE ? hi : undefined;
}

export const WIDE_ONE: WideValue = new Wide(1, 0, 0);

/** The double nearest a (`bound` as for nearestQuotient). */
export function nearestOf(a: WideValue, bound: number): number | undefined {
  return nearestQuotient(a, WIDE_ONE, bound);
}
