import {
  type CompiledCatalogue,
  type CompiledModel,
  type FixedRates,
  type Rates,
  activeCatalogue,
  componentPrice,
  findModel,
  modelArg,
  requireVariant,
  resolvedRate,
  tableKey,
  tierLevel,
} from "./catalogue";
import { COMPONENTS, type Component } from "./catalogue/schema";
import {
  Dec,
  Fixed,
  MAX_FIXED_SCALE,
  MILLION,
  type Nearest,
  ONE,
  POW10,
  ZERO,
  addFixed,
  fixedOf,
  fromNumber,
  minusFixed,
  nearest,
  placesOf,
  shifted,
  shortFixedOf,
  shortScale,
  unitsAt,
  sum,
  timesFixed,
  DECIMAL_STEP,
} from "./decimal";
import { valueError } from "./errors";
import { effortTokens, thinkingFrom } from "./effort";
import {
  MAX_ROWS,
  type Matrix,
  count,
  defineFunction,
  double,
  flag,
  fraction,
  isBlankFor,
  isEmpty,
  maybe,
  nonNegative,
  number,
  optional,
  range,
  text,
  value,
} from "./sheet";
import { LastKeys } from "./recent";
import { WIDE_ONE, WIDE_ZERO, Wide, WideAcc, type WideValue, exactOfWide, nearestQuotient } from "./wide";

/**
 * What one request costs: the prompt split into uncached, cache-read and cache-written tokens,
 * visible output and thinking tokens, each at its rate, after the long-context tier and the
 * mode's variant have picked the rates.
 */

export interface Usage {
  /** The whole prompt, cached and written tokens included. */
  readonly input: Dec;
  readonly output: Dec;
  readonly cached: Dec;
  readonly cacheWrite: Dec;
  readonly reasoning: Dec;
}

export interface Mode {
  /** "" standard, "batch", "flex", "priority", "offpeak" or a pair such as "batch+offpeak". */
  readonly variant: string;
  readonly cache1h: boolean;
  /** Whether the entry's data-residency uplift applies (after the variant). */
  readonly residency: boolean;
  /** The rate-table key of variant and residency (compile.ts tableKey). */
  readonly key: string;
}

export const STANDARD: Mode = { variant: "", cache1h: false, residency: false, key: "" };

const modes = new Map<string, Mode>();

/** Service tiers: a request runs in at most one. */
const TIERS = ["batch", "flex", "priority"];

/** Mode flags, separated by commas or spaces: standard, batch, flex, priority, offpeak, cache1h, residency. */
export function parseMode(flags: string): Mode {
  const known = modes.get(flags);
  if (known) return known;
  let tier = "";
  let offpeak = false;
  let cache1h = false;
  let residency = false;
  for (const flag of flags.toLowerCase().split(/[\s,]+/)) {
    if (flag === "" || flag === "standard") continue;
    else if (TIERS.includes(flag)) {
      if (tier && tier !== flag) throw valueError("mode", `${tier} and ${flag} exclude one another`);
      tier = flag;
    } else if (flag === "offpeak") offpeak = true;
    else if (flag === "cache1h") cache1h = true;
    else if (flag === "residency") residency = true;
    else throw valueError("mode", `unknown flag "${flag}" (use standard, batch, flex, priority, offpeak, cache1h or residency)`);
  }
  const variant = [tier, offpeak && "offpeak"].filter(Boolean).join("+");
  const mode = { variant, cache1h, residency, key: tableKey(variant, residency) };
  if (modes.size < 256) modes.set(flags, mode);
  return mode;
}

interface Parts {
  uncached: Dec;
  cached: Dec;
  written: Dec;
  output: Dec;
  reasoning: Dec;
}

const PART_COMPONENTS: Record<keyof Parts, Component> = {
  uncached: "input",
  cached: "cache_read",
  written: "cache_write",
  output: "output",
  reasoning: "reasoning",
};

/**
 * The argument each part comes from, for "has no … price" messages: LLMCOST's names by default;
 * MONTHLYCOST and the reasoning functions name their own arguments.
 */
export type PartArgs = Readonly<Record<keyof Parts, string>>;

export const LLMCOST_ARGS: PartArgs = {
  uncached: "input_tokens",
  cached: "cached_tokens",
  written: "cache_write_tokens",
  output: "output_tokens",
  reasoning: "reasoning_tokens",
};

/** One part of a request's bill: its quantity at the rate applied (after tier and variant), in the meter's price unit. */
export interface BillLine {
  /** The component billed: input, cache_read, cache_write or cache_write_1h, output, reasoning, request. */
  readonly line: Component;
  readonly quantity: Dec;
  readonly rate: Dec;
  readonly unit: "USD per 1M tokens" | "USD per 1,000 requests";
  readonly usd: Dec;
}

/** The parts with tokens, each at its rate of the tier `level` and variant; a part with no tokens needs no price. */
function billLines(model: CompiledModel, level: number, key: string, parts: Parts, cache1h: boolean, args: PartArgs): BillLine[] {
  const perToken = model.perToken[level].get(key)!;
  const perMTok = model.rates[level].get(key)!;
  const lines: BillLine[] = [];
  for (const key of Object.keys(parts) as (keyof Parts)[]) {
    const n = parts[key];
    if (n.isZero()) continue;
    const c = key === "written" && cache1h ? "cache_write_1h" : PART_COMPONENTS[key];
    const usd = n.times(componentPrice(model, perToken, c, args[key]));
    lines.push({ line: c, quantity: n, rate: componentPrice(model, perMTok, c, args[key]), unit: "USD per 1M tokens", usd });
  }
  return lines;
}

/** The first `limit` tokens of a prompt laid out cached, then written, then uncached. */
function promptBelow(parts: Parts, limit: Dec): Parts {
  const cached = Dec.min(parts.cached, limit);
  const written = Dec.min(parts.written, Dec.max(ZERO, limit.minus(cached)));
  const uncached = Dec.min(parts.uncached, Dec.max(ZERO, limit.minus(cached).minus(written)));
  return { cached, written, uncached, output: parts.output, reasoning: parts.reasoning };
}

const PER_THOUSAND = new Dec("0.001");

/** The model's fee for one request (its `request` meter is USD per 1,000 requests), as a line; none without a fee. */
function feeLines(model: CompiledModel, level: number, key: string): BillLine[] {
  const fee = model.rates[level].get(key)!.request;
  return fee && !fee.isZero()
    ? [{ line: "request", quantity: ONE, rate: fee, unit: "USD per 1,000 requests", usd: fee.times(PER_THOUSAND) }]
    : [];
}

/**
 * What one request bills, part by part, and the model's fee per request. Under a marginal
 * long-context tier the prompt's parts past the threshold are lines of their own, at the tier's rates.
 */
export function requestLines(model: CompiledModel, usage: Usage, mode: Mode = STANDARD, args: PartArgs = LLMCOST_ARGS): BillLine[] {
  if (usage.cached.plus(usage.cacheWrite).gt(usage.input)) {
    throw valueError("cached_tokens", "cached_tokens + cache_write_tokens must not exceed input_tokens");
  }
  const parts: Parts = {
    uncached: usage.input.minus(usage.cached).minus(usage.cacheWrite),
    cached: usage.cached,
    written: usage.cacheWrite,
    output: usage.output,
    reasoning: usage.reasoning,
  };
  const level = tierLevel(model, usage.input.toNumber());
  const tier = level === 0 ? undefined : model.tiers[level - 1];
  requireVariant(model, mode.variant);
  const fee = feeLines(model, level, mode.key);
  if (tier?.basis !== "marginal") return [...billLines(model, level, mode.key, parts, mode.cache1h, args), ...fee];
  // Marginal tier: only the prompt tokens past the threshold bill at the tier's rates.
  const below = promptBelow(parts, tier.threshold);
  const above: Parts = {
    uncached: parts.uncached.minus(below.uncached),
    cached: parts.cached.minus(below.cached),
    written: parts.written.minus(below.written),
    output: ZERO,
    reasoning: ZERO,
  };
  return [
    ...billLines(model, 0, mode.key, below, mode.cache1h, args),
    ...billLines(model, level, mode.key, above, mode.cache1h, args),
    ...fee,
  ];
}

