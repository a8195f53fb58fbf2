import { activeCatalogue } from "./catalogue/active";
import { today } from "./catalogue/compile";
import { currencyCode, fxRate } from "./catalogue/fx";
import {
  Dec,
  Fixed,
  MAX_FIXED_SCALE,
  type Nearest,
  nearest,
  ONE,
  POW10,
  ZERO,
  fixedOf,
  fromNumber,
  addFixed,
  minusFixed,
  quotient,
  sum,
  timesFixed,
  DECIMAL_STEP,
} from "./decimal";
import * as dd from "./doubledouble";
import { noResult, valueError } from "./errors";
import {
  type Matrix,
  type Param,
  type Series,
  type SheetCell,
  date,
  defineFunction,
  double,
  flag,
  fraction,
  isEmpty,
  maybe,
  nonNegative,
  number,
  optional,
  positive,
  range,
  numbers,
  series,
  textAs,
} from "./sheet";
import { LastKeys } from "./recent";
import { WideAcc, type WideValue, fixedOfWide, nearestQuotient } from "./wide";

/**
 * Unit economics and FinOps: what retries and a free tier add to a unit cost, when a fine-tune
 * pays for itself, how a shared bill is charged back, and the alerts and budget states a FinOps
 * review shows.
 */

/** A share (0 to 1) and an amount (≥ 0) kept as Excel's doubles, for the exact integer fast paths. */
const share = (name: string) => double(name, { min: 0, max: 1, fraction: true });
const amount = (name: string) => double(name, { min: 0 });

// --- retries, free tier, fine-tune -----------------------------------------------------------

/**
 * 80 digits: 1 − p^(n+1) loses at most 16 digits to cancellation (p from a double is at most
 * 1 − 1e-16), so the quotient is still good to far beyond 34 digits and rounds to the exact
 * geometric sum whenever that fits 34 digits (at 34 digits, p = 0.98765 and n = 6 would end …625004
 * instead of …625).
 */
const Wide = Dec.clone({ precision: 80 });

/**
 * Expected attempts per request: 1 + p + … + p^n, by the closed form, so a hostile retry count
 * (1e300) costs one power, not a loop.
 */
export function retryFactor(failureRate: Dec, maxRetries: Dec): Dec {
  if (failureRate.eq(ONE)) return maxRetries.plus(ONE);
  const p = new Wide(failureRate);
  const attempts = Wide.sub(1, p.pow(new Wide(maxRetries).plus(1))).div(Wide.sub(1, p));
  return new Dec(attempts).toSignificantDigits(34);
}

/**
 * 1 + p + … + p^n summed exactly at scale n × (p's places), p's power by power (the running sum
 * times 10^places, plus p^k), or undefined once the sum leaves the safe integers or the largest
 * scale. Every term is non-negative, so a safe sum has safe terms. A sum of at most 16 digits
 * fits 34, and the decimal path rounds to the exact sum whenever it does. p is the exact decimal
 * `fromNumber` reads, as a Wide.
 */
function fixedRetryFactor(p: WideValue, maxRetries: number): Fixed | undefined {
  if (p.lo !== 0 || !(p.hi <= Number.MAX_SAFE_INTEGER)) return undefined;
  // The only rates without places: p = 0 makes one attempt, p = 1 makes every one of n + 1.
  if (p.hi === 0) return new Fixed(1, 0);
  if (p.scale === 0) return Number.isSafeInteger(maxRetries + 1) ? new Fixed(maxRetries + 1, 0) : undefined;
  if (maxRetries * p.scale > MAX_FIXED_SCALE) return undefined;
  let power = 1;
  let total = 1;
  for (let k = 1; k <= maxRetries; k++) {
    power *= p.hi;
    total = total * POW10[p.scale] + power;
    if (total > Number.MAX_SAFE_INTEGER) return undefined;
  }
  return new Fixed(total, maxRetries * p.scale);
}

/** u², u = 2^−53: the unit of doubledouble.ts's error bounds. */
const U2 = 2 ** -106;

/** Scratch exact decimals of the fast paths below (one call at a time). */
const NUM = new WideAcc();
const DEN = new WideAcc();

/** The last failure rate's p as a double-double, its error and M (below): a GRID passes one rate to a row of cells. */
const RATE = new Float64Array([Number.NaN, 0, 0, 0, 0]);

