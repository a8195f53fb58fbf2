import { Dec, MAX_FIXED_SCALE, fromText } from "../decimal";
import { resolvedRate } from "./rates";
import {
  type Catalogue,
  COMPONENTS,
  type Component,
  type Hardware,
  type Model,
  type Prices,
  TOKEN_COMPONENTS,
  type Tier,
  type Variant,
  parseCatalogue,
} from "./schema";

/**
 * A catalogue ready to price with: every price parsed to a decimal once, at load, and every
 * rate table a request can need (tier × variant) built ahead, so a worksheet function only looks
 * things up. Rates are kept per token (USD per 1M ÷ 10^6, exact) to spare a division per call;
 * a request fee stays in USD per 1,000 requests (`rates` only). Each price list brings its own
 * long-context tiers, and a provider that bills cache writes as input gets its input rate as the
 * write rate wherever a table has none (after tier and variant).
 */

export type Rates = Partial<Record<Component, Dec>>;

export interface CompiledTier {
  readonly threshold: Dec;
  /** The same threshold as a double, for the whole-token hot path. */
  readonly thresholdTokens: number;
  readonly inclusive: boolean;
  readonly basis: Tier["basis"];
}

/** One price list with the long-context tiers it came with; `from` null means "for all earlier dates". */
export interface PriceList {
  readonly from: string | null;
  readonly prices: Rates;
  readonly tiers: readonly Tier[];
}

export interface CompiledModel {
  readonly entry: Model;
  readonly id: string;
  /** Whether the provider bills cache writes as ordinary input (the catalogue's cache_write_as_input). */
  readonly writesAsInput: boolean;
  /** Price lists oldest first. */
  readonly schedule: readonly PriceList[];
  /** The tiers of the list in force today. */
  readonly tiers: readonly CompiledTier[];
  /** Per-million rates today: index 0 standard, index k + 1 tier k; keyed by variant ("" standard) and residency (tableKey). */
  readonly rates: readonly Map<string, Rates>[];
  /** The same, per token, for the request formulas. */
  readonly perToken: readonly Map<string, Rates>[];
  /** The same as integers at one scale where they fit, for the whole-token hot path. */
  readonly fixed: readonly Map<string, FixedRates>[];
  readonly variants: ReadonlyMap<string, Variant>;
}

export interface CompiledHardware {
  readonly entry: Hardware;
  readonly id: string;
  readonly gpus: Dec;
  readonly hbmGb: Dec;
  readonly bandwidthTbs: Dec;
  readonly bf16Tflops: Dec;
  readonly fp8Tflops: Dec | null;
  readonly kw: Dec;
  readonly capex: Dec;
  readonly rentalPerHour: Dec;
}

export interface CompiledCatalogue {
  readonly data: Catalogue;
  readonly models: readonly CompiledModel[];
  readonly hardware: readonly CompiledHardware[];
  readonly byId: ReadonlyMap<string, CompiledModel>;
  readonly hardwareById: ReadonlyMap<string, CompiledHardware>;
  /** Normalised names (id, bare name, display name, aliases) → the models they may mean. */
  readonly byName: ReadonlyMap<string, readonly CompiledModel[]>;
}

const MILLIONTH = new Dec("1e-6");

/**
 * A rate table as safe integers: USD per 1M = units × 10^−scale. The contract's fallbacks are
 * resolved here (rates.ts); a component with no price is NaN, which sends a request that needs it
 * to the decimal path and its error. `request` is the fee per request in the same units as a token
 * count times a rate (USD × 10^−(scale + 6)), 0 for none.
 */
export interface FixedRates {
  readonly scale: number;
  readonly input: number;
  readonly output: number;
  readonly cache_read: number;
  readonly cache_write: number;
  readonly cache_write_1h: number;
  readonly reasoning: number;
  readonly request: number;
}

const FIXED_COMPONENTS = ["input", "output", "cache_read", "cache_write", "cache_write_1h", "reasoning"] as const;

/** Per-million rates as integers at one scale, or undefined when they do not fit a double exactly. */
function toFixed(rates: Rates): FixedRates | undefined {
  const resolved = Object.fromEntries(FIXED_COMPONENTS.map((c) => [c, resolvedRate(rates, c)])) as Rates;
  const priced = FIXED_COMPONENTS.map((c) => resolved[c]).filter((d): d is Dec => d !== undefined);
  const fee = rates.request;
  // A fee per 1,000 requests is 10^3 per-token units of a per-1M rate: three places fewer needed.
  const scale = Math.max(0, ...priced.map((d) => d.decimalPlaces()), fee ? fee.decimalPlaces() - 3 : 0);
  // Results carry 6 more places (per 1M → per token); 10^scale must stay an exact double.
  if (scale + 6 > MAX_FIXED_SCALE) return undefined;
  const request = fee ? fee.times(new Dec(10).pow(scale + 3)).toNumber() : 0;
  if (!Number.isSafeInteger(request)) return undefined;
  const out: Record<string, number> = { scale, request };
  for (const c of FIXED_COMPONENTS) {
    const d = resolved[c];
    const units = d === undefined ? Number.NaN : d.times(new Dec(10).pow(scale)).toNumber();
    if (d !== undefined && !Number.isSafeInteger(units)) return undefined;
    out[c] = units;
  }
  return out as unknown as FixedRates;
}