/** USD for one request: the sum of its lines. */
export function requestCost(model: CompiledModel, usage: Usage, mode: Mode = STANDARD, args: PartArgs = LLMCOST_ARGS): Dec {
  return sum(requestLines(model, usage, mode, args).map((l) => l.usd));
}

/**
 * The integer rate table of the model's tier for a prompt of `input` tokens under a mode's key, or
 * undefined where the integer paths do not apply (a marginal tier splits the prompt; rates that
 * have no safe integers).
 */
export function flatRates(model: CompiledModel, input: number, key: string): FixedRates | undefined {
  const level = tierLevel(model, input);
  return level > 0 && model.tiers[level - 1].basis === "marginal" ? undefined : model.fixed[level].get(key);
}

/** Tokens × integer rate; no tokens need no price (0 × NaN would poison the sum). */
export const term = (n: number, units: number) => (n === 0 ? 0 : n * units);

/** 10^−k exactly (k ≤ 22): a rate table's integers at its scale + 6 are USD per token × 10^(scale + 6). */
const UNIT_AT: readonly Wide[] = POW10.map((_, k) => new Wide(1, 0, k));

/** A part's tokens × its integer rate, worked in place. */
const LINE = new WideAcc();

/** total + tokens × rate (an integer of a FixedRates; NaN: no price); a part with no tokens needs no price, as in billLines. */
function plusLine(total: WideAcc, tokens: WideValue, rate: number): void {
  const line = LINE.set(tokens);
  if (line.ok && line.hi === 0) return;
  if (Number.isNaN(rate)) total.set(undefined);
  else total.plus(line.timesDouble(rate));
}

/**
 * `total` = USD for one request from a rate table's integers, as an exact Wide: the fee plus each
 * part's tokens (exact decimals, a fill series' 17 digits too) × its rate, × 10^−(scale + 6).
 * Fails (total.ok false) where a part with tokens has no price or a step leaves the Wides; the
 * caller's decimal path then answers or names the missing price. On that path every line and
 * partial sum is ≥ 0 and at most this total, at no finer scale: below 2^103 units, fewer than 31
 * digits, so its 34-digit products and sums were exact and it formed this same decimal.
 */
export function wideRequestCost(
  total: WideAcc,
  r: FixedRates,
  uncached: WideValue,
  cached: WideValue,
  output: WideValue,
  reasoning: WideValue,
): WideAcc {
  total.setDouble(r.request);
  plusLine(total, uncached, r.input);
  plusLine(total, cached, r.cache_read);
  plusLine(total, output, r.output);
  plusLine(total, reasoning, r.reasoning);
  return total.times(UNIT_AT[r.scale + 6]);
}

/**
 * The hot path of LLMCOST: token counts (averages too) priced in exact integer arithmetic,
 * counts and rates as integers at a power-of-ten scale, products and sum kept below 2^53.
 * Answers undefined whenever that is not exact or an error is due; the decimal path takes over.
 */
export function fixedCost(
  model: CompiledModel,
  input: number,
  output: number,
  cached: number,
  written: number,
  reasoning: number,
  mode: Mode,
): Fixed | undefined {
  const whole = Number.isSafeInteger;
  // Whole counts, the common case, need no shift.
  const places =
    whole(input) && whole(output) && whole(cached) && whole(written) && whole(reasoning)
      ? 0
      : Math.max(placesOf(input), placesOf(output), placesOf(cached), placesOf(written), placesOf(reasoning));
  if (places > MAX_FIXED_SCALE) return undefined;
  const i = places ? shifted(input, places) : input;
  const o = places ? shifted(output, places) : output;
  const c = places ? shifted(cached, places) : cached;
  const w = places ? shifted(written, places) : written;
  const t = places ? shifted(reasoning, places) : reasoning;
  if (!(whole(i) && whole(o) && whole(c) && whole(w) && whole(t)) || c + w > i) return undefined;
  // flatRates, written out: LLMCOST's hot path.
  const level = tierLevel(model, input);
  if (level > 0 && model.tiers[level - 1].basis === "marginal") return undefined;
  const r = model.fixed[level].get(mode.key);
  if (!r || r.scale + 6 + places > MAX_FIXED_SCALE) return undefined;
  const units =
    term(i - c - w, r.input) +
    term(c, r.cache_read) +
    term(w, mode.cache1h ? r.cache_write_1h : r.cache_write) +
    term(o, r.output) +
    term(t, r.reasoning) +
    (places ? r.request * POW10[places] : r.request);
  // A missing price is NaN and fails this test too.
  return units <= Number.MAX_SAFE_INTEGER ? new Fixed(units, r.scale + 6 + places) : undefined;
}

/** USD for one request from LLMCOST's arguments: the exact integer path when it applies, else decimals. */
export function llmcost(
  model: CompiledModel,
  input: number,
  output: number,
  cached: number,
  cacheWrite: number,
  reasoning: number,
  flags: string,
): Fixed | Dec {
  const mode = parseMode(flags);
  return (
    fixedCost(model, input, output, cached, cacheWrite, reasoning, mode) ??
    requestCost(model, requestUsage(input, output, cached, cacheWrite, reasoning), mode)
  );
}

/** LLMCOST's token counts, as Excel sent them, as a usage in decimals. */
function requestUsage(input: number, output: number, cached: number, cacheWrite: number, reasoning: number): Usage {
  return {
    input: fromNumber(input),
    output: fromNumber(output),
    cached: fromNumber(cached),
    cacheWrite: fromNumber(cacheWrite),
    reasoning: fromNumber(reasoning),
  };
}

/** LLMCOST's arguments, which LLMCOST_LINES takes too. */
const LLMCOST_PARAMS = [
  modelArg(),
  count("input_tokens"),
  count("output_tokens"),
  optional(count("cached_tokens"), 0),
  optional(count("cache_write_tokens"), 0),
  optional(count("reasoning_tokens"), 0),
  optional(text("mode"), "standard"),
] as const;

export const LLMCOST = defineFunction(
  "LLMCOST",
  {
    description: "USD for one request at catalogue prices.",
    result: "number",
    returns: "USD.",
    help: {
      model: 'Catalogue id ("anthropic/claude-sonnet-4-6") or an unambiguous model name.',
      input_tokens: "The whole prompt in tokens, cached and cache-written tokens included.",
      output_tokens: "Visible output tokens.",
      cached_tokens: "Prompt tokens read from cache, billed at the cache-read rate. Default 0.",
      cache_write_tokens: "Prompt tokens written to cache, billed at the cache-write rate. Default 0.",
      reasoning_tokens: "Thinking tokens on top of the visible output, billed at the reasoning rate. Default 0.",
      mode: '"standard" (default), "batch", "flex", "priority", "offpeak", "cache1h" (1-hour cache writes), "residency", combined with commas or spaces.',
    },
  },
  LLMCOST_PARAMS,
  llmcost,
);

/** LLMCOST_LINES' header row (functions.md, release 2). */
export const LINES_HEADER = ["line", "quantity", "rate", "unit", "usd", "source", "as_of"] as const;