/**
 * 1 + p + … + p^n for a p whose exact sum has too many places (a fill series' 0.013799999999999998,
 * or 0.05 with 20 retries), decided in double-double: the double the decimal path answers, or
 * undefined when it is not decided (or p is not a double read exactly, or the sum is too long).
 *
 * For p up to 1/2 the sum is (1 − p^m) ÷ (1 − p), which does not cancel there (closedSum). Above,
 * it is taken by doubling, with no division and no subtraction: G(k) = 1 + … + p^(k−1) gives
 * G(2k) = G(k) × (1 + p^k) and G(k + 1) = 1 + p × G(k). Every value is positive, so relative error
 * bounds compose: a product's is its factors' plus `mul`'s 7u², 1 + x's is x's plus `addFp`'s
 * 2u²; each bound is tracked as it grows (second-order terms, below 2^−70 of it, covered by
 * 2^−40). p itself is its exact decimal (a Wide) ÷ 10^places, within 3.5u² per 22 places.
 *
 * Terms past p^M, M = ⌈310 ÷ −log₂ p⌉, are left out: p^M ≤ 2^−300 and 1 − p ≥ 2^−54 (p < 1 is
 * within half an ulp of a double below 1), so they add at most 2^−246 of the sum; that keeps a
 * hostile retry count (1e300) to a few dozen steps and every power of p above 2^−330, far from
 * where doubledouble.ts's bounds stop holding.
 *
 * The decimal path is the closed form at 80 digits, good to 10^−60 (retryFactor), rounded to 34
 * digits: within DECIMAL_STEP. Ziv's test over the sum of the bounds makes the double its
 * `toNumber`.
 */
function nearestRetryFactor(failureRate: number, p: WideValue, maxRetries: number): number | undefined {
  if (!(p.hi > 0) || p.scale === 0) return undefined; // 0 and 1: the exact sum takes them
  if (RATE[0] !== failureRate) {
    dd.mulPow10(p.hi, p.lo, -p.scale);
    RATE[0] = failureRate;
    RATE[1] = dd.out.hi;
    RATE[2] = dd.out.lo;
    RATE[3] = Math.ceil(p.scale / 22) * 3.5 * U2;
    RATE[4] = Math.ceil(310 / -Math.log2(dd.out.hi));
  }
  const ph = RATE[1];
  const pl = RATE[2];
  const ep = RATE[3];
  const m = Math.min(maxRetries + 1, RATE[4]);
  if (!(m <= 2 ** 30)) return undefined;
  if (ph <= 0.5) closedSum(ph, pl, ep, m);
  else doubledSum(ph, pl, ep, m);
  const gh = SUM[0];
  const gl = SUM[1];
  const eg = SUM[2];
  const tail = m < maxRetries + 1 ? 2 ** -246 : 0;
  const err = 1.001 * (eg * (1 + 2 ** -40) + tail + DECIMAL_STEP) * gh;
  return dd.roundsTo(gh, gl, err) ? gh : undefined;
}

/** G(m) = 1 + p + … + p^(m−1) as a double-double and its relative error bound, from closedSum or doubledSum. */
const SUM = new Float64Array(3);

/** G(m) by doubling (see nearestRetryFactor), for any p below 1; the one for p above 1/2. */
function doubledSum(ph: number, pl: number, ep: number, m: number): void {
  let gh = 1;
  let gl = 0;
  let eg = 0;
  let qh = ph;
  let ql = pl;
  let eq = ep;
  // k, the leading bits of m, from 1: G(k) in g, p^k in q (not needed after the last bit).
  for (let bit = 30 - Math.clz32(m); bit >= 0; bit--) {
    dd.addFp(qh, ql, 1);
    dd.mul(gh, gl, dd.out.hi, dd.out.lo);
    gh = dd.out.hi;
    gl = dd.out.lo;
    eg += eq + 9 * U2;
    const odd = (m >>> bit) & 1;
    if (odd) {
      dd.mul(ph, pl, gh, gl);
      dd.addFp(dd.out.hi, dd.out.lo, 1);
      gh = dd.out.hi;
      gl = dd.out.lo;
      eg += ep + 9 * U2;
    }
    if (bit > 0) {
      dd.mul(qh, ql, qh, ql);
      qh = dd.out.hi;
      ql = dd.out.lo;
      eq = 2 * eq + 7 * U2;
      if (odd) {
        dd.mul(qh, ql, ph, pl);
        qh = dd.out.hi;
        ql = dd.out.lo;
        eq += ep + 7 * U2;
      }
    }
  }
  SUM[0] = gh;
  SUM[1] = gl;
  SUM[2] = eg;
}

