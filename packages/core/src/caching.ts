import { type CompiledModel, componentPrice, modelArg, tierLevel } from "./catalogue";
import type { FixedRates, Rates } from "./catalogue/compile";
import { resolvedRate } from "./catalogue/rates";
import type { Component } from "./catalogue/schema";
import {
  Dec,
  Fixed,
  MAX_FIXED_SCALE,
  type Nearest,
  ONE,
  POW10,
  ZERO,
  addFixed,
  nearest,
  fixedOfDec,
  fromNumber,
  placesOf,
  shifted,
} from "./decimal";
import * as dd from "./doubledouble";
import { LastKeys } from "./recent";
import { noResult, valueError } from "./errors";
import { safeTimes, term } from "./pricing";
import { type Param, count, defineFunction, double, optional, textAs } from "./sheet";
import { Wide, WideAcc, exactOfWide } from "./wide";

/**
 * Prompt-cache economics for a prefix shared by many requests: how often it is written, what
 * writes, reads and storage cost, and how many reads a write needs to pay for itself.
 */

// --- TTLs ------------------------------------------------------------------------------------

const MINUTES_PER: Record<string, number> = {
  m: 1,
  min: 1,
  mins: 1,
  minute: 1,
  minutes: 1,
  h: 60,
  hr: 60,
  hrs: 60,
  hour: 60,
  hours: 60,
  d: 1440,
  day: 1440,
  days: 1440,
};

/** Minutes in a duration word: "5m", "1h", "24h", "2d" (also "90 min", "1 hour"). */
export function parseTtl(word: string, arg: string): Dec {
  const m = /^\s*(\d+(?:\.\d*)?|\.\d+)\s*([a-z]+)\s*$/i.exec(word);
  const perUnit = m ? MINUTES_PER[m[2].toLowerCase()] : undefined;
  if (!m || perUnit === undefined) throw valueError(arg, `must be a duration such as 5m, 1h or 24h, got "${word}"`);
  const minutes = new Dec(m[1]).times(perUnit);
  if (minutes.isZero()) throw valueError(arg, "must be longer than 0");
  return minutes;
}

const FIVE_MINUTES = new Dec(5);
const MINUTES_PER_HOUR = new Dec(60);

/** A TTL as the formulas take it: its minutes, as a Fixed too where they have one, and the write price it pays. */
export interface Ttl {
  readonly minutes: Dec;
  readonly fixed: Fixed | undefined;
  readonly write: Component;
}

function ttlOf(minutes: Dec): Ttl {
  const places = minutes.decimalPlaces();
  const units = minutes.times(new Dec(10).pow(places)).toNumber();
  const fixed = places <= MAX_FIXED_SCALE && Number.isSafeInteger(units) ? new Fixed(units, places) : undefined;
  return { minutes, fixed, write: writeComponent(minutes) };
}

const ttls = new Map<string, Ttl>();

/** A TTL argument; a workbook uses a handful of TTL words, each read once. */
function ttlArg(name: string): Param<Ttl> {
  return textAs(name, (word) => {
    const known = ttls.get(word);
    if (known) return known;
    const ttl = ttlOf(parseTtl(word, name));
    if (ttls.size < 256) ttls.set(word, ttl);
    return ttl;
  });
}

const FIVE_MINUTE_TTL = ttlOf(FIVE_MINUTES);

/**
 * The write price a TTL pays. Up to 5 minutes, the standard (5-minute) write. Longer, the 1-hour
 * write where the entry prices one (Anthropic), else its single write price, which serves every
 * TTL. Anthropic sells no TTL between or beyond these two; a longer one is priced as its nearest
 * dearer product, the 1-hour write.
 */
function writeComponent(ttlMinutes: Dec): Component {
  return ttlMinutes.lte(FIVE_MINUTES) ? "cache_write" : "cache_write_1h";
}

/**
 * Cache storage per 1M tokens per hour in the units of the model's integer table (× 10^−scale),
 * kept beside it as storage is not one of its components: 0 where storage is not billed, NaN
 * where it has more places than the table (the decimal path prices those). Keyed by the table,
 * which a catalogue builds once.
 */
