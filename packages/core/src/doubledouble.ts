import { POW10 } from "./decimal";

/**
 * Double-double arithmetic: a number as an unevaluated sum hi + lo of two doubles with
 * |lo| ≤ ulp(hi) ÷ 2, about 106 bits, for fast paths that must decide how an exact result
 * rounds to a double (Ziv's test) without making a Decimal.
 *
 * Error bounds, u = 2^−53, relative to the exact result of the operation on the exact inputs
 * (Joldes, Muller, Popescu, "Tight and rigorous error bounds for basic building blocks of
 * double-word arithmetic", ACM TOMS 44(2), 2017; the algorithm numbers are theirs): `addFp`
 * (Alg. 4) ≤ 2u², `add` (Alg. 6) ≤ 3u², `mulFp` (Alg. 8) ≤ 3u², `mul` (Alg. 10, no FMA) ≤ 7u²,
 * `divFp` (Alg. 15) ≤ 3.5u², `div` (from those two) ≤ 13u²; `twoSum` and `twoProd` are exact.
 * They hold while nothing overflows or falls below 2^−969 (where lo would be subnormal); callers
 * keep values in range.
 *
 * Results go to `out`, not to a new object: read `out.hi` and `out.lo` before the next call.
 * No Math.fround, no FMA: TwoProduct splits with Dekker's 2^27 + 1. The operations spell out
 * their TwoSum and Fast2Sum steps rather than call them (a hot path makes dozens of operations
 * per call, more calls than V8 inlines); only TwoProduct's halves are one shared helper.
 */
export const out = { hi: 0, lo: 0 };

const SPLIT = 134217729; // 2^27 + 1

/** a + b exactly (Knuth's TwoSum). */
export function twoSum(a: number, b: number): void {
  const s = a + b;
  const bb = s - a;
  out.hi = s;
  out.lo = a - (s - bb) + (b - bb);
}

/** a × b exactly (Dekker's TwoProduct, |a|, |b| < 2^996). */
export function twoProd(a: number, b: number): void {
  const c = SPLIT * b;
  const bh = c - (c - b);
  timesSplit(a, b, bh, b - bh);
  out.hi = PRODUCT[0];
}

/**
 * The product of the last `timesSplit`, beside its exact error in out.lo: a typed array's slot,
 * because a module variable boxes each double stored in it.
 */
const PRODUCT = new Float64Array(1);

/** a × b, b already split into halves bh + bl: PRODUCT[0] = fl(a × b), out.lo = the error, exactly. */
function timesSplit(a: number, b: number, bh: number, bl: number): void {
  const p = a * b;
  const c = SPLIT * a;
  const ah = c - (c - a);
  const al = a - ah;
  PRODUCT[0] = p;
  out.lo = ah * bh - p + ah * bl + al * bh + al * bl;
}

/** (xh + xl) + y, relative error ≤ 2u². */
export function addFp(xh: number, xl: number, y: number): void {
  const s = xh + y;
  const bb = s - xh;
  const v = xh - (s - bb) + (y - bb) + xl;
  const z = s + v;
  out.hi = z;
  out.lo = v - (z - s);
}

/** (xh + xl) + (yh + yl), relative error ≤ 3u² even when the two nearly cancel. */
export function add(xh: number, xl: number, yh: number, yl: number): void {
  const s = xh + yh;
  let bb = s - xh;
  const sl = xh - (s - bb) + (yh - bb);
  const t = xl + yl;
  bb = t - xl;
  const tl = xl - (t - bb) + (yl - bb);
  const c = sl + t;
  const vh = s + c;
  const w = tl + (c - (vh - s));
  const z = vh + w;
  out.hi = z;
  out.lo = w - (z - vh);
}

/** (xh + xl) × (yh + yl), relative error ≤ 7u². */
export function mul(xh: number, xl: number, yh: number, yl: number): void {
  const c = SPLIT * yh;
  const yhh = c - (c - yh);
  mulSplit(xh, xl, yh, yl, yhh, yh - yhh);
}

/** `mul` with yh already split into halves yhh + yhl, for a factor used many times. */
function mulSplit(xh: number, xl: number, yh: number, yl: number, yhh: number, yhl: number): void {
  timesSplit(xh, yh, yhh, yhl);
  const e = out.lo + (xh * yl + xl * yh);
  const z = PRODUCT[0] + e;
  out.hi = z;
  out.lo = e - (z - PRODUCT[0]);
}