/**
 * G(m) by the closed form (1 − p^m) ÷ (1 − p), for p ≤ 1/2 (ph, so within 2^−53 of it): a third of
 * doubling's steps, so a GRID along the rate (its memory misses every cell) does less. Neither
 * difference cancels: 1 − q ≥ 1/2 for q = p^m or p, so q's relative error ε moves it by
 * q·ε ÷ (1 − q) ≤ ε relative (to within 2^−51, inside nearestRetryFactor's 1.001), plus addFp's
 * 2u²; the quotient adds `div`'s 13u². p^m is taken by squaring and multiplying over m's bits, its
 * bound tracked as doubledSum tracks it.
 */
function closedSum(ph: number, pl: number, ep: number, m: number): void {
  let qh = ph;
  let ql = pl;
  let eq = ep;
  for (let bit = 30 - Math.clz32(m); bit >= 0; bit--) {
    dd.mul(qh, ql, qh, ql);
    qh = dd.out.hi;
    ql = dd.out.lo;
    eq = 2 * eq + 7 * U2;
    if ((m >>> bit) & 1) {
      dd.mul(qh, ql, ph, pl);
      qh = dd.out.hi;
      ql = dd.out.lo;
      eq += ep + 7 * U2;
    }
  }
  dd.addFp(-qh, -ql, 1);
  const nh = dd.out.hi;
  const nl = dd.out.lo;
  dd.addFp(-ph, -pl, 1);
  dd.div(nh, nl, dd.out.hi, dd.out.lo);
  SUM[0] = dd.out.hi;
  SUM[1] = dd.out.lo;
  SUM[2] = eq + ep + 17 * U2;
}

export const RETRY_FACTOR = defineFunction(
  "RETRY_FACTOR",
  {
    description: "Expected attempts per request when each failed attempt is retried: 1 + p + p² + … + p^max_retries.",
    result: "number",
    returns: "Attempts per request (1.010101 for 1% and 3 retries).",
    help: {
      failure_rate: "Fraction of attempts that fail (0.01 = 1%), 0 to 1.",
      max_retries: "Retries after the first attempt (a whole number ≥ 0).",
    },
  },
  [share("failure_rate"), double("max_retries", { min: 0, whole: true })],
  (failureRate, maxRetries) => {
    const p = NUM.setDouble(failureRate);
    const exact = p.ok ? fixedRetryFactor(p, maxRetries) : undefined;
    if (exact) return exact;
    const decimal = () => retryFactor(fromNumber(failureRate), fromNumber(maxRetries));
    const value = p.ok ? nearestRetryFactor(failureRate, p, maxRetries) : undefined;
    return value === undefined ? decimal() : nearest(value, decimal);
  },
);

/**
 * NUM ÷ DEN (or NUM × factor ÷ DEN) as a decimal path answers it that forms its operands exactly,
 * then multiplies and divides. NUM, DEN and factor are Wides, exact decimals of at most 31 digits
 * (below 2^103), so each of that path's differences was exact at 34 digits too; it rounds once in
 * the division, and once more where the product takes over 34 digits. nearestQuotient decides the
 * double within those roundings; else (a step left the Wides, or undecided) the decimal path
 * answers.
 */
function ratio(decimal: () => Dec, factor?: WideAcc): Dec | Nearest {
  if (!NUM.ok || !DEN.ok || (factor && !factor.ok)) return decimal();
  // Short inputs (a typed 0.03) keep safe units: then one IEEE division of an exact numerator, which `quotient` proves is the decimal path's double.
  const den = fixedOfWide(DEN);
  const num = den && fixedOfWide(NUM);
  const times = factor && num && fixedOfWide(factor);
  const exact = factor ? times && num && timesFixed(num, times) : num;
  const value =
    (exact && den && quotient(exact, den)) ??
    (factor ? nearestQuotient(NUM, DEN, 2 * DECIMAL_STEP, factor) : nearestQuotient(NUM, DEN, DECIMAL_STEP));
  return value === undefined ? decimal() : nearest(value, decimal);
}