const storage = new WeakMap<FixedRates, number>();

function storageUnits(model: CompiledModel, level: number, r: FixedRates): number {
  let units = storage.get(r);
  if (units === undefined) {
    const perMillion = resolvedRate(model.rates[level].get("")!, "cache_storage_hour");
    units = perMillion === undefined ? 0 : perMillion.times(new Dec(10).pow(r.scale)).toNumber();
    if (!Number.isSafeInteger(units)) units = Number.NaN;
    storage.set(r, units);
  }
  return units;
}

/** Per-token prices of a cached prefix: USD per token, storage USD per token per hour. */
export interface CachePrices {
  readonly input: Dec;
  readonly read: Dec;
  readonly write: Dec;
  readonly storageHour: Dec;
}

/**
 * A model's cache prices for a TTL, standard mode, at the long-context tier the prefix alone
 * reaches. A model with no cache read or write price is `#VALUE!` naming the missing one.
 */
export function cachePrices(model: CompiledModel, ttlMinutes: Dec, prefixTokens: Dec = ZERO): CachePrices {
  const rates = model.perToken[tierLevel(model, prefixTokens.toNumber())].get("")!;
  const price = (c: Component) => componentPrice(model, rates, c, "model");
  return {
    input: price("input"),
    read: price("cache_read"),
    write: price(writeComponent(ttlMinutes)),
    storageHour: price("cache_storage_hour"),
  };
}

// --- the formulas ----------------------------------------------------------------------------

/**
 * Expected writes when `requests` arrive at random (Poisson) over `periodMinutes` and every hit
 * refreshes the TTL: the first request writes, and each later one writes when the gap since the
 * one before exceeds the TTL, which happens with probability e^(−λ·ttl), λ = requests ÷ period.
 */
export function expectedWrites(requests: Dec, periodMinutes: Dec, ttlMinutes: Dec): Dec {
  const lambdaTtl = requests.div(periodMinutes).times(ttlMinutes);
  return ONE.plus(requests.minus(ONE).times(lambdaTtl.neg().exp()));
}

/** None of 0 requests writes: λ = 0, e^0 = 1 and 1 + (0 − 1) × 1 = 0, exactly. */
const NO_WRITES = new Fixed(0, 0);

/**
 * Below this, (requests − 1) × e^(−λ·ttl) leaves 1 + it, and the decimal path's result (within
 * 10^−31 of it), within 2^−59 of 1, far inside 1's rounding interval (2^−54 below, 2^−53 above):
 * both are 1 as a double, and a cache kept warm by busy traffic needs no exp. Tested in doubles:
 * for x ≤ 700 the double x is within x × 2^−52 of the double-double one (itself within 2^−90 of
 * λ·ttl) and Math.exp and the product err by ulps, a factor 1 ± 2^−40 in all; past it both are far
 * below. |requests − 1| < 2^53 (a Wide's safe units) and e^−100 × 2^53 < 2^−91, so every x past
 * 100 passes.
 */
const ALWAYS_WARM = 2 ** -60;

/** nearestWrites' inputs as exact decimals, read into the same three objects on every call. */
const R = new WideAcc();
const P = new WideAcc();
const T = new WideAcc();

/**
 * requests × ttl's units and (requests − 1) as double-doubles, and the scale of the first (NaN: no
 * exact form), for the requests and TTL last asked: a GRID's row along the period shares them.
 */
const ARRIVALS = new Float64Array(5);
const ARRIVALS_FOR = new LastKeys();

function arrivals(requests: number, ttl: number): void {
  ARRIVALS[0] = Number.NaN;
  const r = R.setDouble(requests);
  const t = T.setDouble(ttl);
  if (!r.ok || !t.ok || r.scale > MAX_FIXED_SCALE) return;
  dd.add(r.hi, r.lo, -POW10[r.scale], 0);
  dd.mulPow10(dd.out.hi, dd.out.lo, -r.scale);
  ARRIVALS[2] = dd.out.hi;
  ARRIVALS[3] = dd.out.lo;
  dd.mul(r.hi, r.lo, t.hi, t.lo);
  ARRIVALS[0] = dd.out.hi;
  ARRIVALS[1] = dd.out.lo;
  ARRIVALS[4] = r.scale + t.scale;
}

