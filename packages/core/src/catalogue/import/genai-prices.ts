import { Dec } from "../../decimal";
import { canonical } from "../mapping";
import type { Component, Prices, Tier } from "../schema";
import { Collector, EntryRejected, type Entry, FeedError, type ImportContext, type ImportResult, type ModelInput } from "./common";
import { type Json, type JsonObject, isObject, wholeNumber } from "./json";

/**
 * pydantic/genai-prices data v2: an array of providers, each with models priced per 1M tokens.
 * A price is a number or `{base, tiers: [{start, price}]}`; its schema (TieredPrices) and engine
 * bill ALL tokens at a tier's price once the prompt's input tokens exceed `start` (a cliff, strictly
 * above), so a tier is `whole_request`, not inclusive. `prices` may be a list of conditional prices:
 * the first unconstrained, later ones from a `start_date` (the latest in force wins) or within a
 * daily UTC window (DeepSeek's: the cheaper side of the window becomes the `offpeak` variant).
 * `requests_kcount` (USD per 1,000 requests) is the `request` meter, `web_searches_kcount` (and
 * `tool_use_kcount`, the name older files use) the `web_search` meter; audio and image tokens their
 * meters; other priced keys are listed in a note. A model priced for input only is an embedding
 * model when its id says so. Each dated list keeps its own tiers. Ids are canonical (mapping.json).
 */

export const GENAI_PRICES_SOURCE = "pydantic/genai-prices data v2";

const KEYS: readonly [Component, string][] = [
  ["input", "input_mtok"],
  ["output", "output_mtok"],
  ["cache_read", "cache_read_mtok"],
  ["cache_write", "cache_write_mtok"],
  ["cache_write_1h", "cache_write_1h_mtok"],
  ["reasoning", "output_reasoning_mtok"],
  ["audio_input", "input_audio_mtok"],
  ["audio_output", "output_audio_mtok"],
  ["image_input", "input_image_mtok"],
  ["image_output", "output_image_mtok"],
];

/** Keys of a price list read here; the rest (cached audio, video…) no meter prices. */
const READ = new Set([...KEYS.map(([, k]) => k), "cache_write_5m_mtok", "requests_kcount", "web_searches_kcount", "tool_use_kcount"]);

interface PriceList {
  prices: Prices;
  tiers: Tier[];
}

/** A price list and its tiers: each tier level prices every component at the tier it has reached. */
function priceList(p: JsonObject, e: Entry, required: readonly Component[]): PriceList {
  const base: Partial<Record<Component, Json | undefined>> = {};
  const tiered = new Map<Component, { start: number; price: Json }[]>();
  for (const [component, key] of KEYS) {
    const v = p[key] ?? (component === "cache_write" ? p.cache_write_5m_mtok : undefined);
    if (!isObject(v)) {
      base[component] = v;
      continue;
    }
    base[component] = v.base;
    const steps = (Array.isArray(v.tiers) ? v.tiers : []).map((t) => {
      const start = isObject(t) ? wholeNumber(t.start) : undefined;
      if (!isObject(t) || start === undefined || start === 0) throw new EntryRejected(`${key}: a tier without a start`);
      return { start, price: t.price };
    });
    tiered.set(
      component,
      steps.sort((a, b) => a.start - b.start),
    );
  }
  const starts = [...new Set([...tiered.values()].flat().map((s) => s.start))].sort((a, b) => a - b);
  const tiers = starts.map((start): Tier => {
    const raw: Partial<Record<Component, Json>> = {};
    for (const [component, steps] of tiered) {
      const reached = steps.filter((s) => s.start <= start).pop();
      if (reached) raw[component] = reached.price;
    }
    return { threshold_tokens: start, inclusive: false, basis: "whole_request", prices: e.prices(raw, "per_mtok") };
  });
  e.notImported(Object.keys(p).filter((k) => !READ.has(k)));
  const fees = e.prices({ request: p.requests_kcount, web_search: p.web_searches_kcount ?? p.tool_use_kcount }, "per_krequest");
  return { prices: { ...e.prices(base, "per_mtok", required), ...fees }, tiers };
}

const clock = (t: Json | undefined) => (typeof t === "string" ? t.slice(0, 5) : "?");

type Priced = Pick<ModelInput, "prices" | "tiers" | "effective_from" | "price_changes" | "variants">;

/** A chat model must price input and output tokens; an embedding model input only. */
const CHAT_REQUIRED: readonly Component[] = ["input", "output"];

