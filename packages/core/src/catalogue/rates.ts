import { Dec } from "../decimal";
import { notFound, valueError } from "../errors";
import { type CompiledModel, type CompiledTier, type PriceList, type Rates, listOn, rateTablesFor } from "./compile";
import type { Component } from "./schema";

/**
 * The contract's rate rules, in one place for the exact-integer tables (compile.ts) and the
 * decimal path (pricing and the catalogue functions): which tier a prompt falls in, which
 * variant a mode asks for, and what a component the entry does not price falls back to.
 */

/** A component priced by another where the entry has no price of its own. */
const FALLBACK: Partial<Record<Component, Component>> = { reasoning: "output", cache_write_1h: "cache_write" };

/** The rate a component bills at after the fallbacks, or undefined where the entry has none. */
export function resolvedRate(rates: Rates, component: Component): Dec | undefined {
  const own = rates[component];
  if (own !== undefined) return own;
  const fallback = FALLBACK[component];
  return fallback === undefined ? undefined : resolvedRate(rates, fallback);
}

/**
 * One component's price, with the contract's fallbacks: reasoning bills at the output rate
 * unless named, one cache-write price serves every TTL, storage is 0 where it is not billed, and
 * so is a request fee where the model charges none.
 */
export function componentPrice(model: CompiledModel, rates: Rates, component: Component, arg: string): Dec {
  const p = resolvedRate(rates, component);
  if (p !== undefined) return p;
  if (component === "cache_storage_hour" || component === "request") return new Dec(0);
  // Named by the price that is missing at the end of the fallbacks: reasoning needs an output price.
  let missing: Component = component;
  while (FALLBACK[missing]) missing = FALLBACK[missing]!;
  throw valueError(arg, `${model.id} has no ${missing} price`);
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
  const tables = tablesOf(model, list);
  return tables.rates[levelOf(tables.tiers, prompt)].get(variant)!;
}

/**
 * The tiers and rate tables of one of a model's price lists, built on first use and kept with the
 * list (a compiled model's lists never change), so pricing on a date costs a lookup, not a rebuild.
 */
const tablesByList = new WeakMap<
  PriceList,
  { tiers: Pick<CompiledTier, "inclusive" | "thresholdTokens">[]; rates: Map<string, Rates>[] }
>();

function tablesOf(model: CompiledModel, list: PriceList) {
  let tables = tablesByList.get(list);
  if (!tables) {
    tables = {
      tiers: list.tiers.map((t) => ({ inclusive: t.inclusive, thresholdTokens: t.threshold_tokens })),
      rates: rateTablesFor(model, list),
    };
    tablesByList.set(list, tables);
  }
  return tables;
}