/**
 * CACHE_WRITES' fast path: the double nearest the decimal path's result, or undefined when that
 * is not decided. It computes W = 1 + p, p = (requests − 1) × e^−x, x = requests × ttl ÷ period,
 * in double-double from the inputs' exact decimals (wide.ts reads them as the decimal path does,
 * 17-digit fill-series doubles included).
 *
 * Error bound on p, relative, for x ≤ 100 (ALWAYS_WARM answers past it; u = 2^−53,
 * doubledouble.ts's bounds): the units are exact double-doubles; requests × ttl 7u², ÷ period 13u²,
 * × 10^d (at most three exact powers of ten) 10.5u², so x is within 31u² and e^−x carries ≤
 * 31.1x·u² from x and ≤ (128 + 4x)u² of its own; requests − 1 is its units less 10^scale (3u²) ÷
 * 10^scale (3.5u²); the product 7u²: ≤ 3660u² < 2^−94 in all. The decimal path rounds λ and λ·ttl
 * to 34 digits (≤ 5e−34 each, so e^−x moves by ≤ 1.02 × x × 1.0000001e−33), exp (≤ 10^−33 allowed,
 * decimal.js rounds it correctly), R − 1 (exact: at most 17 digits at a scale ≤ 22) and the product
 * (5e−34 each): ≤ 1.1e−31 < 2^−102 of p. The last sums, ours (3u²) and its (5e−34), are < 2^−103 of
 * W. So the decimal path's W lies within |p| × 2^−93 + W × 2^−102 of ours; the bound passed is 8
 * and 16 times that. Ziv's test (dd.roundsTo): when W ± bound stays strictly within half an ulp of
 * the double W rounds to (W ≥ min(requests, 1) > 10^−23, so normal), the decimal path's 34-digit
 * result rounds to that double too.
 */
export function nearestWrites(requests: number, period: number, ttl: number): Fixed | Nearest | undefined {
  if (requests === 0) return NO_WRITES;
  if (ARRIVALS_FOR.changed(requests, ttl)) arrivals(requests, ttl);
  const p = P.setDouble(period);
  if (Number.isNaN(ARRIVALS[0]) || !p.ok) return undefined;
  dd.div(ARRIVALS[0], ARRIVALS[1], p.hi, p.lo);
  dd.mulPow10(dd.out.hi, dd.out.lo, p.scale - ARRIVALS[4]);
  if (Math.abs(requests - 1) * Math.exp(-dd.out.hi) < ALWAYS_WARM) return nearest(1, decimalWrites, [requests, period, ttl]);
  dd.exp(-dd.out.hi, -dd.out.lo);
  dd.mul(ARRIVALS[2], ARRIVALS[3], dd.out.hi, dd.out.lo);
  const ph = dd.out.hi;
  dd.add(1, 0, ph, dd.out.lo);
  const wh = dd.out.hi;
  return dd.roundsTo(wh, dd.out.lo, Math.abs(ph) * 2 ** -90 + wh * 2 ** -98)
    ? nearest(wh, decimalWrites, [requests, period, ttl])
    : undefined;
}

/** CACHE_WRITES' decimal path, from the sheet's doubles. */
function decimalWrites(requests: number, period: number, ttl: number): Dec {
  return expectedWrites(fromNumber(requests), fromNumber(period), fromNumber(ttl));
}

/** USD for a prefix over `requests`: `writes` at the write price, the rest read, plus storage. */
export function prefixCost(p: CachePrices, prefix: Dec, requests: Dec, writes: Dec, hoursStored: Dec): Dec {
  const perToken = writes.times(p.write).plus(requests.minus(writes).times(p.read)).plus(hoursStored.times(p.storageHour));
  return prefix.times(perToken);
}

/** USD for the prefix at the plain input price on every request. */
export function uncachedCost(p: CachePrices, prefix: Dec, requests: Dec): Dec {
  return prefix.times(requests).times(p.input);
}

