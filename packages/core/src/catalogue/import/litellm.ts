import { MAPPING, canonical } from "../mapping";
import type { Component, Prices, Tier, Variant } from "../schema";
import { Collector, EntryRejected, type Entry, FeedError, type ImportContext, type ImportResult } from "./common";
import { type Json, type JsonObject, isObject, wholeNumber } from "./json";

/**
 * LiteLLM's `model_prices_and_context_window.json`: an object of entries keyed by model name,
 * prices in USD per token as JSON numbers. Only chat-like modes are imported; long-context keys
 * (`…_above_200k_tokens`) bill the whole request once the prompt exceeds the threshold; `…_batches`
 * keys are the batch prices. A fee per request (`input_cost_per_request`, or the per-query search
 * cost of providers that search on every request) becomes the `request` meter; other priced keys
 * are listed in a note. Ids are canonical (mapping.json), the map's key kept as an alias.
 */

export const LITELLM_SOURCE = "LiteLLM model_prices_and_context_window.json";

/** Modes priced per text token in and out. */
const CHAT_MODES = new Set(["chat", "completion", "responses"]);

const KEYS: readonly [Component, string][] = [
  ["input", "input_cost_per_token"],
  ["output", "output_cost_per_token"],
  ["cache_read", "cache_read_input_token_cost"],
  ["cache_write", "cache_creation_input_token_cost"],
  ["cache_write_1h", "cache_creation_input_token_cost_above_1hr"],
  ["reasoning", "output_cost_per_reasoning_token"],
];

const TIER_KEY = /^(.+)_above_(\d+)k_tokens$/;

const sameProvider = (s: string) => s.toLowerCase().replace(/_/g, "-");

/** `provider/model`: LiteLLM keys often repeat the provider ("vertex_ai/claude-…" under vertex_ai-anthropic_models). */
export function litellmId(key: string, provider: string): string {
  const slash = key.indexOf("/");
  const head = slash > 0 ? key.slice(0, slash) : "";
  const model = head && sameProvider(provider).startsWith(sameProvider(head)) ? key.slice(slash + 1) : key;
  return `${provider}/${model}`;
}

const BATCH_KEYS = KEYS.map(([component, key]): [Component, string] => [component, `${key}_batches`]);

function rawPrices(entry: JsonObject, keys: readonly [Component, string][]): Partial<Record<Component, Json | undefined>> {
  const raw: Partial<Record<Component, Json | undefined>> = {};
  for (const [component, key] of keys) raw[component] = entry[key];
  return raw;
}

/** Long-context tiers from `<key>_above_<N>k_tokens`, one tier per threshold. */
function tiers(entry: JsonObject, e: Entry): Tier[] {
  const byThreshold = new Map<number, Partial<Record<Component, Json>>>();
  for (const key of Object.keys(entry)) {
    const m = key.endsWith("k_tokens") ? TIER_KEY.exec(key) : null;
    const component = m && KEYS.find(([, k]) => k === m[1])?.[0];
    if (!m || !component) continue;
    const threshold = Number(m[2]) * 1000;
    const raw = byThreshold.get(threshold) ?? {};
    raw[component] = entry[key];
    byThreshold.set(threshold, raw);
  }
  return [...byThreshold.entries()]
    .sort(([a], [b]) => a - b)
    .map(
      ([threshold, raw]): Tier => ({
        threshold_tokens: threshold,
        inclusive: false,
        basis: "whole_request",
        prices: e.prices(raw, "per_token"),
      }),
    )
    .filter((t) => Object.keys(t.prices).length > 0);
}

const SEARCH_FEE = new Set(MAPPING.search_fee_per_request);
/** Keys read elsewhere, or that repeat one read (DeepSeek's cache-hit price is its cache-read price). */
const READ = new Set([...KEYS, ...BATCH_KEYS].map(([, k]) => k).concat(["input_cost_per_request", "input_cost_per_token_cache_hit"]));

/**
 * The fee per request, USD per 1,000: `input_cost_per_request`, else the low search-context cost
 * per query where the provider searches on every request (Perplexity); elsewhere that cost is a
 * web-search tool price, which this catalogue has no meter for.
 */
function requestFee(entry: JsonObject, provider: string, e: Entry): Prices {
  const search = entry.search_context_cost_per_query;
  const perQuery = isObject(search) && SEARCH_FEE.has(provider) ? search.search_context_size_low : undefined;
  return e.prices({ request: entry.input_cost_per_request ?? perQuery }, "per_request");
}

/** Priced keys this importer does not read (audio, images, priority tiers, web search…), for a note. */
function unread(entry: JsonObject, provider: string): string[] {
  return Object.keys(entry).filter(
    (k) =>
      /cost/.test(k) &&
      !READ.has(k) &&
      !(TIER_KEY.test(k) && KEYS.some(([, key]) => key === TIER_KEY.exec(k)![1])) &&
      !(k === "search_context_cost_per_query" && SEARCH_FEE.has(provider)),
  );
}

function batchVariant(entry: JsonObject, e: Entry): Record<string, Variant> {
  const prices: Prices = e.prices(rawPrices(entry, BATCH_KEYS), "per_token");
  if (Object.keys(prices).length === 0) return {};
  // Explicit batch prices; LiteLLM gives none for cache reads, which stay at the standard rate.
  return { batch: { prices, applies_to: [], stacks_with_cache_reads: false } };
}

export function importLitellm(doc: Json, context: ImportContext): ImportResult {
  if (!isObject(doc) || !Object.values(doc).some((v) => isObject(v) && typeof v.litellm_provider === "string")) {
    throw new FeedError("the response is not a LiteLLM price map (no entry names a litellm_provider)");
  }
  const collector = new Collector();
  for (const [key, entry] of Object.entries(doc)) {
    if (!isObject(entry)) continue; // "last_updated" and other file metadata
    if (key === "sample_spec") {
      collector.skip("sample_spec (LiteLLM's field documentation)");
      continue;
    }
    const mode = typeof entry.mode === "string" ? entry.mode : undefined;
    if (!mode || !CHAT_MODES.has(mode)) {
      collector.skip(mode ?? "no mode (a pricing rule, not a model)");
      continue;
    }
    collector.add(key, (e) => {
      const provider = typeof entry.litellm_provider === "string" ? entry.litellm_provider : "";
      if (!provider) throw new EntryRejected("no litellm_provider");
      const { id, provider: canonicalProvider, aliases } = canonical("litellm", key, litellmId(key, provider));
      e.notImported(unread(entry, provider));
      return {
        id,
        provider: canonicalProvider,
        name: id.slice(canonicalProvider.length + 1),
        aliases,
        context_window: wholeNumber(entry.max_input_tokens) || null,
        prices: { ...e.prices(rawPrices(entry, KEYS), "per_token", ["input", "output"]), ...requestFee(entry, provider, e) },
        tiers: tiers(entry, e),
        variants: batchVariant(entry, e),
      };
    });
  }
  const updated = typeof doc.last_updated === "string" && /^\d{4}-\d{2}-\d{2}/.test(doc.last_updated) ? doc.last_updated : undefined;
  return collector.result({
    version: updated ?? context.today,
    source: LITELLM_SOURCE,
    as_of: updated?.slice(0, 10) ?? context.today,
  });
}