export const FREE_TIER_COST = defineFunction(
  "FREE_TIER_COST",
  {
    description: "USD of free users each paying user carries: (1 − conversion_rate) ÷ conversion_rate × cost_per_free_user.",
    result: "number",
    returns: "USD per paying user, in the period of cost_per_free_user.",
    help: {
      conversion_rate: "Fraction of users who pay (0.05 = 5%), above 0 and at most 1.",
      cost_per_free_user: "USD a free user costs (per month, say).",
    },
  },
  [double("conversion_rate", { above: 0, max: 1, fraction: true }), amount("cost_per_free_user")],
  (conversion, costPerFreeUser) => {
    // (1 − c) × cost ÷ c: one division, so exact whenever the answer terminates.
    const decimal = () => ONE.minus(fromNumber(conversion)).times(fromNumber(costPerFreeUser)).div(fromNumber(conversion));
    // 1 − c is exact on the decimal path; its product with a 17-digit cost may take 36 digits and round.
    if (CONVERSION_FOR.changed(conversion)) UNPAID.setDouble(1).minusDouble(conversion);
    if (FREE_COST_FOR.changed(costPerFreeUser)) FREE_COST.setDouble(costPerFreeUser);
    NUM.set(UNPAID);
    DEN.setDouble(conversion);
    return ratio(decimal, FREE_COST);
  },
);

/** FREE_TIER_COST's 1 − conversion rate and cost, kept for the last asked: a GRID's row shares one. */
const UNPAID = new WideAcc();
const CONVERSION_FOR = new LastKeys();
const FREE_COST = new WideAcc();
const FREE_COST_FOR = new LastKeys();

/**
 * The rules below whose message names no value, made once: a GRID on the wrong side of one breaks
 * it in most of its cells, and making an Error costs more than the answer it stands for.
 */
const NEVER_PAYS = noResult("cost_per_call_after: must be below cost_per_call_before, or the fine-tune never pays for itself");
const EQUAL_SUCCESS = noResult("success_b: equal success rates never trade cost against failures");
const DOMINATED = noResult("cost_b: one option is both cheaper and more reliable, so no failure cost evens them");

export const FINETUNE_BREAKEVEN = defineFunction(
  "FINETUNE_BREAKEVEN",
  {
    description: "Calls after which a fine-tune has paid for itself: training_cost ÷ (cost_per_call_before − cost_per_call_after).",
    result: "number",
    returns: "Calls.",
    help: {
      training_cost: "USD, one-off.",
      cost_per_call_before: "USD per call without the fine-tune.",
      cost_per_call_after: "USD per call with it; #NUM! unless below cost_per_call_before.",
    },
  },
  [amount("training_cost"), amount("cost_per_call_before"), amount("cost_per_call_after")],
  (training, before, after) => {
    // Doubles order as the decimals of their shortest texts do.
    if (after >= before) throw NEVER_PAYS;
    NUM.setDouble(training);
    DEN.setDouble(before).minusDouble(after);
    return ratio(() => fromNumber(training).div(fromNumber(before).minus(fromNumber(after))));
  },
);

// --- columns in, columns out -----------------------------------------------------------------

/** Answers beside their inputs, in the input's shape; rows not filled in answer blank. */
function spill(input: Series, answers: SheetCell[]): Matrix {
  const cells = [...answers, ...new Array<SheetCell>(input.cells.length - answers.length).fill(null)];
  return input.isRow ? [cells] : cells.map((c) => [c]);
}

// --- chargeback ------------------------------------------------------------------------------

/**
 * Each tenant's part of a shared cost: total × (w × token share + (1 − w) × peak share), the
 * peak share because the tenant who drives the peak forces the capacity.
 *
 * The parts add up to the total exactly. Each is carried to the total's 34th significant digit (a
 * fixed point, as cents are), so every sum of parts is exact; the few units of that digit the
 * divisions leave over go to the largest part, where they weigh least and cannot make a part
 * negative.
 */