/**
 * What LLMCOST billed, for an auditor: one row per part with tokens, at the rate applied (USD per
 * 1M tokens, after tier and variant), with the entry's source and as-of date, then a `total`
 * row that is LLMCOST's own answer (so it equals LLMCOST exactly; the lines add up to it).
 * Takes LLMCOST's arguments as LLMCOST's `run` does.
 */
export function llmcostLines(
  model: CompiledModel,
  input: number,
  output: number,
  cached: number,
  cacheWrite: number,
  reasoning: number,
  flags: string,
): Matrix {
  const usage = requestUsage(input, output, cached, cacheWrite, reasoning);
  const catalogue = activeCatalogue().data;
  const source = model.entry.source ?? catalogue.source;
  const asOf = model.entry.as_of ?? catalogue.as_of;
  const rows: Matrix = requestLines(model, usage, parseMode(flags)).map((l) => [
    l.line,
    l.quantity,
    l.rate,
    l.unit,
    l.usd,
    model.entry.price_sources?.[l.line] ?? source,
    asOf,
  ]);
  const total = llmcost(model, input, output, cached, cacheWrite, reasoning, flags);
  return [[...LINES_HEADER], ...rows, ["total", "", "", "", total, "", ""]];
}

export const LLMCOST_LINES = defineFunction(
  "LLMCOST_LINES",
  {
    description:
      "Spills what LLMCOST billed, for an auditor: one row per part with tokens, at the rate applied (after tier and mode), with the catalogue entry's source and as-of date, then a total equal to LLMCOST.",
    result: "spill",
    returns: "A header row (line, quantity, rate, unit, usd, source, as_of), one row per part billed, then the total row.",
    help: LLMCOST.help,
  },
  LLMCOST_PARAMS,
  llmcostLines,
);

/** The decimal path of TOKENCOST. */
export function tokenCost(input: Dec, output: Dec, inputPrice: Dec, outputPrice: Dec, cached: Dec, cacheReadPrice: Dec | undefined): Dec {
  if (cached.gt(input)) throw valueError("cached_tokens", "must not exceed input_tokens");
  if (cached.gt(0) && cacheReadPrice === undefined) {
    throw valueError("cache_read_price", "is required when cached_tokens > 0");
  }
  const cachedCost = cached.isZero() ? ZERO : cached.times(cacheReadPrice!);
  return input.minus(cached).times(inputPrice).plus(cachedCost).plus(output.times(outputPrice)).div(MILLION);
}

/** USD per token of a price per 1M tokens: 10^−6, exact. */
const PER_MILLION = new Fixed(1, 6);

/**
 * TOKENCOST's hot path: counts and prices as the exact Fixed of their texts, so every product and
 * sum is the decimal path's (exact there too, having fewer than 17 digits) and its one division,
 * by 10^6, only moves the point. Undefined whenever an error is due or a value leaves the safe
 * integers or the largest scale; the decimal path takes over.
 */
function fixedTokenCost(
  input: number,
  output: number,
  inputPrice: number,
  outputPrice: number,
  cached: number,
  cacheReadPrice: number | undefined,
): Fixed | undefined {
  if (cached > input || (cached > 0 && cacheReadPrice === undefined)) return undefined;
  const i = fixedOf(input);
  const c = fixedOf(cached);
  const uncached = i && c && minusFixed(i, c);
  const pi = fixedOf(inputPrice);
  let total = uncached && pi && timesFixed(uncached, pi);
  if (c && c.units !== 0) {
    const pc = fixedOf(cacheReadPrice!);
    const cachedCost = pc && timesFixed(c, pc);
    total = total && cachedCost && addFixed(total, cachedCost);
  }
  const o = fixedOf(output);
  const po = fixedOf(outputPrice);
  const outputCost = o && po && timesFixed(o, po);
  total = total && outputCost && addFixed(total, outputCost);
  return total && timesFixed(total, PER_MILLION);
}

const TOKENS = new WideAcc();
const TOKEN_LINE = new WideAcc();

/**
 * TOKENCOST past the integer path (a fill series' 17-digit prices or counts): the same sum in
 * exact Wides. Its lines and their sum are non-negative and at most the total at no finer scale,
 * and input − cached is exact, so when the total is a Wide (fewer than 31 digits) each of the
 * decimal path's steps was exact too, and its one division, by 10^6, only moves the point: the
 * exact total's Fixed or double is the decimal path's. Undefined as for fixedTokenCost.
 */
function wideTokenCost(
  input: number,
  output: number,
  inputPrice: number,
  outputPrice: number,
  cached: number,
  cacheReadPrice: number | undefined,
): Fixed | Nearest | undefined {
  if (cached > input || (cached > 0 && cacheReadPrice === undefined)) return undefined;
  const total = TOKENS.setDouble(input).minus(TOKEN_LINE.setDouble(cached)).timesDouble(inputPrice);
  if (cached > 0) total.plus(TOKEN_LINE.setDouble(cached).timesDouble(cacheReadPrice as number));
  total.plus(TOKEN_LINE.setDouble(output).timesDouble(outputPrice)).times(UNIT_AT[6]);
  return exactOfWide(total, decimalTokenCost, [input, output, inputPrice, outputPrice, cached, cacheReadPrice] as const);
}

/** TOKENCOST's decimal path, from the doubles Excel sent. */
function decimalTokenCost(
  input: number,
  output: number,
  inputPrice: number,
  outputPrice: number,
  cached: number,
  cacheReadPrice: number | undefined,
): Dec {
  return tokenCost(
    fromNumber(input),
    fromNumber(output),
    fromNumber(inputPrice),
    fromNumber(outputPrice),
    fromNumber(cached),
    cacheReadPrice === undefined ? undefined : fromNumber(cacheReadPrice),
  );
}

export const TOKENCOST = defineFunction(
  "TOKENCOST",
  {
    description: "USD for one request at prices you give, no catalogue.",
    result: "number",
    returns: "USD.",
    help: {
      input_tokens: "The whole prompt in tokens, cached tokens included.",
      output_tokens: "Output tokens.",
      input_price: "USD per 1M input tokens.",
      output_price: "USD per 1M output tokens.",
      cached_tokens: "Prompt tokens read from cache. Default 0.",
      cache_read_price: "USD per 1M cached tokens; required when cached_tokens > 0.",
    },
  },
  [
    count("input_tokens"),
    count("output_tokens"),
    double("input_price", { min: 0 }),
    double("output_price", { min: 0 }),
    optional(count("cached_tokens"), 0),
    maybe(double("cache_read_price", { min: 0 })),
  ],
  (input, output, inputPrice, outputPrice, cached, cacheReadPrice) =>
    fixedTokenCost(input, output, inputPrice, outputPrice, cached, cacheReadPrice) ??
    wideTokenCost(input, output, inputPrice, outputPrice, cached, cacheReadPrice) ??
    decimalTokenCost(input, output, inputPrice, outputPrice, cached, cacheReadPrice),
);

/** MONTHLYCOST's cache reads come from cache_hit_rate. */
const MONTHLYCOST_ARGS: PartArgs = { ...LLMCOST_ARGS, cached: "cache_hit_rate" };

/** The decimal path of MONTHLYCOST: requests × cost of a request × (1 + retry rate). */
export function monthlyCost(model: CompiledModel, requests: Dec, input: Dec, output: Dec, hitRate: Dec, retryRate: Dec, mode: Mode): Dec {
  const usage = { input, output, cached: input.times(hitRate), cacheWrite: ZERO, reasoning: ZERO };
  return requests.times(requestCost(model, usage, mode, MONTHLYCOST_ARGS)).times(ONE.plus(retryRate));
}