/**
 * The fewest reads per write, whole, for which caching costs less: the smallest n ≥ 0 with
 * write + n × read + storage for the TTL < (1 + n) × input, i.e.
 * n × (input − read) > write − input + storage. Both sides are taken × 60 so that storage
 * (per hour × minutes ÷ 60) stays exact; the quotient is then exact or far from an integer at
 * 34 digits, so its floor is the true one. Undefined when no n satisfies it.
 */
export function breakevenReads(p: CachePrices, ttlMinutes: Dec): Dec | undefined {
  const excess = p.write.minus(p.input).times(MINUTES_PER_HOUR).plus(p.storageHour.times(ttlMinutes));
  if (excess.lt(ZERO)) return ZERO;
  const gain = p.input.minus(p.read).times(MINUTES_PER_HOUR);
  if (gain.lte(ZERO)) return undefined;
  return excess.div(gain).floor().plus(ONE);
}

/**
 * CACHE_BREAKEVEN_READS' hot path: breakevenReads in integers. Both sides × 60 × 10^places of
 * the TTL × 10^6 × 10^scale of the model's integer table are safe integers here, so excess ÷ gain
 * is the same fraction as the decimal path's, whose 34-digit quotient (exact or, for a numerator
 * below 2^53, farther than 1 ÷ gain from an integer) floors alike. Undefined when a price is
 * missing, caching never pays (the decimal path raises those) or a product leaves 2^53.
 */
export function fixedBreakevenReads(model: CompiledModel, ttl: Ttl): Fixed | undefined {
  const level = tierLevel(model, 0);
  const r = model.fixed[level].get("");
  const t = ttl.fixed;
  if (!r || !t) return undefined;
  const write = ttl.write === "cache_write" ? r.cache_write : r.cache_write_1h;
  const minutes = 60 * POW10[t.scale];
  const excess = safeTimes(write - r.input, minutes) + safeTimes(storageUnits(model, level, r), t.units);
  const gain = safeTimes(r.input - r.cache_read, minutes);
  // A NaN (a missing price, a product past 2^53) fails these tests.
  if (!Number.isSafeInteger(excess) || !Number.isSafeInteger(gain)) return undefined;
  if (excess < 0) return NO_READS;
  return gain > 0 ? new Fixed((excess - (excess % gain)) / gain + 1, 0) : undefined;
}

/** No reads: the write alone already costs less than the input it replaces. */
const NO_READS = new Fixed(0, 0);

// --- worksheet functions ---------------------------------------------------------------------

export const CACHE_WRITES = defineFunction(
  "CACHE_WRITES",
  {
    description:
      "Expected cache writes of a prefix when requests arrive at random (Poisson) and every hit refreshes the TTL: 1 + (requests − 1) × e^(−λ × ttl_minutes), λ = requests ÷ period_minutes. A later request writes only when its gap outlasts the TTL.",
    result: "number",
    returns: "Expected writes in the period (between 1 and requests, for 1 request or more).",
    help: {
      requests: "Requests in the period (0 or more).",
      period_minutes: "Length of the period in minutes (a day is 1440).",
      ttl_minutes: "Cache time-to-live in minutes (5 for a 5-minute cache).",
    },
  },
  [count("requests"), double("period_minutes", { above: 0 }), double("ttl_minutes", { min: 0 })],
  (requests, period, ttl) => nearestWrites(requests, period, ttl) ?? decimalWrites(requests, period, ttl),
);

const ttlParam = optional(ttlArg("ttl"), FIVE_MINUTE_TTL);

/** CACHE_COST's and CACHE_SAVINGS' parameters, kept as doubles for the hot paths. */
const prefixParams = [
  modelArg(),
  count("prefix_tokens"),
  count("requests"),
  count("cache_writes"),
  ttlParam,
  optional(double("hours_stored", { min: 0 }), 0),
] as const;

const PREFIX_HELP = {
  model: 'Catalogue id ("anthropic/claude-sonnet-4-6") or an unambiguous model name; needs cache prices.',
  prefix_tokens: "Tokens in the cached prefix.",
  requests: "Requests that use the prefix.",
  cache_writes: "How many of them write the cache (at most requests; see CACHE_WRITES).",
  ttl: '"5m" (default), "1h", "24h"…: up to 5 minutes the 5-minute write rate, longer the 1-hour rate where the model has one.',
  hours_stored: "Hours of cache storage to bill (Google bills storage; 0 elsewhere). Default 0.",
};