function fixedTables(tables: Map<string, Rates>[]): Map<string, FixedRates>[] {
  return tables.map((byVariant) => {
    const out = new Map<string, FixedRates>();
    for (const [key, rates] of byVariant) {
      const f = toFixed(rates);
      if (f) out.set(key, f);
    }
    return out;
  });
}

export function toRates(prices: Prices): Rates {
  const out: Rates = {};
  for (const c of COMPONENTS) {
    const p = prices[c];
    if (p !== undefined) out[c] = fromText(p);
  }
  return out;
}

/** The variant's rates on top of `standard` (which already carries any long-context tier); the fee keeps its price unless listed. */
export function applyVariant(standard: Rates, v: Variant): Rates {
  const out: Rates = { ...standard };
  const multiplier = v.multiplier === undefined ? undefined : fromText(v.multiplier);
  for (const c of COMPONENTS) {
    const explicit = v.prices?.[c];
    const base = standard[c];
    if (explicit !== undefined) out[c] = fromText(explicit);
    else if (multiplier && base !== undefined && v.applies_to.includes(c)) out[c] = base.times(multiplier);
  }
  if (!v.stacks_with_cache_reads) out.cache_read = standard.cache_read;
  return out;
}

function priceListOn(schedule: readonly PriceList[], date: string): PriceList | undefined {
  let found: PriceList | undefined;
  for (const s of schedule) if (s.from === null || s.from <= date) found = s;
  return found;
}

/** The price list in force on `date` (YYYY-MM-DD), with its tiers, or undefined before the earliest. */
export function listOn(model: CompiledModel, date: string): PriceList | undefined {
  return priceListOn(model.schedule, date);
}

/** The prices in force on `date` (YYYY-MM-DD), or undefined before the earliest. */
export function pricesOn(model: CompiledModel, date: string): Rates | undefined {
  return priceListOn(model.schedule, date)?.prices;
}

/** Cache writes at the input rate where the provider bills them so and the table names no write rate. */
function withWritesAsInput(rates: Rates): Rates {
  return rates.cache_write === undefined && rates.input !== undefined ? { ...rates, cache_write: rates.input } : rates;
}

/** Per-million rate tables for a price list: [standard, tier 1, …] of its own tiers × variant. */
export function rateTablesFor(model: Pick<CompiledModel, "entry" | "writesAsInput">, list: PriceList): Map<string, Rates>[] {
  const levels = [list.prices, ...list.tiers.map((t) => ({ ...list.prices, ...toRates(t.prices) }))];
  const finish = model.writesAsInput ? withWritesAsInput : (r: Rates) => r;
  return levels.map((standard) => {
    const byVariant = new Map<string, Rates>([["", finish(standard)]]);
    for (const [key, v] of Object.entries(model.entry.variants)) byVariant.set(key, finish(applyVariant(standard, v)));
    return byVariant;
  });
}

/** The rate-table key of a variant ("" standard) with or without the residency uplift. */
export function tableKey(variant: string, residency: boolean): string {
  return residency ? `${variant}|residency` : variant;
}

/**
 * Each variant's table again under the residency uplift (1 where the entry has none): a
 * multiplier on the token meters, after the variant, so writes billed as input follow it.
 */
function withResidency(tables: Map<string, Rates>[], uplift: Dec): Map<string, Rates>[] {
  return tables.map((byVariant) => {
    const out = new Map(byVariant);
    for (const [key, rates] of byVariant) {
      const r: Rates = { ...rates };
      for (const c of TOKEN_COMPONENTS) if (rates[c] !== undefined) r[c] = rates[c].times(uplift);
      out.set(tableKey(key, true), r);
    }
    return out;
  });
}

function perToken(tables: Map<string, Rates>[]): Map<string, Rates>[] {
  return tables.map((byVariant) => {
    const out = new Map<string, Rates>();
    for (const [key, rates] of byVariant) {
      const r: Rates = {};
      for (const c of TOKEN_COMPONENTS) if (rates[c] !== undefined) r[c] = rates[c].times(MILLIONTH);
      out.set(key, r);
    }
    return out;
  });
}