/** a × b, or NaN once it leaves the safe integers (NaN then fails every later check). */
export const safeTimes = (a: number, b: number) => {
  const p = a * b;
  return Number.isSafeInteger(p) ? p : Number.NaN;
};

/**
 * MONTHLYCOST's hot path, LLMCOST's integer arithmetic one level up: every argument as the exact
 * units and scale of its text (0.6 → 6 at scale 1, read without making the text), cached tokens =
 * input × hit rate at the sum of their scales, each product kept a safe integer. Answers undefined whenever
 * that is not exact or an error is due; the decimal path takes over.
 */
function fixedMonthly(
  model: CompiledModel,
  requests: number,
  input: number,
  output: number,
  hitRate: number,
  retryRate: number,
  mode: Mode,
): Fixed | undefined {
  // Values of 16 or 17 digits are left to wideMonthly, which reads their text once for a GRID's row.
  // Scales and units, not Fixeds: this runs on every cell.
  const hs = shortScale(hitRate);
  const ts = shortScale(retryRate);
  const ns = shortScale(requests);
  const is = shortScale(input);
  const os = shortScale(output);
  if (hs < 0 || ts < 0 || ns < 0 || is < 0 || os < 0) return undefined;
  // The prompt's parts and the output share one scale: the cached tokens' (is + hs) or the output's.
  const s = Math.max(is + hs, os);
  if (s + ns + ts > MAX_FIXED_SCALE) return undefined;
  const r = flatRates(model, input, mode.key);
  const scale = r ? r.scale + 6 + s + ns + ts : Infinity;
  if (!r || scale > MAX_FIXED_SCALE) return undefined;
  const i = unitsAt(input, is);
  const prompt = safeTimes(i, POW10[s - is]);
  const cached = safeTimes(safeTimes(i, unitsAt(hitRate, hs)), POW10[s - is - hs]);
  const out = safeTimes(unitsAt(output, os), POW10[s - os]);
  // The fee per request is at the rates' scale, as one token's price is.
  const perRequest = term(prompt - cached, r.input) + term(cached, r.cache_read) + term(out, r.output) + safeTimes(r.request, POW10[s]);
  const units = safeTimes(safeTimes(perRequest, unitsAt(requests, ns)), POW10[ts] + unitsAt(retryRate, ts));
  // A missing price, or a product past the safe integers, is NaN and fails this test too.
  return Number.isSafeInteger(perRequest) && Number.isSafeInteger(units) ? new Fixed(units, scale) : undefined;
}

/**
 * MONTHLYCOST's wide path, worked in place: cached, uncached and output tokens, a request, × requests,
 * 1 + retry_rate, the month. A request's cost and 1 + retry_rate are kept for the keys they were
 * worked out for: a GRID's row (or the whole GRID) shares them.
 */
const CACHED = new WideAcc();
const UNCACHED = new WideAcc();
const OUTPUT = new WideAcc();
const REQUEST = new WideAcc();
const REQUEST_FOR = new LastKeys();
const REQUESTS = new WideAcc();
const RETRIES = new WideAcc();
/** The retry rate RETRIES was worked out for (in a typed array: a module variable boxes a double). */
const RETRIES_FOR = new Float64Array([Number.NaN]);
const MONTH = new WideAcc();

/** MONTHLYCOST's decimal path from its run's arguments (a proven double's, run only on demand). */
const monthlyOf = (model: CompiledModel, requests: number, input: number, output: number, hitRate: number, retryRate: number, mode: Mode) =>
  monthlyCost(model, fromNumber(requests), fromNumber(input), fromNumber(output), fromNumber(hitRate), fromNumber(retryRate), mode);

/**
 * MONTHLYCOST past the safe integers (a fill series' cache_hit_rate or retry_rate has 17 digits):
 * every argument as its exact decimal (wide.ts), the decimal path's steps in Wides. Cached tokens
 * input × hit rate, uncached input − cached (≥ 0: hit rate ≤ 1) and the request's lines are the
 * decimal path's own values (wideRequestCost), as are requests × that and 1 + retry_rate: each
 * below 2^103 units, fewer than 31 digits, so exact at 34. The month, their product, is a Fixed
 * or the double nearest it when it is a Wide too; else that product rounded once at 34 digits,
 * whose double nearestQuotient decides within DECIMAL_STEP. Undefined (the decimal path answers or
 * raises) where a step leaves the Wides, a part with tokens has no price, or the double is not decided.
 */
function wideMonthly(
  model: CompiledModel,
  requests: number,
  input: number,
  output: number,
  hitRate: number,
  retryRate: number,
  mode: Mode,
): Fixed | Nearest | undefined {
  const r = flatRates(model, input, mode.key);
  if (!r) return undefined;
  if (REQUEST_FOR.changed(r, input, output, hitRate)) {
    CACHED.setDouble(input).timesDouble(hitRate);
    UNCACHED.setDouble(input).minus(CACHED);
    wideRequestCost(REQUEST, r, UNCACHED, CACHED, OUTPUT.setDouble(output), WIDE_ZERO);
  }
  const perMonth = REQUESTS.set(REQUEST).timesDouble(requests);
  if (RETRIES_FOR[0] !== retryRate) {
    RETRIES.setDouble(retryRate).plus(WIDE_ONE);
    RETRIES_FOR[0] = retryRate;
  }
  const retries = RETRIES;
  if (!perMonth.ok || !retries.ok) return undefined;
  const args: Parameters<typeof monthlyOf> = [model, requests, input, output, hitRate, retryRate, mode];
  const month = MONTH.set(perMonth).times(retries);
  if (month.ok) return exactOfWide(month, monthlyOf, args);
  const value = nearestQuotient(perMonth, WIDE_ONE, DECIMAL_STEP, retries);
  return value === undefined ? undefined : nearest(value, monthlyOf, args);
}

export const MONTHLYCOST = defineFunction(
  "MONTHLYCOST",
  {
    description: "USD per month: requests × cost per request × (1 + retry_rate). Cache writes are not counted (see CACHE_COST).",
    result: "number",
    returns: "USD per month.",
    help: {
      model: "Catalogue id or an unambiguous model name.",
      requests_per_month: "Requests a month.",
      input_tokens: "Prompt tokens per request.",
      output_tokens: "Output tokens per request.",
      cache_hit_rate: "Fraction of input tokens read from cache (0.3 = 30%). Default 0.",
      retry_rate: "Extra requests from retries, as a fraction of requests. Default 0.",
      mode: '"standard" (default), "batch", "offpeak", "cache1h".',
    },
  },
  [
    modelArg(),
    count("requests_per_month"),
    count("input_tokens"),
    count("output_tokens"),
    optional(double("cache_hit_rate", { min: 0, max: 1, fraction: true }), 0),
    optional(double("retry_rate", { min: 0 }), 0),
    optional(text("mode"), "standard"),
  ],
  (model, requests, input, output, hitRate, retryRate, flags) => {
    const mode = parseMode(flags);
    return (
      fixedMonthly(model, requests, input, output, hitRate, retryRate, mode) ??
      wideMonthly(model, requests, input, output, hitRate, retryRate, mode) ??
      monthlyCost(model, fromNumber(requests), fromNumber(input), fromNumber(output), fromNumber(hitRate), fromNumber(retryRate), mode)
    );
  },
);

/** The meters USAGECOST bills: every component but cache storage, which is priced per hour held, not per use. */
const USAGE_METERS: ReadonlySet<string> = new Set(COMPONENTS.filter((c) => c !== "cache_storage_hour"));