export function allocate(total: Dec, tokenUse: readonly Dec[], peakUse: readonly Dec[], tokenWeight: Dec): Dec[] {
  const tokenSum = sum(tokenUse);
  const peakSum = sum(peakUse);
  if (tokenSum.isZero()) throw valueError("token_use", "must not sum to 0");
  if (peakSum.isZero()) throw valueError("peak_use", "must not sum to 0");
  const peakWeight = ONE.minus(tokenWeight);
  const unit = new Dec(`1e${total.e - 33}`);
  const parts = tokenUse.map((t, i) =>
    total.times(tokenWeight.times(t).div(tokenSum).plus(peakWeight.times(peakUse[i]).div(peakSum))).toNearest(unit),
  );
  const largest = parts.reduce((best, part, i) => (part.gt(parts[best]) ? i : best), 0);
  parts[largest] = total.minus(sum(parts.filter((_, i) => i !== largest)));
  return parts;
}

export const ALLOCATE = defineFunction(
  "ALLOCATE",
  {
    description:
      "Spills each tenant's share of a shared cost: total × (w × token share + (1 − w) × peak share); the shares add up to the total.",
    result: "spill",
    returns: "USD per tenant, one row per tenant.",
    help: {
      total_cost: "USD to share out.",
      token_use: "Column of each tenant's tokens (or requests). Blank cells at the end answer blank.",
      peak_use: "Column of the same length: each tenant's use at the peak.",
      token_weight: "Weight of the token share, 0 to 1. Default 0.7.",
    },
  },
  [nonNegative("total_cost"), range("token_use"), range("peak_use"), optional(fraction("token_weight"), new Dec("0.7"))],
  (total, tokenCells, peakCells, tokenWeight) => {
    const tokens = series("token_use", tokenCells, { zeroIsBlank: true });
    const peaks = series("peak_use", peakCells, { zeroIsBlank: true });
    if (tokens.cells.length !== peaks.cells.length) {
      throw valueError("peak_use", `must be as long as token_use (${tokens.cells.length} cells, ${peaks.cells.length} in peak_use)`);
    }
    // A tenant's row is filled in when either column has a non-zero number in it.
    const rows = Math.max(tokens.filled, peaks.filled);
    const tokenUse = numbers(tokens, rows, { min: 0 }, "peak_use");
    const peakUse = numbers(peaks, rows, { min: 0 }, "token_use");
    return spill(tokens, allocate(total, tokenUse, peakUse, tokenWeight));
  },
);

// --- alerts and budgets ----------------------------------------------------------------------

/**
 * TRUE where a day's spend exceeds factor × the average of the `window` days before it, compared
 * as spend × window > factor × their sum so no division rounds; FALSE while fewer days exist.
 */
export function spendAlerts(dailySpend: readonly Dec[], factor: Dec, window: number): boolean[] {
  const before = [ZERO]; // before[i] = spend on days 0 … i − 1
  for (const spend of dailySpend) before.push(before[before.length - 1].plus(spend));
  return dailySpend.map((spend, day) => day >= window && spend.times(window).gt(factor.times(before[day].minus(before[day - window]))));
}

export const SPEND_ALERT = defineFunction(
  "SPEND_ALERT",
  {
    description: "Spills TRUE beside each day whose spend exceeds factor × the average of the window days before it.",
    result: "spill",
    returns: "TRUE/FALSE per day; FALSE for the first window days.",
    help: {
      daily_spend: "Column of USD per day, oldest first. Blank cells at the end answer blank.",
      factor: "Multiple of the trailing average that alerts. Default 1.5.",
      window: "Days in the trailing average (a whole number ≥ 1). Default 7.",
    },
  },
  [range("daily_spend"), optional(positive("factor"), new Dec("1.5")), optional(number("window", { min: 1, whole: true }), new Dec(7))],
  (spendCells, factor, window) => {
    const daily = series("daily_spend", spendCells, { zeroIsBlank: true });
    return spill(daily, spendAlerts(numbers(daily, daily.filled, { min: 0 }), factor, window.toNumber()));
  },
);

/**
 * "ok" below the first threshold, the highest threshold reached below the last as a percentage,
 * "over budget" at or above the last. Thresholds are fractions of the budget (0.8 = 80%).
 */