/** (xh + xl) × y, relative error ≤ 3u². */
export function mulFp(xh: number, xl: number, y: number): void {
  const c = SPLIT * y;
  const yh = c - (c - y);
  timesSplit(xh, y, yh, y - yh);
  const e = out.lo + xl * y;
  const z = PRODUCT[0] + e;
  out.hi = z;
  out.lo = e - (z - PRODUCT[0]);
}

/** (xh + xl) ÷ y, relative error ≤ 3.5u². */
export function divFp(xh: number, xl: number, y: number): void {
  const th = xh / y;
  const c = SPLIT * y;
  const yh = c - (c - y);
  timesSplit(th, y, yh, y - yh);
  const tl = (xh - PRODUCT[0] + (xl - out.lo)) / y;
  const z = th + tl;
  out.hi = z;
  out.lo = tl - (z - th);
}

/**
 * (xh + xl) ÷ (yh + yl), relative error ≤ 13u²: y = yh(1 + ε) with |ε| = |yl ÷ yh| ≤ u, so
 * x ÷ y = (x ÷ yh) × (1 − ε + ε² ÷ (1 + ε)); taking (1, −fl(ε)) for the last factor errs by
 * ≤ 2.01u² (fl(ε) within u|ε| ≤ u², and the dropped ε² ÷ (1 + ε)), divFp 3.5u², mul 7u².
 */
export function div(xh: number, xl: number, yh: number, yl: number): void {
  divFp(xh, xl, yh);
  if (yl !== 0) mul(out.hi, out.lo, 1, -yl / yh);
}

// ln 2 = LN2_HI (the double nearest) + LN2_LO + 5.7e−34 (decimal.js at 60 digits; the unit tests check it).
const LN2_HI = Math.LN2;
const LN2_LO = 2.3190468138462996e-17;

/** 1 ÷ 6 and 1 ÷ 24 as double-doubles, within 3.5u² each (1 ÷ 2 and 1 are doubles). */
divFp(1, 0, 6);
const INV6_HI = out.hi;
const INV6_LO = out.lo;
divFp(1, 0, 24);
const INV24_HI = out.hi;
const INV24_LO = out.lo;

/** 2^k for an integer k in the normal range, from its bits (no pow, so exactly). */
const bits = new DataView(new ArrayBuffer(8));
function pow2(k: number): number {
  bits.setInt32(0, (k + 1023) << 20);
  bits.setInt32(4, 0);
  return bits.getFloat64(0);
}

/**
 * Ziv's test: whether every number within `err` of hi + lo (a normalised pair, |hi| ≥ 2^−969) rounds
 * to the double hi, i.e. lies strictly inside half an ulp of hi on each side (the ulp below a
 * power of two is half the one above). `err` should be rounded up; 2^−104 × |hi| is added for
 * the test's own roundings (each below 2^−106 × |hi|).
 */
export function roundsTo(hi: number, lo: number, err: number): boolean {
  bits.setFloat64(0, hi);
  const high = bits.getInt32(0);
  // Both words before pow2, which writes to the same bits.
  const power = (high & 0xfffff) === 0 && bits.getInt32(4) === 0;
  const half = pow2(((high >>> 20) & 0x7ff) - 1023 - 53);
  const below = power ? half / 2 : half;
  const up = hi < 0 ? -lo : lo;
  const slack = err + Math.abs(hi) * 2 ** -104;
  return up + slack < half && up - slack > -below;
}

/** Steps of the table of e^(j/STEPS): the reduced argument is split into j/STEPS + s, |s| ≤ 1/512. */
const STEPS = 256;
/** |j| ≤ 89 covers |r| ≤ ln 2 ÷ 2 + ε. */
const J_MAX = 89;

/**
 * e^(j/256), j = −89 … 89, within 64u² each: Horner's 1 + x(1 + x/2(1 + x/3(…))) to x^27/27!
 * (remainder < 10^−42) in double-double; each step adds ≤ 8.5u² and damps the error carried by
 * a factor ≤ 0.7 (|x| ≤ 0.348), so ≤ 8.5u² ÷ 0.3 < 29u² in all. Built once, at load.
 */
const E_HI = new Float64Array(2 * J_MAX + 1);
const E_LO = new Float64Array(2 * J_MAX + 1);
for (let j = -J_MAX; j <= J_MAX; j++) {
  const x = j / STEPS;
  let qh = 1;
  let ql = 0;
  for (let n = 27; n >= 1; n--) {
    mulFp(qh, ql, x);
    divFp(out.hi, out.lo, n);
    addFp(out.hi, out.lo, 1);
    qh = out.hi;
    ql = out.lo;
  }
  E_HI[j + J_MAX] = qh;
  E_LO[j + J_MAX] = ql;
}