/** The prompt-side meters: their sum picks the long-context tier. */
const PROMPT_METERS: ReadonlySet<string> = new Set(["input", "cache_read", "cache_write", "cache_write_1h", "audio_input", "image_input"]);

/** How many of a meter's units its price is for (the meters table): 1M tokens or characters, 1,000 requests, calls or pages, one image or minute. */
const THOUSAND = new Dec(1000);
const PRICED_PER: Partial<Record<Component, Dec>> = {
  request: THOUSAND,
  web_search: THOUSAND,
  page: THOUSAND,
  image: ONE,
  audio_minute: ONE,
};

/** A range's cells row by row (Array.prototype.flat costs more than the rest of USAGECOST); a single row is its own cells. */
function cellsOf(rows: readonly unknown[][]): readonly unknown[] {
  if (rows.length === 1) return rows[0];
  const out: unknown[] = [];
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    for (let c = 0; c < row.length; c++) out.push(row[c]);
  }
  return out;
}

const METER_CELL = text("meters");
const QUANTITY_CELL = count("quantities");

/** One meter's quantity as Excel sent it (≥ 0, finite). */
type Metered = readonly [meter: Component, quantity: number];

/** USAGECOST's usage: each meter named once with its quantity; a blank meter cell is skipped, a blank quantity is 0. */
function usageOf(meterCells: unknown[][], quantityCells: unknown[][]): Metered[] {
  const meters = cellsOf(meterCells);
  const quantities = cellsOf(quantityCells);
  if (meters.length !== quantities.length) {
    throw valueError("quantities", `must be as many as meters (${meters.length} meters, ${quantities.length} quantities)`);
  }
  const usage: Metered[] = [];
  for (let i = 0; i < meters.length; i++) {
    if (isBlankFor(METER_CELL, meters[i])) continue;
    const raw = METER_CELL.parse(meters[i]);
    const name = USAGE_METERS.has(raw) ? raw : raw.trim().toLowerCase();
    if (!USAGE_METERS.has(name)) {
      throw valueError("meters", `unknown meter "${meters[i]}" (use ${[...USAGE_METERS].join(", ")})`);
    }
    const meter = name as Component;
    if (usage.some(([m]) => m === meter)) throw valueError("meters", `${meter} is named twice`);
    usage.push([meter, isBlankFor(QUANTITY_CELL, quantities[i]) ? 0 : QUANTITY_CELL.parse(quantities[i])]);
  }
  return usage;
}

/** The component a meter bills at: `cache_write` at the 1-hour rate under mode cache1h. */
const billedAs = (meter: Component, mode: Mode): Component => (meter === "cache_write" && mode.cache1h ? "cache_write_1h" : meter);

/** The prompt-side tokens, which pick the long-context tier; exact where a count has a fraction. */
function promptOf(usage: readonly Metered[]): number {
  let whole = 0;
  let exact: Dec | undefined;
  for (const [meter, n] of usage) {
    if (!PROMPT_METERS.has(meter)) continue;
    if (Number.isSafeInteger(n) && exact === undefined) whole += n;
    else exact = (exact ?? new Dec(whole)).plus(fromNumber(n));
  }
  return exact === undefined ? whole : exact.toNumber();
}

/** How many places a meter's price per its unit moves against a price per 1M: per 1,000 three fewer, per one six. */
const SHIFT: Partial<Record<Component, number>> = { request: 3, web_search: 3, page: 3, image: 6, audio_minute: 6 };

/** A rate table's meters as integers, USD × 10^−(scale + 6) per unit of quantity (NaN: no price). */
interface FixedMeters {
  readonly scale: number;
  readonly units: Readonly<Partial<Record<Component, number>>>;
}

const fixedMeterTables = new WeakMap<Rates, FixedMeters | null>();

/** `rates` as integers at one scale, once per table, or null when they do not fit a double exactly. */
function fixedMeters(rates: Rates): FixedMeters | null {
  const known = fixedMeterTables.get(rates);
  if (known !== undefined) return known;
  const resolved = [...USAGE_METERS].map(
    (c) => [c, c === "request" ? (rates.request ?? ZERO) : resolvedRate(rates, c as Component)] as const,
  );
  const scale = Math.max(0, ...resolved.map(([c, d]) => (d ? d.decimalPlaces() - (SHIFT[c as Component] ?? 0) : 0)));
  let table: FixedMeters | null = null;
  if (scale + 6 <= MAX_FIXED_SCALE) {
    const units: Partial<Record<Component, number>> = {};
    for (const [c, d] of resolved)
      units[c as Component] = d ? d.times(new Dec(10).pow(scale + (SHIFT[c as Component] ?? 0))).toNumber() : Number.NaN;
    if (resolved.every(([c, d]) => !d || Number.isSafeInteger(units[c as Component]))) table = { scale, units };
  }
  fixedMeterTables.set(rates, table);
  return table;
}

/** The hot path: whole quantities at integer rates, below 2^53; undefined sends the usage to the decimal path. */
function fixedUsage(rates: Rates, usage: readonly Metered[], mode: Mode): Fixed | undefined {
  const table = fixedMeters(rates);
  if (!table) return undefined;
  let units = 0;
  for (const [meter, n] of usage) {
    if (n === 0) continue;
    if (!Number.isSafeInteger(n)) return undefined;
    units += n * table.units[billedAs(meter, mode)]!;
  }
  // A missing price is NaN and fails this test too.
  return units <= Number.MAX_SAFE_INTEGER ? new Fixed(units, table.scale + 6) : undefined;
}

/**
 * USD for usage by meter: each quantity at its meter's rate, after the long-context tier (picked
 * by the prompt-side token meters' sum), the mode's variant and residency. A meter with no
 * quantity needs no price, as a part with no tokens does in LLMCOST.
 */
export function usageCost(model: CompiledModel, usage: readonly Metered[], mode: Mode): Fixed | Dec {
  requireVariant(model, mode.variant);
  const rates = model.rates[tierLevel(model, promptOf(usage))].get(mode.key)!;
  const fixed = fixedUsage(rates, usage, mode);
  if (fixed) return fixed;
  let usd = ZERO;
  for (const [meter, n] of usage) {
    if (n === 0) continue;
    const rate = componentPrice(model, rates, billedAs(meter, mode), "meters");
    usd = usd.plus(
      fromNumber(n)
        .times(rate)
        .div(PRICED_PER[meter] ?? MILLION),
    );
  }
  return usd;
}

export const USAGECOST = defineFunction(
  "USAGECOST",
  {
    description: "USD for usage given as meter names and quantities (tokens, requests, searches, images, minutes, characters, pages).",
    result: "number",
    returns: "USD.",
    help: {
      model: "Catalogue id or an unambiguous model name.",
      meters:
        "A row or column of meter names: input (uncached), output, cache_read, cache_write, cache_write_1h, reasoning, audio_input, audio_output, image_input, image_output, request, web_search, image, audio_minute, character, page.",
      quantities:
        "A range of the same size: each meter's quantity in its unit (tokens, requests, calls, images, minutes, characters, pages).",
      mode: '"standard" (default), "batch", "flex", "priority", "offpeak", "cache1h", "residency", combined with commas or spaces.',
    },
  },
  [modelArg(), range("meters"), range("quantities"), optional(text("mode"), "standard")],
  (model, meters, quantities, mode) => usageCost(model, usageOf(meters, quantities), parseMode(mode)),
);

/** Shares may miss 1 by float noise from Excel, not by more. */
const SHARE_TOLERANCE = new Dec("1e-9");

/** One model of a routed mix, with its share of requests and its row of the ranges. */
interface Route {
  readonly model: CompiledModel;
  readonly share: Dec;
  readonly index: number;
}