export function budgetStatus(spend: Dec, budget: Dec, thresholds: readonly Dec[]): string {
  let status = "ok";
  thresholds.forEach((t, i) => {
    if (spend.lt(t.times(budget))) return;
    status = i === thresholds.length - 1 ? "over budget" : `${t.times(100).toFixed()}%`;
  });
  return status;
}

/** x × 100 as plain decimal text, as Decimal's toFixed() writes it ("7", "75.5", "0.15"), or undefined past the safe integers. */
function percentText(x: Fixed): string | undefined {
  if (x.scale <= 2) {
    const units = x.units * POW10[2 - x.scale];
    return Number.isSafeInteger(units) ? String(units) : undefined;
  }
  // fixedOf's units end in a non-zero digit when it has places, so no trailing zeros to trim.
  const places = x.scale - 2;
  const digits = String(x.units).padStart(places + 1, "0");
  return `${digits.slice(0, -places)}.${digits.slice(-places)}`;
}

/**
 * BUDGET_STATUS on a row or column of thresholds that are all numbers above 0 and increasing,
 * each spend ≥ t × budget compared exactly in integers; undefined whenever that does not hold or
 * a product leaves the safe integers (the decimal path then answers, or says what is wrong).
 */
function fixedBudgetStatus(spend: number, budget: number, cells: unknown[][]): string | undefined {
  const isRow = cells.length === 1 && cells[0].length > 1;
  if (!isRow && cells.some((row) => row.length !== 1)) return undefined;
  const values = isRow ? cells[0] : cells.map((row) => row[0]);
  // Thresholds end at the last cell filled in; a trailing 0 may be a blank cell (as `series` reads them).
  let filled = values.length;
  while (filled > 0 && (isEmpty(values[filled - 1]) || values[filled - 1] === 0)) filled--;
  const s = fixedOf(spend);
  const b = fixedOf(budget);
  if (filled === 0 || !s || !b) return undefined;
  let reached = -1;
  let reachedAt: Fixed | undefined;
  for (let i = 0; i < filled; i++) {
    const v = values[i];
    // Doubles order as the decimals of their shortest texts do.
    if (typeof v !== "number" || !Number.isFinite(v) || !(v > (i === 0 ? 0 : (values[i - 1] as number)))) return undefined;
    const t = fixedOf(v);
    const limit = t && timesFixed(t, b);
    const margin = limit && minusFixed(s, limit);
    if (!margin) return undefined;
    if (margin.units >= 0) {
      reached = i;
      reachedAt = t;
    }
  }
  if (!reachedAt) return "ok";
  if (reached === filled - 1) return "over budget";
  const percent = percentText(reachedAt);
  return percent === undefined ? undefined : `${percent}%`;
}

export const BUDGET_STATUS = defineFunction(
  "BUDGET_STATUS",
  {
    description: 'Budget status as text: "ok", the highest threshold reached ("50%", "80%"), or "over budget" at the last threshold.',
    result: "text",
    returns: '"ok", a percentage such as "80%", or "over budget".',
    help: {
      spend: "USD spent so far.",
      budget: "USD budget, above 0.",
      thresholds: "Row or column of increasing fractions of the budget, above 0 (1.2 = 120%). Default {0.5,0.8,1}.",
    },
  },
  [amount("spend"), double("budget", { above: 0 }), optional(range("thresholds"), [[0.5, 0.8, 1]])],
  (spend, budget, thresholdCells) => {
    const fast = fixedBudgetStatus(spend, budget, thresholdCells);
    if (fast !== undefined) return fast;
    // Above 1 too: a cap at 1.2 × plan ({0.8,1,1.2}) reads "100%" between plan and cap.
    const given = series("thresholds", thresholdCells, { zeroIsBlank: true });
    const thresholds = numbers(given, given.filled, { above: 0 });
    if (thresholds.length === 0) throw valueError("thresholds", "needs at least one threshold");
    if (thresholds.some((t, i) => i > 0 && t.lte(thresholds[i - 1]))) {
      throw valueError("thresholds", "must increase (for example 0.5, 0.8, 1)");
    }
    return budgetStatus(fromNumber(spend), fromNumber(budget), thresholds);
  },
);

// --- commitments and quality -----------------------------------------------------------------

/** One band of a volume discount: from `threshold` USD a month, `discount` off (Excel's doubles). */
interface Tier {
  readonly threshold: number;
  readonly discount: number;
}