function pricesOf(list: JsonObject): JsonObject {
  if (!isObject(list.prices)) throw new EntryRejected("a conditional price without prices");
  return list.prices;
}

/** Standard prices plus an `offpeak` variant from [unconstrained, daily window] lists. */
function timeOfDay(lists: JsonObject[], e: Entry, required: readonly Component[]): Priced {
  const [always, windowed] = lists;
  const w = windowed.constraint as JsonObject;
  const a = priceList(pricesOf(always), e, required);
  const b = priceList(pricesOf(windowed), e, required);
  const windowCheaper = new Dec(b.prices.input!).lt(a.prices.input!);
  const [standard, offpeak] = windowCheaper ? [a, b] : [b, a];
  const window = windowCheaper ? `${clock(w.start_time)}–${clock(w.end_time)} UTC` : `${clock(w.end_time)}–${clock(w.start_time)} UTC`;
  return {
    prices: standard.prices,
    tiers: standard.tiers,
    variants: { offpeak: { prices: offpeak.prices, applies_to: [], stacks_with_cache_reads: true, window } },
  };
}

/** The latest dated list is current; earlier ones (the first undated) become price changes. */
function dated(lists: JsonObject[], e: Entry, required: readonly Component[]): Priced {
  const built = lists.map((l, i) => {
    const date = i > 0 && isObject(l.constraint) && typeof l.constraint.start_date === "string" ? l.constraint.start_date : undefined;
    if (i > 0 && !date) throw new EntryRejected("a conditional price without a start_date or time window");
    return { date, ...priceList(pricesOf(l), e, required) };
  });
  const current = built[built.length - 1];
  return {
    prices: current.prices,
    tiers: current.tiers,
    effective_from: current.date,
    price_changes: built
      .slice(0, -1)
      .map((b) => ({ effective_from: b.date, prices: b.prices, ...(b.tiers.length ? { tiers: b.tiers } : {}) })),
  };
}

function modelPrices(prices: Json | undefined, e: Entry, required: readonly Component[]): Priced {
  if (isObject(prices)) return priceList(prices, e, required);
  const lists = Array.isArray(prices) ? prices.filter(isObject) : [];
  if (lists.length === 0) throw new EntryRejected("no prices");
  const timed = lists.filter((l) => isObject(l.constraint) && "start_time" in l.constraint);
  if (timed.length === 0) return dated(lists, e, required);
  if (lists.length !== 2 || timed[0] !== lists[1]) throw new EntryRejected("time-of-day prices this catalogue cannot express");
  return timeOfDay(lists, e, required);
}

/** The price list that says what kind of model this is (the first, for conditional lists). */
function firstList(prices: Json | undefined): JsonObject | undefined {
  if (isObject(prices)) return prices;
  const first = Array.isArray(prices) ? prices[0] : undefined;
  return isObject(first) && isObject(first.prices) ? first.prices : undefined;
}

export function importGenaiPrices(doc: Json, context: ImportContext): ImportResult {
  if (!Array.isArray(doc) || !doc.some((p) => isObject(p) && Array.isArray(p.models))) {
    throw new FeedError("the response is not genai-prices data (expected an array of providers with models)");
  }
  const collector = new Collector();
  for (const provider of doc) {
    if (!isObject(provider) || typeof provider.id !== "string" || !Array.isArray(provider.models)) continue;
    for (const m of provider.models) {
      const name = isObject(m) && typeof m.id === "string" ? `${provider.id}/${m.id}` : `${provider.id}/?`;
      if (!isObject(m)) {
        collector.reject(name, "not an object");
        continue;
      }
      const first = firstList(m.prices);
      const embedding = first !== undefined && first.output_mtok === undefined && /embed/i.test(name);
      if (first && first.output_mtok === undefined && !embedding) {
        collector.skip("no output token price, and not an embedding model by its id");
        continue;
      }
      collector.add(name, (e) => ({
        ...canonical("genai-prices", name, name),
        name: typeof m.name === "string" && m.name ? m.name : (m.id as string),
        context_window: wholeNumber(m.context_window) || null,
        ...(embedding ? { kind: "embedding" as const } : {}),
        ...modelPrices(m.prices, e, embedding ? ["input"] : CHAT_REQUIRED),
      }));
    }
  }
  return collector.result({ version: context.today, source: GENAI_PRICES_SOURCE, as_of: context.today });
}