const SHARE = fraction("shares");
const MODEL_NAME = text("models");

/** `models` and `shares` as BLENDEDCOST and ROUTECOST take them: equal size, shares summing to 1. */
function routes(modelCells: unknown[][], shareCells: unknown[][]): Route[] {
  const names = cellsOf(modelCells);
  const shares = cellsOf(shareCells).map((s) => SHARE.parse(s));
  if (names.length !== shares.length) {
    throw valueError("shares", `must be as many as models (${names.length} models, ${shares.length} shares)`);
  }
  if (sum(shares).minus(ONE).abs().gt(SHARE_TOLERANCE)) throw valueError("shares", "must sum to 1");
  const catalogue = activeCatalogue();
  return names.map((name, index) => ({ model: findModel(catalogue, MODEL_NAME.parse(name)), share: shares[index], index }));
}

/** A share cell as an exact Fixed when it is a number from 0 to 1 with one; else undefined, for routes() to read. */
function fixedShare(cell: unknown): Fixed | undefined {
  return typeof cell === "number" && cell >= 0 && cell <= 1 ? fixedOf(cell) : undefined;
}

/** A mix as the hot path reads it: models found and every share exact, summing to exactly 1. */
interface FixedMix {
  /** The cells it was read from, row by row (names are text and shares numbers: compared by value). */
  readonly names: readonly unknown[];
  readonly cells: readonly unknown[];
  readonly models: readonly CompiledModel[];
  readonly shares: readonly Fixed[];
}

/**
 * The last few mixes read under the active catalogue: a GRID, or a column of cells over a routing
 * table, passes the same one call after call. A ring of eight, emptied when the catalogue changes
 * (so it never holds an old catalogue's models).
 */
const mixMemo: FixedMix[] = [];
let mixNext = 0;
let mixCatalogue: CompiledCatalogue | undefined;

/** Whether a range holds, row by row, exactly `cells`. */
function sameCells(rows: readonly unknown[][], cells: readonly unknown[]): boolean {
  let n = 0;
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    if (n + row.length > cells.length) return false;
    for (let c = 0; c < row.length; c++) if (row[c] !== cells[n++]) return false;
  }
  return n === cells.length;
}

/**
 * `models` and `shares` for the hot path, or undefined when a share is not exact or they do not sum
 * to exactly 1 (the decimal path decides). Models are found as routes() finds them, after the same
 * checks, so a bad name fails the same way. Remembered for the next call with the same cells.
 */
function fixedMix(modelCells: unknown[][], shareCells: unknown[][]): FixedMix | undefined {
  const catalogue = activeCatalogue();
  if (catalogue !== mixCatalogue) {
    mixMemo.length = 0;
    mixNext = 0;
    mixCatalogue = catalogue;
  }
  for (const m of mixMemo) if (sameCells(modelCells, m.names) && sameCells(shareCells, m.cells)) return m;
  const names = cellsOf(modelCells);
  const cells = cellsOf(shareCells);
  if (names.length !== cells.length) return undefined;
  const shares: Fixed[] = new Array(cells.length);
  let whole: Fixed | undefined = new Fixed(0, 0);
  for (let i = 0; i < cells.length; i++) {
    const share = fixedShare(cells[i]);
    whole = share && addFixed(whole!, share);
    if (!share || !whole) return undefined;
    shares[i] = share;
  }
  if (whole!.units !== POW10[whole!.scale]) return undefined;
  const models: CompiledModel[] = new Array(names.length);
  for (let i = 0; i < names.length; i++) models[i] = findModel(catalogue, MODEL_NAME.parse(names[i]));
  // Copies: a single row's cells are the caller's own array.
  const mix = { names: names.slice(), cells: cells.slice(), models, shares };
  mixMemo[mixNext] = mix;
  mixNext = (mixNext + 1) % 8;
  return mix;
}

/**
 * The hot path of BLENDEDCOST and ROUTECOST: Σ share × the cost of one request on each model, in
 * LLMCOST's exact integer arithmetic, with each model's `thinking` cell where given (as many as
 * models). Answers undefined whenever a request's cost or the sum is not exact; the decimal path
 * takes over.
 */
function fixedRouted(mix: FixedMix, input: number, output: number, thinking: Thinking | undefined): Fixed | undefined {
  let total: Fixed | undefined = new Fixed(0, 0);
  for (let i = 0; i < mix.models.length && total; i++) {
    const share = mix.shares[i];
    if (share.units === 0) continue; // a model with no share needs no price
    const model = mix.models[i];
    const reasoning = thinking ? thinkingAt(thinking, model, i) : 0;
    const cost = reasoning === undefined ? undefined : fixedCost(model, input, output, 0, 0, reasoning, STANDARD);
    const part = cost && timesFixed(share, cost);
    total = part && addFixed(total, part);
  }
  return total;
}

/** Σ share × the cost of one request on each model; a model with no share needs no price. */
function routedCost(mix: readonly Route[], requestOn: (route: Route) => Dec): Dec {
  return sum(mix.map((route) => (route.share.isZero() ? ZERO : route.share.times(requestOn(route)))));
}

/** The decimal path of BLENDEDCOST. */
export function blendedCost(modelCells: unknown[][], shareCells: unknown[][], input: Dec, output: Dec): Dec {
  const usage = { input, output, cached: ZERO, cacheWrite: ZERO, reasoning: ZERO };
  return routedCost(routes(modelCells, shareCells), ({ model }) => requestCost(model, usage));
}

export const BLENDEDCOST = defineFunction(
  "BLENDEDCOST",
  {
    description: "USD per request of traffic routed across several models.",
    result: "number",
    returns: "USD per request.",
    help: {
      models: "Range of model ids.",
      shares: "Range of the same size: each model's share of requests, summing to 1.",
      input_tokens: "Prompt tokens per request.",
      output_tokens: "Output tokens per request.",
    },
  },
  [range("models"), range("shares"), count("input_tokens"), count("output_tokens")],
  (modelCells, shareCells, input, output) => {
    const mix = fixedMix(modelCells, shareCells);
    return (
      (mix && fixedRouted(mix, input, output, undefined)) ?? blendedCost(modelCells, shareCells, fromNumber(input), fromNumber(output))
    );
  },
);

/** ROUTECOST names its thinking tokens `thinking`. */
const ROUTECOST_ARGS: PartArgs = { ...LLMCOST_ARGS, reasoning: "thinking" };

const THINKING = value("thinking");

/** A cell of ROUTECOST's `thinking`: blank is none, else an effort word or a count. */
function thinkingCell(model: CompiledModel, cell: unknown): Dec {
  if (isEmpty(cell)) return ZERO;
  return thinkingFrom(model, THINKING.parse(cell), "thinking");
}

/**
 * A `thinking` cell as a double for the hot path: blank is 0, a count ≥ 0 itself, an effort word
 * its default (a bad word fails as thinkingCell fails); undefined for the decimal path to read.
 */
function thinkingCount(model: CompiledModel, cell: unknown): number | undefined {
  if (isEmpty(cell)) return 0;
  if (typeof cell === "number") return Number.isFinite(cell) && cell >= 0 ? cell : undefined;
  if (typeof cell !== "string") return undefined;
  const n = effortTokens(model, cell, "thinking");
  return n >= 0 ? n : undefined;
}

/**
 * A `thinking` range's cells and each model's reasoning tokens for them (thinkingCount), worked out
 * when fixedRouted first asks (null until then) and kept for the mix and range last asked: a GRID
 * hands both to every cell. Asked in fixedRouted's order, so an error comes where it always did,
 * and, thrown, is not kept.
 */