/** Each row's checks, named for it ("tiers, row 2"), made once for the rows a sheet's tiers have. */
const tierRules: { readonly threshold: Param<number>; readonly discount: Param<number> }[] = [];

function tierRule(i: number): (typeof tierRules)[number] {
  const made = tierRules[i];
  if (made) return made;
  const at = `tiers, row ${i + 1}`;
  const rule = { threshold: amount(at), discount: share(at) };
  if (i < 100) tierRules[i] = rule;
  return rule;
}

/** A two-column range of thresholds (the first 0, strictly ascending) and discounts; blank rows at the end are ignored. */
function tiersArg(rows: unknown[][]): Tier[] {
  for (const row of rows) if (row.length !== 2) throw valueError("tiers", "must be two columns: spend threshold, discount");
  let filled = rows.length;
  while (filled > 0 && isEmpty(rows[filled - 1][0]) && isEmpty(rows[filled - 1][1])) filled--;
  if (filled === 0) throw valueError("tiers", "needs at least one row");
  const tiers: Tier[] = [];
  for (let i = 0; i < filled; i++) {
    const threshold = rows[i][0];
    const discount = rows[i][1];
    if (isEmpty(threshold) || isEmpty(discount))
      throw valueError(`tiers, row ${i + 1}`, "is blank (a tier needs a threshold and a discount)");
    const rule = tierRule(i);
    tiers.push({ threshold: rule.threshold.parse(threshold), discount: rule.discount.parse(discount) });
  }
  // Doubles order as the decimals of their shortest texts do.
  if (tiers[0].threshold !== 0) throw valueError("tiers", "the first threshold must be 0");
  for (let i = 1; i < tiers.length; i++) {
    if (tiers[i].threshold <= tiers[i - 1].threshold) {
      throw valueError("tiers", "thresholds must ascend strictly (for example 0, 50000, 200000)");
    }
  }
  return tiers;
}

/**
 * USD after a volume discount. Not graduated: the discount of the highest threshold reached
 * applies to the whole spend. Graduated: each band of spend, from its threshold to the next,
 * gets its own discount, as income-tax bands do.
 */
export function committedCost(spend: Dec, tiers: readonly Tier[], graduated: boolean): Dec {
  const keep = (t: Tier) => ONE.minus(fromNumber(t.discount));
  if (!graduated) {
    const reached = tiers.filter((t) => fromNumber(t.threshold).lte(spend)).at(-1)!;
    return spend.times(keep(reached));
  }
  return sum(
    tiers.map((t, i) => {
      const top = i + 1 < tiers.length ? Dec.min(spend, fromNumber(tiers[i + 1].threshold)) : spend;
      return Dec.max(ZERO, top.minus(fromNumber(t.threshold))).times(keep(t));
    }),
  );
}

/** 1 − discount exactly (a discount is 0 to 1), or undefined past the safe integers. */
function kept(discount: number): Fixed | undefined {
  const d = fixedOf(discount);
  if (!d) return undefined;
  // Exact operands: a difference that is a safe integer is exact, one past them fails the test.
  const units = POW10[d.scale] - d.units;
  return Number.isSafeInteger(units) ? new Fixed(units, d.scale) : undefined;
}

/**
 * committedCost in exact integer arithmetic, or undefined once a step leaves the safe integers.
 * Every difference, product and partial sum the decimal path forms is then at most 16 digits,
 * so none of its 34-digit steps rounded and the two agree.
 */
function fixedCommittedCost(spend: number, tiers: readonly Tier[], graduated: boolean): Fixed | undefined {
  const s = fixedOf(spend);
  if (!graduated) {
    let reached = tiers[0];
    for (const t of tiers) if (t.threshold <= spend) reached = t;
    const k = kept(reached.discount);
    return s && k && timesFixed(s, k);
  }
  let total: Fixed | undefined = new Fixed(0, 0);
  for (let i = 0; i < tiers.length && total; i++) {
    const top = i + 1 < tiers.length ? Math.min(spend, tiers[i + 1].threshold) : spend;
    if (top <= tiers[i].threshold) break; // this band and every later one is empty
    const from = fixedOf(tiers[i].threshold);
    const to = fixedOf(top);
    const band = from && to && minusFixed(to, from);
    const k = kept(tiers[i].discount);
    const cost = band && k && timesFixed(band, k);
    total = cost && addFixed(total, cost);
  }
  return total;
}