/**
 * CACHE_COST's hot path, in LLMCOST's exact integer arithmetic: prefix × (writes × write rate +
 * (requests − writes) × read rate + hours × storage rate), counts as integers at a power-of-ten
 * scale, rates from the model's integer tables. Answers undefined whenever that is not exact or
 * an error is due; the decimal path takes over.
 */
export function fixedPrefixCost(
  model: CompiledModel,
  prefix: number,
  requests: number,
  writes: number,
  ttl: Ttl,
  hours: number,
): Fixed | undefined {
  if (writes > requests) return undefined;
  const pp = placesOf(prefix);
  const q = Math.max(placesOf(requests), placesOf(writes), placesOf(hours));
  const level = tierLevel(model, prefix);
  const r = model.fixed[level].get("");
  // cachePrices needs an input price too, used or not: a NaN rate sends the call to its error.
  if (!r || Number.isNaN(r.input) || r.scale + 6 + pp + q > MAX_FIXED_SCALE) return undefined;
  const write = ttl.write === "cache_write" ? r.cache_write : r.cache_write_1h;
  const w = shifted(writes, q);
  const perToken = term(w, write) + term(shifted(requests, q) - w, r.cache_read) + term(shifted(hours, q), storageUnits(model, level, r));
  // No writes or no reads still need both prices, as the decimal path does.
  const units = Number.isNaN(write + r.cache_read) ? Number.NaN : safeTimes(perToken, shifted(prefix, pp));
  return Number.isSafeInteger(units) ? new Fixed(units, r.scale + 6 + pp + q) : undefined;
}

/**
 * CACHE_SAVINGS' hot path: the prefix at the input rate on every request, less CACHE_COST's
 * integer answer, at the larger of the two scales. Undefined whenever either is not exact.
 */
export function fixedPrefixSavings(
  model: CompiledModel,
  prefix: number,
  requests: number,
  writes: number,
  ttl: Ttl,
  hours: number,
): Fixed | undefined {
  const cost = fixedPrefixCost(model, prefix, requests, writes, ttl, hours);
  if (!cost) return undefined;
  // fixedPrefixCost found these rates and an input price among them.
  const r = model.fixed[tierLevel(model, prefix)].get("")!;
  const pp = placesOf(prefix);
  const pq = placesOf(requests);
  const units = safeTimes(safeTimes(shifted(prefix, pp), shifted(requests, pq)), r.input);
  const scale = r.scale + 6 + pp + pq;
  return Number.isSafeInteger(units) && scale <= MAX_FIXED_SCALE
    ? addFixed(new Fixed(units, scale), new Fixed(-cost.units, cost.scale))
    : undefined;
}

/** The scratch exact decimals of widePrefixCost and its callers (one call at a time). */
const COST = new WideAcc();
const PART = new WideAcc();

/**
 * fixedPrefixCost for counts past its scales (a fill series' 46.400000000000006 writes or
 * 40.400000000000006 hours), in exact Wides: leaves in COST the same sum and product, in the units
 * of the model's integer table × 10^−6 (so at scale COST.scale + r.scale + 6), and answers the
 * table; undefined whenever fixedPrefixCost would for a reason other than size (a missing price,
 * too many writes) or a step leaves the Wides. Every step of the decimal path is then an exact
 * decimal below 2^103 < 10^31 units, fewer digits than its 34: requests − writes is not negative,
 * and the sum adds terms that are not, so none rounded.
 */
function widePrefixCost(
  model: CompiledModel,
  prefix: number,
  requests: number,
  writes: number,
  ttl: Ttl,
  hours: number,
): FixedRates | undefined {
  if (writes > requests) return undefined;
  const level = tierLevel(model, prefix);
  const r = model.fixed[level].get("");
  if (!r || Number.isNaN(r.input)) return undefined;
  const write = ttl.write === "cache_write" ? r.cache_write : r.cache_write_1h;
  if (Number.isNaN(write + r.cache_read)) return undefined;
  COST.setDouble(writes).timesDouble(write).plus(PART.setDouble(requests).minusDouble(writes).timesDouble(r.cache_read));
  if (hours !== 0) {
    const storageRate = storageUnits(model, level, r);
    if (Number.isNaN(storageRate)) return undefined;
    COST.plus(PART.setDouble(hours).timesDouble(storageRate));
  }
  return COST.timesDouble(prefix).ok ? r : undefined;
}