interface Thinking {
  readonly cells: readonly unknown[];
  readonly counts: (number | undefined | null)[];
}

const THINKING_FOR = new LastKeys();
let lastThinking: Thinking | null = null;

/** Null when the range's cells are not one a model (the decimal path's error). */
function thinkingOf(mix: FixedMix, thinkingCells: unknown[][]): Thinking | null {
  if (THINKING_FOR.changed(mix, thinkingCells)) {
    const cells = cellsOf(thinkingCells);
    lastThinking = cells.length === mix.models.length ? { cells, counts: new Array(cells.length).fill(null) } : null;
  }
  return lastThinking;
}

function thinkingAt(t: Thinking, model: CompiledModel, i: number): number | undefined {
  let count = t.counts[i];
  if (count === null) count = t.counts[i] = thinkingCount(model, t.cells[i]);
  return count;
}

/** The decimal path of ROUTECOST. */
export function routeCost(
  modelCells: unknown[][],
  shareCells: unknown[][],
  input: Dec,
  output: Dec,
  thinkingCells: unknown[][] | undefined,
  routerCost: Dec,
): Dec {
  const mix = routes(modelCells, shareCells);
  const thinking = thinkingCells && cellsOf(thinkingCells);
  if (thinking && thinking.length !== mix.length) {
    throw valueError("thinking", `must be as many as models (${mix.length} models, ${thinking.length} cells)`);
  }
  const cost = routedCost(mix, ({ model, index }) => {
    const reasoning = thinking ? thinkingCell(model, thinking[index]) : ZERO;
    return requestCost(model, { input, output, cached: ZERO, cacheWrite: ZERO, reasoning }, STANDARD, ROUTECOST_ARGS);
  });
  return cost.plus(routerCost);
}

export const ROUTECOST = defineFunction(
  "ROUTECOST",
  {
    description:
      "USD per request of a routed mix that may include reasoning models: Σ share × the cost of one request on each model with its thinking tokens, + router_cost.",
    result: "number",
    returns: "USD per request.",
    help: {
      models: "Range of model ids.",
      shares: "Range of the same size: each model's share of requests, summing to 1.",
      input_tokens: "Prompt tokens per request.",
      output_tokens: "Visible output tokens per request.",
      thinking: 'Range the size of models: "low", "medium", "high" or a number of thinking tokens per request; blank is 0. Default: none.',
      router_cost: "USD per request for the routing decision (a classifier call). Default 0.",
    },
  },
  [
    range("models"),
    range("shares"),
    count("input_tokens"),
    count("output_tokens"),
    maybe(range("thinking")),
    optional(double("router_cost", { min: 0 }), 0),
  ],
  (modelCells, shareCells, input, output, thinkingCells, routerCost) => {
    const mix = fixedMix(modelCells, shareCells);
    const thinking = mix && thinkingCells && thinkingOf(mix, thinkingCells);
    const fast = mix && thinking !== null && fixedRouted(mix, input, output, thinking);
    return (
      (fast && plusRouter(fast, modelCells, shareCells, input, output, thinkingCells, routerCost)) ||
      routeCostOf(modelCells, shareCells, input, output, thinkingCells, routerCost)
    );
  },
);

/** ROUTECOST's decimal path from its run's arguments (a proven double's, run only on demand). */
const routeCostOf = (
  modelCells: unknown[][],
  shareCells: unknown[][],
  input: number,
  output: number,
  thinkingCells: unknown[][] | undefined,
  routerCost: number,
) => routeCost(modelCells, shareCells, fromNumber(input), fromNumber(output), thinkingCells, fromNumber(routerCost));

/** ROUTECOST's sum past the safe integers, worked in place. */
const ROUTED = new WideAcc();

/**
 * ROUTECOST's last step, the routed cost (exact, from fixedRouted) + router_cost: a typed router
 * cost in integers; else (a fill series' 0.00010100000000000001) as its exact decimal (wide.ts).
 * The decimal path's one sum is then a Wide, fewer than 31 digits, so exact at 34 too: its Fixed
 * or the double nearest it. Undefined where it leaves the Wides or the double is not decided.
 */
function plusRouter(
  cost: Fixed,
  modelCells: unknown[][],
  shareCells: unknown[][],
  input: number,
  output: number,
  thinkingCells: unknown[][] | undefined,
  routerCost: number,
): Fixed | Nearest | undefined {
  const router = shortFixedOf(routerCost);
  const sum = router && addFixed(cost, router);
  if (sum) return sum;
  const total = ROUTED.setFixed(cost).plusDouble(routerCost);
  return exactOfWide(total, routeCostOf, [modelCells, shareCells, input, output, thinkingCells, routerCost]);
}

/** Far more turns than any context window holds; keeps one call's work bounded. */
const MAX_TURNS = 10_000;

/** CONVERSATION_COST's cache reads and writes come from cache_history. */
const CONVERSATION_ARGS: PartArgs = { ...LLMCOST_ARGS, uncached: "user_tokens", cached: "cache_history", written: "cache_history" };

/**
 * USD for a conversation that resends its history every turn: turn k's prompt is
 * system + k × user + (k − 1) × output. Each turn is one request, priced by requestCost (its own
 * tier); with caching, turn k reads the previous prompt from cache and writes the rest.
 */
export function conversationCost(
  model: CompiledModel,
  turns: number,
  user: Dec,
  output: Dec,
  system: Dec,
  cacheHistory: boolean,
  mode: Mode,
): Dec {
  let total = ZERO;
  let previous = ZERO; // p_(k−1), 0 before turn 1
  let prompt = system.plus(user); // p_1
  const growth = user.plus(output);
  for (let k = 1; k <= turns; k++) {
    const usage = cacheHistory
      ? { input: prompt, output, cached: previous, cacheWrite: prompt.minus(previous), reasoning: ZERO }
      : { input: prompt, output, cached: ZERO, cacheWrite: ZERO, reasoning: ZERO };
    total = total.plus(requestCost(model, usage, mode, CONVERSATION_ARGS));
    previous = prompt;
    prompt = prompt.plus(growth);
  }
  return total;
}

/**
 * A conversation's prompts as integers at `places` decimal places (the most its counts have):
 * p_k = first + (k − 1) × growth, each turn's output `output`.
 */
interface Prompts {
  readonly first: number;
  readonly growth: number;
  readonly output: number;
  readonly places: number;
}

const promptAt = (p: Prompts, k: number) => p.first + (k - 1) * p.growth;

/** Turn k's long-context level, from its prompt as a double (units ÷ 10^places, correctly rounded, as toNumber gives it). */
const levelAt = (model: CompiledModel, p: Prompts, k: number) => tierLevel(model, promptAt(p, k) / POW10[p.places]);

/** The prompts of user, output and system counts given as integers at `places`. */
function promptsOf(user: number, output: number, system: number, places: number): Prompts {
  return { first: system + user, growth: user + output, output, places };
}

/** Counts with decimals as integers at the most places any has; a product past 2^53 is NaN, which fails every later test. */
function shiftedPrompts(user: number, output: number, system: number): Prompts | undefined {
  const u = fixedOf(user);
  const o = fixedOf(output);
  const s = fixedOf(system);
  if (!(u && o && s)) return undefined;
  const places = Math.max(u.scale, o.scale, s.scale);
  const at = (f: Fixed) => safeTimes(f.units, POW10[places - f.scale]);
  return promptsOf(at(u), at(o), at(s), places);
}