export const COMMITTED_COST = defineFunction(
  "COMMITTED_COST",
  {
    description:
      "USD after a committed-use volume discount: tiers are spend thresholds (USD a month, from 0, ascending) and discounts; the highest reached applies to all spend, or with graduated each band gets its own.",
    result: "number",
    returns: "USD a month, after the discount.",
    help: {
      monthly_spend: "USD a month before the discount.",
      tiers: "Two-column range: spend threshold (USD a month; the first 0, strictly ascending) and discount (0.2 = 20% off).",
      graduated: "TRUE: each band of spend gets its own band's discount. Default FALSE: the highest band reached applies to all.",
    },
  },
  [amount("monthly_spend"), range("tiers"), optional(flag("graduated"), false)],
  (spend, tierCells, graduated) => {
    const tiers = tiersArg(tierCells);
    return fixedCommittedCost(spend, tiers, graduated) ?? committedCost(fromNumber(spend), tiers, graduated);
  },
);

/**
 * QUALITY_BREAKEVEN's differences, kept for the pair last asked (and which way round): a GRID's
 * row shares one of them.
 */
const COST_GAP = new WideAcc();
const COST_GAP_FOR = new LastKeys();
const SUCCESS_GAP = new WideAcc();
const SUCCESS_GAP_FOR = new LastKeys();

/** a − b into `into` when `forwards`, else b − a. */
function gap(into: WideAcc, forwards: boolean, a: number, b: number): void {
  if (forwards) into.setDouble(a).minusDouble(b);
  else into.setDouble(b).minusDouble(a);
}

export const QUALITY_BREAKEVEN = defineFunction(
  "QUALITY_BREAKEVEN",
  {
    description:
      "USD a failure must cost for two options to cost the same per task, counting each failure at that cost: (cost_a − cost_b) ÷ (success_a − success_b).",
    result: "number",
    returns: "USD per failure. Above it the more reliable option is cheaper per task.",
    help: {
      cost_a: "USD per task with option A.",
      success_a: "Fraction of A's tasks that succeed, 0 to 1.",
      cost_b: "USD per task with option B.",
      success_b: "Fraction of B's tasks that succeed, 0 to 1.",
    },
  },
  [amount("cost_a"), share("success_a"), amount("cost_b"), share("success_b")],
  (costA, successA, costB, successB) => {
    // Doubles order as the decimals of their shortest texts do.
    // Answered, not thrown: a GRID along a cost or a success rate may break these cell after cell.
    if (successA === successB) return EQUAL_SUCCESS;
    if (costA === costB) return ZERO; // not −0
    if (costA > costB !== successA > successB) return DOMINATED;
    // The differences taken the positive way round: the decimal path's quotient of two negatives rounds as that of their opposites.
    const aAhead = successA > successB;
    if (COST_GAP_FOR.changed(costA, costB, aAhead)) gap(COST_GAP, aAhead, costA, costB);
    if (SUCCESS_GAP_FOR.changed(successA, successB, aAhead)) gap(SUCCESS_GAP, aAhead, successA, successB);
    NUM.set(COST_GAP);
    DEN.set(SUCCESS_GAP);
    return ratio(() =>
      fromNumber(costA)
        .minus(fromNumber(costB))
        .div(fromNumber(successA).minus(fromNumber(successB))),
    );
  },
);

// --- currencies ------------------------------------------------------------------------------

export const FX = defineFunction(
  "FX",
  {
    description:
      'Units of a currency per 1 USD on a date: the catalogue\'s planning rate where it has one, else the ECB reference rates in force then. =TL.LLMCOST(…)*TL.FX("EUR") is euros.',
    result: "number",
    returns: "Units of the currency per 1 USD.",
    help: {
      currency: 'ISO 4217 code ("EUR", "GBP", "JPY").',
      as_of: 'Date of the rate (an Excel date or "YYYY-MM-DD"): the latest ECB publication on or before it. Default: today.',
    },
  },
  [textAs("currency", currencyCode), maybe(date("as_of"))],
  (currency, asOf) => fxRate(activeCatalogue().data.fx, currency, asOf ?? today()),
);
