import { Dec, fromText } from "../decimal";
import { Catalogue, COMPONENTS, type Component, type Hardware, type Model, type Prices, type Tier, type Variant } from "./schema";

/**
 * A catalogue ready to price with: every price parsed to a decimal once, at load, and every
 * rate table a request can need (tier × variant) built ahead, so a worksheet function only looks
 * things up. Rates are kept per token (USD per 1M ÷ 10^6, exact) to spare a division per call.
 */

export type Rates = Partial<Record<Component, Dec>>;

export interface CompiledTier {
  readonly threshold: Dec;
  readonly inclusive: boolean;
  readonly basis: Tier["basis"];
}

export interface CompiledModel {
  readonly entry: Model;
  readonly id: string;
  /** Price lists oldest first; `from` null means "for all earlier dates". */
  readonly schedule: readonly { from: string | null; prices: Rates }[];
  readonly tiers: readonly CompiledTier[];
  /** Per-million rates today: index 0 standard, index k + 1 tier k; keyed by variant ("" standard). */
  readonly rates: readonly Map<string, Rates>[];
  /** The same, per token, for the request formulas. */
  readonly perToken: readonly Map<string, Rates>[];
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

export function toRates(prices: Prices): Rates {
  const out: Rates = {};
  for (const c of COMPONENTS) {
    const p = prices[c];
    if (p !== undefined) out[c] = fromText(p);
  }
  return out;
}

/** The variant's rates on top of `standard` (which already carries any long-context tier). */
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

/** The price list in force on `date` (YYYY-MM-DD), or undefined before the earliest. */
export function pricesOn(model: CompiledModel, date: string): Rates | undefined {
  let found: Rates | undefined;
  for (const s of model.schedule) if (s.from === null || s.from <= date) found = s.prices;
  return found;
}

/** Per-million rate tables for a price list: [standard, tier 1, …] × variant. */
export function rateTablesFor(model: Model, prices: Rates): Map<string, Rates>[] {
  const levels = [prices, ...model.tiers.map((t) => ({ ...prices, ...toRates(t.prices) }))];
  return levels.map((standard) => {
    const byVariant = new Map<string, Rates>([["", standard]]);
    for (const [key, v] of Object.entries(model.variants)) byVariant.set(key, applyVariant(standard, v));
    return byVariant;
  });
}

function perToken(tables: Map<string, Rates>[]): Map<string, Rates>[] {
  return tables.map((byVariant) => {
    const out = new Map<string, Rates>();
    for (const [key, rates] of byVariant) {
      const r: Rates = {};
      for (const c of COMPONENTS) if (rates[c] !== undefined) r[c] = rates[c].times(MILLIONTH);
      out.set(key, r);
    }
    return out;
  });
}

function compileModel(model: Model, today: string): CompiledModel {
  const schedule = [
    ...model.price_changes.map((p) => ({ from: p.effective_from as string | null, prices: toRates(p.prices) })),
    { from: model.effective_from ?? null, prices: toRates(model.prices) },
  ].sort((a, b) => (a.from ?? "").localeCompare(b.from ?? ""));
  const partial: Omit<CompiledModel, "rates" | "perToken"> = {
    entry: model,
    id: model.id,
    schedule,
    tiers: model.tiers.map((t) => ({ threshold: new Dec(t.threshold_tokens), inclusive: t.inclusive, basis: t.basis })),
    variants: new Map(Object.entries(model.variants)),
  };
  // A model whose current list starts after today still prices today's requests at the latest list.
  const current = pricesOn(partial as CompiledModel, today) ?? schedule[schedule.length - 1].prices;
  const rates = rateTablesFor(model, current);
  return { ...partial, rates, perToken: perToken(rates) };
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

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Validates (zod) and compiles. Throws a ZodError on a file that breaks the schema. */
export function compileCatalogue(input: unknown, date: string = today()): CompiledCatalogue {
  const data = Catalogue.parse(input);
  const models = data.models.map((m) => compileModel(m, date));
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