/** CACHE_COST where fixedPrefixCost is not exact: widePrefixCost's cost in USD. */
function nearestPrefixCost(
  model: CompiledModel,
  prefix: number,
  requests: number,
  writes: number,
  ttl: Ttl,
  hours: number,
): Fixed | Nearest | undefined {
  const r = widePrefixCost(model, prefix, requests, writes, ttl, hours);
  if (!r) return undefined;
  COST.scale += r.scale + 6;
  return exactOfWide(COST, () => decimalPrefixCost(model, prefix, requests, writes, ttl, hours));
}

/**
 * CACHE_SAVINGS where fixedPrefixSavings is not exact: prefix × requests × the input rate, less
 * widePrefixCost's cost, in the same units. The decimal path's difference of those two exact
 * decimals is exact too when it is a Wide.
 */
function nearestPrefixSavings(
  model: CompiledModel,
  prefix: number,
  requests: number,
  writes: number,
  ttl: Ttl,
  hours: number,
): Fixed | Nearest | undefined {
  const r = widePrefixCost(model, prefix, requests, writes, ttl, hours);
  if (!r) return undefined;
  const savings = PART.setDouble(prefix).timesDouble(requests).timesDouble(r.input).minus(COST);
  if (!savings.ok) return undefined;
  savings.scale += r.scale + 6;
  return exactOfWide(savings, () =>
    prefixSavings(model, fromNumber(prefix), fromNumber(requests), fromNumber(writes), ttl.minutes, fromNumber(hours)),
  );
}

/** CACHE_COST's decimal path, from the sheet's doubles. */
function decimalPrefixCost(model: CompiledModel, prefix: number, requests: number, writes: number, ttl: Ttl, hours: number): Dec {
  return cachedPrefix(model, fromNumber(prefix), fromNumber(requests), fromNumber(writes), ttl.minutes, fromNumber(hours)).cost;
}

/** The prices and the checked cost of a prefix, shared by CACHE_COST and CACHE_SAVINGS. */
function cachedPrefix(model: CompiledModel, prefix: Dec, requests: Dec, writes: Dec, ttl: Dec, hours: Dec) {
  if (writes.gt(requests)) throw valueError("cache_writes", "must not exceed requests");
  const prices = cachePrices(model, ttl, prefix);
  return { prices, cost: prefixCost(prices, prefix, requests, writes, hours) };
}

export const CACHE_COST = defineFunction(
  "CACHE_COST",
  {
    description:
      "USD for a cached prompt prefix over many requests: cache_writes at the write rate of the TTL, the other requests at the cache-read rate, plus storage where the provider bills it.",
    result: "number",
    returns: "USD.",
    help: PREFIX_HELP,
  },
  prefixParams,
  (model, prefix, requests, writes, ttl, hours) =>
    fixedPrefixCost(model, prefix, requests, writes, ttl, hours) ??
    nearestPrefixCost(model, prefix, requests, writes, ttl, hours) ??
    decimalPrefixCost(model, prefix, requests, writes, ttl, hours),
);

/** The decimal path of CACHE_SAVINGS. */
export function prefixSavings(model: CompiledModel, prefix: Dec, requests: Dec, writes: Dec, ttl: Dec, hours: Dec): Dec {
  const { prices, cost } = cachedPrefix(model, prefix, requests, writes, ttl, hours);
  return uncachedCost(prices, prefix, requests).minus(cost);
}