/** Inputs of `exp` stay within ±600 so that the result and its low part stay normal. */
export const MAX_EXP_ARG = 600;

/**
 * e^(xh + xl) for |xh| ≤ MAX_EXP_ARG, relative error ≤ (128 + 4|x|) × u², NaN outside.
 *
 * Why that bound: x = k·ln 2 + r with k = round(x ÷ ln 2) and |r| ≤ 0.347; r's absolute error
 * is ≤ |x| × (3.1u² + 10^−33) + 2u² (ln 2 to 5.7e−34 times k ≤ 866, mulFp's 3u² of |k·ln 2|
 * ≤ |x| + 0.35, add's 3u² of |r|), and an absolute error δ in r is a relative error ≤ 1.01δ in
 * e^r. Then r = j/256 + s (|s| ≤ 1/512, the subtraction within 2u² of |s|) and e^r = E[j] ×
 * (1 + t), t = e^s − 1 by its Taylor series: from s^5/5! to s^9/9! in doubles on s's high part
 * (those terms are < 2.5e−16, so that costs < 14u²; the rest of the series < 10^−33), the
 * terms to s^4/4! by Horner's rule in double-double (< 1u², each step's product being far below
 * 1); 1 + t within 2u² more, the table's 29u², the last product's 7u². 70u² + 3.2|x|u² + 2u²,
 * rounded up generously. Scaling by 2^k is exact.
 */
export function exp(xh: number, xl: number): void {
  if (!(Math.abs(xh) <= MAX_EXP_ARG)) {
    out.hi = Number.NaN;
    out.lo = Number.NaN;
    return;
  }
  const k = Math.round(xh / LN2_HI);
  mulFp(LN2_HI, LN2_LO, k);
  add(xh, xl, -out.hi, -out.lo);
  const j = Math.round(out.hi * STEPS);
  addFp(out.hi, out.lo, -j / STEPS);
  const sh = out.hi;
  const sl = out.lo;
  const cs = SPLIT * sh;
  const shh = cs - (cs - sh);
  const shl = sh - shh;
  const tail = 1 / 120 + sh * (1 / 720 + sh * (1 / 5040 + sh * (1 / 40320 + sh / 362880)));
  // Horner's steps spelled out on locals, each the same operations as addFp and mulSplit (the
  // steps are a chain, and calls through `out` made it half again slower).
  // q = 1/24 + sh × tail (addFp)
  const y = sh * tail;
  let a = INV24_HI + y;
  let b = a - INV24_HI;
  let v = INV24_HI - (a - b) + (y - b) + INV24_LO;
  let qh = a + v;
  let ql = v - (qh - a);
  for (let step = 0; step < 4; step++) {
    // q × s (mulSplit, s split once)
    const p = qh * sh;
    const c = SPLIT * qh;
    const ah = c - (c - qh);
    const al = qh - ah;
    const e = ah * shh - p + ah * shl + al * shh + al * shl + (qh * sl + ql * sh);
    qh = p + e;
    ql = e - (qh - p);
    if (step === 0) {
      add(qh, ql, INV6_HI, INV6_LO);
      qh = out.hi;
      ql = out.lo;
    } else {
      // + 1/2, 1, 1 (addFp)
      const k = step === 1 ? 0.5 : 1;
      a = qh + k;
      b = a - qh;
      v = qh - (a - b) + (k - b) + ql;
      qh = a + v;
      ql = v - (qh - a);
    }
  }
  mul(qh, ql, E_HI[j + J_MAX], E_LO[j + J_MAX]);
  const scale = pow2(k);
  out.hi *= scale;
  out.lo *= scale;
}

/** (xh + xl) × 10^d for an integer d, by exact powers of ten up to 10^22: ≤ 3.5u² per 22 digits of |d|, exact for 0. */
export function mulPow10(xh: number, xl: number, d: number): void {
  out.hi = xh;
  out.lo = xl;
  if (d === 0) return;
  for (; d > 22; d -= 22) mulFp(out.hi, out.lo, POW10[22]);
  for (; d < -22; d += 22) divFp(out.hi, out.lo, POW10[22]);
  if (d >= 0) mulFp(out.hi, out.lo, POW10[d]);
  else divFp(out.hi, out.lo, POW10[-d]);
}