interface ModelTables {
  readonly schedule: CompiledModel["schedule"];
  readonly tiers: CompiledModel["tiers"];
  readonly rates: CompiledModel["rates"];
  readonly perToken: CompiledModel["perToken"];
  readonly fixed: CompiledModel["fixed"];
}

function buildTables(compiled: Pick<CompiledModel, "entry" | "writesAsInput">, today: string): ModelTables {
  const model = compiled.entry;
  const schedule: PriceList[] = [
    ...model.price_changes.map((p) => ({ from: p.effective_from ?? null, prices: toRates(p.prices), tiers: p.tiers ?? [] })),
    { from: model.effective_from ?? null, prices: toRates(model.prices), tiers: model.tiers },
  ].sort((a, b) => (a.from ?? "").localeCompare(b.from ?? ""));
  // A model whose current list starts after today still prices today's requests at the latest list.
  const current = priceListOn(schedule, today) ?? schedule[schedule.length - 1];
  const rates = withResidency(rateTablesFor(compiled, current), fromText(model.residency ?? "1"));
  return {
    schedule,
    tiers: current.tiers.map((t) => ({
      threshold: new Dec(t.threshold_tokens),
      thresholdTokens: t.threshold_tokens,
      inclusive: t.inclusive,
      basis: t.basis,
    })),
    rates,
    perToken: perToken(rates),
    fixed: fixedTables(rates),
  };
}

/**
 * A model whose decimals and rate tables are built when it is first priced: a refreshed
 * catalogue of thousands of models becomes active at once and pays only for what is used.
 */
class LazyModel implements CompiledModel {
  readonly id: string;
  readonly variants: ReadonlyMap<string, Variant>;
  #tables: ModelTables | undefined;

  constructor(
    readonly entry: Model,
    private readonly today: string,
    readonly writesAsInput: boolean,
  ) {
    this.id = entry.id;
    this.variants = new Map(Object.entries(entry.variants));
  }

  private get tables(): ModelTables {
    return (this.#tables ??= buildTables(this, this.today));
  }
  get schedule() {
    return this.tables.schedule;
  }
  get tiers() {
    return this.tables.tiers;
  }
  get rates() {
    return this.tables.rates;
  }
  get perToken() {
    return this.tables.perToken;
  }
  /** Read on every LLMCOST, so one call deep. */
  get fixed() {
    return (this.#tables ??= buildTables(this, this.today)).fixed;
  }
}

function compileHardware(h: Hardware): CompiledHardware {
  return {
    entry: h,
    id: h.id,
    gpus: new Dec(h.gpus),
    hbmGb: fromText(h.hbm_gb),
    bandwidthTbs: fromText(h.bandwidth_tbs),
    bf16Tflops: fromText(h.bf16_tflops),
    fp8Tflops: h.fp8_tflops === null ? null : fromText(h.fp8_tflops),
    kw: fromText(h.kw),
    capex: fromText(h.capex),
    rentalPerHour: fromText(h.rental_per_hour),
  };
}

/** Lower-case, with `.`, `-`, `_` and spaces alike, so "Claude Sonnet 4.6" meets "claude-sonnet-4-6". */
export function normalise(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[\s._-]+/g, "-");
}

const DAY_MS = 86_400_000;
/** Today's date and the UTC day it is for: FX asks for it on every call without as_of. */
let todayText = "";
let todayStart = Number.NaN;

export function today(): string {
  const now = Date.now();
  if (!(now >= todayStart && now < todayStart + DAY_MS)) {
    todayStart = Math.floor(now / DAY_MS) * DAY_MS;
    todayText = new Date(todayStart).toISOString().slice(0, 10);
  }
  return todayText;
}

/** Validates (zod) and compiles. Throws a ZodError on a file that breaks the schema. */
export function compileCatalogue(input: unknown, date: string = today()): CompiledCatalogue {
  const data = parseCatalogue(input);
  const asInput = new Set(data.cache_write_as_input ?? []);
  const models: CompiledModel[] = data.models.map((m) => new LazyModel(m, date, asInput.has(m.provider)));
  const byId = new Map(models.map((m) => [m.id, m]));
  const byName = new Map<string, CompiledModel[]>();
  for (const m of models) {
    const bare = m.id.slice(m.id.indexOf("/") + 1);
    const keys = new Set([m.id, bare, m.entry.name, ...m.entry.aliases].map(normalise));
    for (const key of keys) {
      const list = byName.get(key);
      if (list) list.push(m);
      else byName.set(key, [m]);
    }
  }
  const hardware = data.hardware.map(compileHardware);
  return { data, models, hardware, byId, hardwareById: new Map(hardware.map((h) => [h.id, h])), byName };
}