export const CACHE_SAVINGS = defineFunction(
  "CACHE_SAVINGS",
  {
    description: "USD saved by caching a prompt prefix: the prefix at the input rate on every request, minus CACHE_COST.",
    result: "number",
    returns: "USD (negative when caching costs more).",
    help: PREFIX_HELP,
  },
  prefixParams,
  (model, prefix, requests, writes, ttl, hours) =>
    fixedPrefixSavings(model, prefix, requests, writes, ttl, hours) ??
    nearestPrefixSavings(model, prefix, requests, writes, ttl, hours) ??
    prefixSavings(model, fromNumber(prefix), fromNumber(requests), fromNumber(writes), ttl.minutes, fromNumber(hours)),
);

export const CACHE_BREAKEVEN_READS = defineFunction(
  "CACHE_BREAKEVEN_READS",
  {
    description:
      "The fewest cache reads per write, whole, for which caching costs less than not caching, storage for one TTL included. #NUM! when it never does.",
    result: "number",
    returns: "Reads per write (a whole number).",
    help: {
      model: "Catalogue id or an unambiguous model name; needs cache prices.",
      ttl: '"5m" (default), "1h", "24h"…: picks the write rate and the hours of storage.',
    },
  },
  [modelArg(), ttlParam],
  (model, ttl) => {
    const fast = fixedBreakevenReads(model, ttl);
    if (fast) return fast;
    const prices = cachePrices(model, ttl.minutes);
    const n = breakevenReads(prices, ttl.minutes);
    if (!n) throw noResult(`model: caching never pays for ${model.id}: a cache read costs no less than uncached input`);
    return n;
  },
);

/** The decimal path of CACHE_STORAGE. */
export function storageCost(model: CompiledModel, tokenCount: Dec, hours: Dec): Dec {
  const rates = model.perToken[tierLevel(model, tokenCount.toNumber())].get("")!;
  return tokenCount.times(hours).times(componentPrice(model, rates, "cache_storage_hour", "model"));
}

/**
 * Storage per token per hour as an exact Wide, null where it has no Fixed form (more digits than
 * a double's text); keyed by the per-token table the decimal path prices from, built once a model.
 */
const storageRates = new WeakMap<Rates, Wide | null>();

function storageRate(model: CompiledModel, rates: Rates): Wide | null {
  let rate = storageRates.get(rates);
  if (rate === undefined) {
    const f = fixedOfDec(componentPrice(model, rates, "cache_storage_hour", "model"));
    rate = f ? new Wide(f.units, 0, f.scale) : null;
    storageRates.set(rates, rate);
  }
  return rate;
}

/** CACHE_STORAGE's product, worked in the same object on every call. */
const STORED = new WideAcc();

/**
 * CACHE_STORAGE's fast path: tokens × hours × the storage rate, exactly, from the inputs' exact
 * decimals (wide.ts reads them as the decimal path does, 17-digit fill-series doubles included).
 * Below 2^103 < 10^31 the product's units have fewer than 34 digits, so the decimal path's two
 * products were exact too: a Fixed where the units are safe, else the double nearest that same
 * value (nearestOf, bound 0), which is what the decimal path's correctly rounded toNumber gives.
 * Undefined when the product leaves the Wides or the storage rate has no exact form.
 */
export function nearestStorageCost(model: CompiledModel, tokenCount: number, hours: number): Fixed | Nearest | undefined {
  const rate = storageRate(model, model.perToken[tierLevel(model, tokenCount)].get("")!);
  if (!rate) return undefined;
  const product = STORED.setDouble(tokenCount).timesDouble(hours).times(rate);
  return exactOfWide(product, () => storageCost(model, fromNumber(tokenCount), fromNumber(hours)));
}

export const CACHE_STORAGE = defineFunction(
  "CACHE_STORAGE",
  {
    description:
      "USD of cache storage: tokens × hours × the model's storage price per 1M tokens per hour ÷ 1,000,000 (0 for providers that do not bill storage).",
    result: "number",
    returns: "USD.",
    help: {
      model: "Catalogue id or an unambiguous model name.",
      tokens: "Tokens held in the cache.",
      hours: "Hours they are held.",
    },
  },
  [modelArg(), count("tokens"), double("hours", { min: 0 })],
  (model, tokenCount, hours) =>
    nearestStorageCost(model, tokenCount, hours) ?? storageCost(model, fromNumber(tokenCount), fromNumber(hours)),
);
