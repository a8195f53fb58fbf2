import { Dec } from "../decimal";
import { notFound, valueError } from "../errors";
import { type Matrix, type Param, date, defineFunction, maybe, optional, text, textAs, tokens } from "../sheet";
import { activeCatalogue, isPinned } from "./active";
import { type CompiledModel, type CompiledTier, type Rates, listOn, normalise, rateTablesFor } from "./compile";
import { findHardware, findModel } from "./lookup";
import type { Component } from "./schema";

export * from "./active";
export * from "./compile";
export * from "./lookup";
export * from "./schema";
export * from "./diff";
export * from "./overlay";
export * from "./pin";
export * from "./refresh";
export * from "./store";
export { FeedError, type ImportContext, type ImportResult, type Rejection } from "./import/common";

/** A model argument: resolved against the active catalogue when the function runs. */
export function modelArg(name = "model"): Param<CompiledModel> {
  return textAs(name, (id) => findModel(activeCatalogue(), id));
}

/**
 * The long-context level a prompt of `prompt` tokens falls in: 0 standard, k + 1 for tier k.
 * Prompt sizes arrive as doubles and thresholds are whole, so comparing doubles is exact.
 */
function levelOf(tiers: readonly Pick<CompiledTier, "inclusive" | "thresholdTokens">[], prompt: number): number {
  for (let k = tiers.length - 1; k >= 0; k--) {
    const t = tiers[k];
    if (t.inclusive ? prompt >= t.thresholdTokens : prompt > t.thresholdTokens) return k + 1;
  }
  return 0;
}

/** The tier level of a prompt under the list in force today. */
export function tierLevel(model: CompiledModel, prompt: number): number {
  return levelOf(model.tiers, prompt);
}

/** `#VALUE!` naming `arg` unless the model prices this variant ("" standard, "batch", "batch+offpeak", …). */
export function requireVariant(model: CompiledModel, variant: string, arg = "mode"): void {
  if (!variant || model.variants.has(variant)) return;
  const rule = variant.includes("+")
    ? `${variant.replace("+", " and ")} together are not priced for ${model.id}`
    : `${model.id} has no ${variant} variant`;
  throw valueError(arg, rule);
}

/**
 * The rates of one variant ("" standard) for a prompt of `prompt` tokens, today or on a date (the
 * tier from the list in force then). `arg` is the argument that asked for the variant, named when
 * the model has none.
 */
export function ratesFor(model: CompiledModel, prompt: number, variant: string, on?: string, arg = "mode"): Rates {
  requireVariant(model, variant, arg);
  if (on === undefined) return model.rates[tierLevel(model, prompt)].get(variant)!;
  const list = listOn(model, on);
  if (!list) throw notFound(`as_of: no price known for ${model.id} on ${on} (the earliest is ${model.schedule[0].from})`);
  const level = levelOf(
    list.tiers.map((t) => ({ inclusive: t.inclusive, thresholdTokens: t.threshold_tokens })),
    prompt,
  );
  return rateTablesFor(model, list)[level].get(variant)!;
}

/**
 * One component's price, with the contract's fallbacks: reasoning bills at the output rate
 * unless named, one cache-write price serves every TTL, storage is 0 where it is not billed, and
 * so is a request fee where the model charges none.
 */
export function componentPrice(model: CompiledModel, rates: Rates, component: Component, arg: string): Dec {
  const p = rates[component];
  if (p !== undefined) return p;
  if (component === "reasoning") return componentPrice(model, rates, "output", arg);
  if (component === "cache_write_1h") return componentPrice(model, rates, "cache_write", arg);
  if (component === "cache_storage_hour" || component === "request") return new Dec(0);
  throw valueError(arg, `${model.id} has no ${component} price`);
}

const PRICE_COMPONENTS: Record<string, [variant: string, component: Component]> = {
  input: ["", "input"],
  output: ["", "output"],
  cache_read: ["", "cache_read"],
  cache_write: ["", "cache_write"],
  cache_write_1h: ["", "cache_write_1h"],
  reasoning: ["", "reasoning"],
  cache_storage_hour: ["", "cache_storage_hour"],
  batch_input: ["batch", "input"],
  batch_output: ["batch", "output"],
  offpeak_input: ["offpeak", "input"],
  offpeak_output: ["offpeak", "output"],
  request: ["", "request"],
};

export const PRICE = defineFunction(
  "PRICE",
  [modelArg(), optional(text("component"), "input"), optional(tokens("prompt_tokens"), new Dec(0)), maybe(date("as_of"))],
  (model, componentName, promptTokens, asOf) => {
    const picked = PRICE_COMPONENTS[componentName.trim().toLowerCase()];
    if (!picked) {
      throw valueError("component", `unknown component "${componentName}" (use ${Object.keys(PRICE_COMPONENTS).join(", ")})`);
    }
    const [variant, component] = picked;
    const rates = ratesFor(model, promptTokens.toNumber(), variant, asOf, "component");
    return componentPrice(model, rates, component, "component");
  },
);

const dash = (d: Dec | undefined) => d ?? null;

export const MODELS = defineFunction("MODELS", [optional(text("search"), ""), optional(text("provider"), "")], (search, provider) => {
  const catalogue = activeCatalogue();
  const q = normalise(search);
  const p = normalise(provider);
  const rows: Matrix = [
    ["id", "provider", "name", "input", "output", "cache_read", "cache_write", "cache_write_1h", "context_window", "as_of"],
  ];
  for (const m of catalogue.models) {
    const e = m.entry;
    if (p && normalise(e.provider) !== p) continue;
    if (q && ![m.id, e.name, ...e.aliases].some((s) => normalise(s).includes(q))) continue;
    const r = m.rates[0].get("")!;
    rows.push([
      m.id,
      e.provider,
      e.name,
      dash(r.input),
      dash(r.output),
      dash(r.cache_read),
      dash(r.cache_write),
      dash(r.cache_write_1h ?? r.cache_write),
      e.context_window === null ? null : new Dec(e.context_window),
      e.as_of ?? catalogue.data.as_of,
    ]);
  }
  return rows;
});

export const HARDWARE = defineFunction("HARDWARE", [optional(text("search"), "")], (search) => {
  const q = normalise(search);
  const rows: Matrix = [
    [
      "id",
      "gpus",
      "hbm_gb",
      "bandwidth_tbs",
      "bf16_tflops",
      "fp8_tflops",
      "kw",
      "capex",
      "rental_per_hour",
      "measured_tokens_per_second",
      "measured_by",
    ],
  ];
  for (const h of activeCatalogue().hardware) {
    if (q && !normalise(h.id).includes(q) && !normalise(h.entry.name).includes(q)) continue;
    const best = h.entry.measured[0];
    rows.push([
      h.id,
      h.gpus,
      h.hbmGb,
      h.bandwidthTbs,
      h.bf16Tflops,
      h.fp8Tflops,
      h.kw,
      h.capex,
      h.rentalPerHour,
      best ? new Dec(best.tokens_per_second) : null,
      best ? `${best.engine}, ${best.scenario}, ${best.model} (${best.source})` : null,
    ]);
  }
  return rows;
});

export const CATALOG_INFO = defineFunction("CATALOG_INFO", [], () => {
  const { data, models } = activeCatalogue();
  return [
    ["source", data.source],
    ["as_of", data.as_of],
    ["version", data.version],
    ["models", new Dec(models.length)],
    ["pinned", isPinned()],
  ];
});

/** Hardware by catalogue id, for the self-hosting functions. */
export function hardwareNamed(name: string) {
  return findHardware(activeCatalogue(), name);
}