/**
 * CONVERSATION_COST's hot path: the counts as integers at their most decimal places make every
 * turn's prompt an integer, and the prompts grow by a constant step, so the turns that share a
 * long-context level are priced together from closed-form sums of their tokens, in LLMCOST's
 * exact integer arithmetic: the same integers the per-turn sum adds, so the same exact decimal.
 * Answers undefined whenever a count or sum is not exact or an error is due; the decimal path
 * takes over.
 */
function fixedConversation(
  model: CompiledModel,
  turns: number,
  user: number,
  output: number,
  system: number,
  cacheHistory: boolean,
  mode: Mode,
): Fixed | undefined {
  const whole = Number.isSafeInteger;
  // Whole counts, the common case, are their own units.
  const prompts = whole(user) && whole(output) && whole(system) ? promptsOf(user, output, system, 0) : shiftedPrompts(user, output, system);
  if (!prompts) return undefined;
  // The largest prompt; a sum past 2^53 fails here, and every smaller prompt is then exact.
  if (!Number.isSafeInteger(promptAt(prompts, turns))) return undefined;
  let total: Fixed | undefined = new Fixed(0, 0);
  for (let a = 1; a <= turns && total; ) {
    const level = levelAt(model, prompts, a);
    const b = lastTurnAt(model, prompts, level, a, turns);
    const part = fixedTurns(model, level, mode, prompts, a, b, cacheHistory);
    total = part && addFixed(total, part);
    a = b + 1;
  }
  return total;
}

/**
 * The last turn from `a` on whose prompt is at `level`: prompts grow and levels rise with them
 * (tiers are in threshold order), so a bisection finds where the level changes.
 */
function lastTurnAt(model: CompiledModel, prompts: Prompts, level: number, a: number, turns: number): number {
  if (levelAt(model, prompts, turns) === level) return turns;
  let lo = a; // at level
  let hi = turns; // past it
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (levelAt(model, prompts, mid) === level) lo = mid;
    else hi = mid;
  }
  return lo;
}

/**
 * Turns a … b, all at one level, as LLMCOST's integer path prices each and sums them: the token
 * sums of each part are exact (safe integers, checked), and a part with no tokens in any turn
 * needs no price, as in every turn alone.
 */
function fixedTurns(
  model: CompiledModel,
  level: number,
  mode: Mode,
  p: Prompts,
  a: number,
  b: number,
  cacheHistory: boolean,
): Fixed | undefined {
  if (level > 0 && model.tiers[level - 1].basis === "marginal") return undefined;
  const r = model.fixed[level].get(mode.key);
  if (!r || r.scale + 6 + p.places > MAX_FIXED_SCALE) return undefined;
  const m = b - a + 1;
  const pa = promptAt(p, a);
  const pb = promptAt(p, b);
  // Σ p_k over a … b = m × p_a + growth × m(m − 1)/2.
  const prompts = safeTimes(m, pa) + safeTimes(p.growth, (m * (m - 1)) / 2);
  if (!Number.isSafeInteger(prompts)) return undefined;
  // With caching turn k reads p_(k−1) (none before turn 1) and writes p_k − p_(k−1): the writes telescope.
  const before = a === 1 ? 0 : pa - p.growth;
  const uncached = cacheHistory ? 0 : prompts;
  const cached = cacheHistory ? prompts - pb + before : 0;
  const written = cacheHistory ? pb - before : 0;
  const units =
    term(uncached, r.input) +
    term(cached, r.cache_read) +
    term(written, mode.cache1h ? r.cache_write_1h : r.cache_write) +
    term(safeTimes(m, p.output), r.output) +
    safeTimes(m, safeTimes(r.request, POW10[p.places]));
  // Every part is ≥ 0, so a sum within the safe integers had exact parts; a missing price is NaN.
  return units <= Number.MAX_SAFE_INTEGER ? new Fixed(units, r.scale + 6 + p.places) : undefined;
}

/** `#VALUE!` naming cache_history when the model (under the mode) has no cache-read price. */
export function requireCacheRead(model: CompiledModel, mode: Mode): void {
  requireVariant(model, mode.variant);
  componentPrice(model, model.perToken[0].get(mode.variant)!, "cache_read", "cache_history");
}

export const FORECAST = defineFunction(
  "FORECAST",
  {
    description:
      "Spills a column of monthly costs: monthly_cost × (1 + monthly_growth)^m × (1 + annual_price_change)^(m/12), m = 0 … months − 1.",
    result: "spill",
    returns: "USD per month, one row per month.",
    help: {
      monthly_cost: "USD in the first month.",
      months: "How many months (a whole number ≥ 1).",
      monthly_growth: "Usage growth per month (0.05 = 5%). Default 0.",
      annual_price_change: "Price change per year (−0.3 = prices fall 30% a year). Default 0.",
    },
  },
  [
    nonNegative("monthly_cost"),
    number("months", { min: 1, max: MAX_ROWS, whole: true }),
    optional(number("monthly_growth", { min: -1 }), ZERO),
    optional(number("annual_price_change", { min: -1 }), ZERO),
  ],
  (monthlyCost, months, growth, priceChange) => {
    // (1 + a)^(m/12) as (1 + a)^years × (1 + a)^(r/12), r = m mod 12: whole years stay exact (88 at
    // month 12 of −12% a year, not 87.999…96), and a million rows cost a few multiplications each,
    // not a fractional power per row.
    const g = ONE.plus(growth);
    const yearly = ONE.plus(priceChange);
    const withinYear = Array.from({ length: 12 }, (_, r) => yearly.pow(new Dec(r).div(12)));
    const rows: Matrix = [];
    let grown = monthlyCost; // monthly_cost × (1 + g)^m
    let years = ONE; // (1 + a)^⌊m/12⌋
    for (let m = 0; m < months.toNumber(); m++) {
      const r = m % 12;
      if (r === 0 && m > 0) years = years.times(yearly);
      rows.push([priceChange.isZero() ? grown : grown.times(r === 0 ? years : years.times(withinYear[r]))]);
      if (!growth.isZero()) grown = grown.times(g);
    }
    return rows;
  },
);

export const CONVERSATION_COST = defineFunction(
  "CONVERSATION_COST",
  {
    description:
      "USD for one conversation in which every turn resends the whole history: turn k's prompt is system + k × user + (k − 1) × output. With cache_history, each turn reads the previous prompt from cache.",
    result: "number",
    returns: "USD per conversation.",
    help: {
      model: 'Catalogue id ("anthropic/claude-sonnet-4-6") or an unambiguous model name.',
      turns: `Turns in the conversation, a whole number from 1 to ${MAX_TURNS.toLocaleString("en-US")}.`,
      user_tokens: "New user tokens each turn.",
      output_tokens: "Output tokens each turn (they join the history).",
      system_tokens: "System prompt tokens, sent every turn. Default 0.",
      cache_history: "TRUE: each turn reads the previous prompt from cache and writes the rest. Default FALSE.",
      mode: '"standard" (default), "batch", "offpeak", "cache1h" (1-hour cache writes), combined with commas or spaces.',
    },
  },
  [
    modelArg(),
    double("turns", { min: 1, max: MAX_TURNS, whole: true }),
    count("user_tokens"),
    count("output_tokens"),
    optional(count("system_tokens"), 0),
    optional(flag("cache_history"), false),
    optional(text("mode"), "standard"),
  ],
  (model, turns, user, output, system, cacheHistory, flags) => {
    const mode = parseMode(flags);
    // Named up front: a one-turn conversation reads nothing, but caching it still needs a read price.
    if (cacheHistory) requireCacheRead(model, mode);
    return (
      fixedConversation(model, turns, user, output, system, cacheHistory, mode) ??
      conversationCost(model, turns, fromNumber(user), fromNumber(output), fromNumber(system), cacheHistory, mode)
    );
  },
);
