import { MAPPING, canonical } from "../mapping";
import type { Component, Kind, Prices, Tier, Variant } from "../schema";
import { Collector, EntryRejected, type Entry, FeedError, type ImportContext, type ImportResult, type Unit } from "./common";
import { type Json, type JsonObject, isObject, wholeNumber } from "./json";

/**
 * LiteLLM's `model_prices_and_context_window.json`: an object of entries keyed by model name,
 * prices in USD per token as JSON numbers. Every mode a meter prices is imported with its kind
 * (chat, embedding, image, speech, transcription, OCR, rerank); long-context keys
 * (`…_above_200k_tokens`) bill the whole request once the prompt exceeds the threshold; `…_batches`,
 * `…_flex` and `…_priority` keys are those variants' prices. A fee per request
 * (`input_cost_per_request`, or the per-query search cost of providers that search on every
 * request) becomes the `request` meter, elsewhere that search cost is the `web_search` meter;
 * other priced keys are listed in a note. Ids are canonical (mapping.json), the map's key kept as an alias.
 */

export const LITELLM_SOURCE = "LiteLLM model_prices_and_context_window.json";

/** The kind of model each priced mode is; modes not listed (video, moderation, search tools) no meter prices. */
const KIND_OF_MODE: Readonly<Record<string, Kind>> = {
  chat: "chat",
  completion: "chat",
  responses: "chat",
  realtime: "chat",
  embedding: "embedding",
  image_generation: "image",
  image_edit: "image",
  audio_speech: "speech",
  audio_transcription: "transcription",
  ocr: "ocr",
  rerank: "rerank",
};

/** Token meters, USD per token. */
const KEYS: readonly [Component, string][] = [
  ["input", "input_cost_per_token"],
  ["output", "output_cost_per_token"],
  ["cache_read", "cache_read_input_token_cost"],
  ["cache_write", "cache_creation_input_token_cost"],
  ["cache_write_1h", "cache_creation_input_token_cost_above_1hr"],
  ["reasoning", "output_cost_per_reasoning_token"],
  ["audio_input", "input_cost_per_audio_token"],
  ["audio_output", "output_cost_per_audio_token"],
  ["image_input", "input_cost_per_image_token"],
  ["image_output", "output_cost_per_image_token"],
];

/** The other meters, each with the key and the unit LiteLLM prices it in. */
const METER_KEYS: readonly [Component, string, Unit][] = [
  ["character", "input_cost_per_character", "per_token"],
  ["audio_minute", "input_cost_per_second", "per_second"],
  ["page", "ocr_cost_per_page", "per_request"],
  ["image", "output_cost_per_image", "per_image"],
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

const suffixed = (suffix: string) => KEYS.map(([component, key]): [Component, string] => [component, `${key}${suffix}`]);
/** Variants LiteLLM prices with a key suffix: batch, and OpenAI's flex and priority service tiers. */
const VARIANT_KEYS: readonly [string, readonly [Component, string][]][] = [
  ["batch", suffixed("_batches")],
  ["flex", suffixed("_flex")],
  ["priority", suffixed("_priority")],
];

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
const READ = new Set(
  [...KEYS, ...VARIANT_KEYS.flatMap(([, keys]) => keys), ...METER_KEYS]
    .map(([, k]) => k)
    .concat(["input_cost_per_request", "input_cost_per_token_cache_hit", "search_context_cost_per_query"]),
);

/**
 * The fee per request, USD per 1,000: `input_cost_per_request` (a rerank model's
 * `input_cost_per_query`), else the low search-context cost per query where the provider searches
 * on every request (Perplexity); elsewhere that cost is the `web_search` meter, at the same
 * low-context price.
 */
function searchAndFees(entry: JsonObject, provider: string, kind: Kind, e: Entry): Prices {
  const search = entry.search_context_cost_per_query;
  const low = isObject(search) ? search.search_context_size_low : undefined;
  const everyRequest = SEARCH_FEE.has(provider);
  const perQuery = kind === "rerank" ? entry.input_cost_per_query : undefined;
  return e.prices(
    { request: entry.input_cost_per_request ?? perQuery ?? (everyRequest ? low : undefined), web_search: everyRequest ? undefined : low },
    "per_request",
  );
}

/** The meters other than tokens and fees; an image model's `input_cost_per_image` is its price per image generated. */
function otherMeters(entry: JsonObject, kind: Kind, e: Entry): Prices {
  const prices: Prices = {};
  for (const [component, key, unit] of METER_KEYS) Object.assign(prices, e.prices({ [component]: entry[key] }, unit));
  if (kind === "image" && prices.image === undefined) Object.assign(prices, e.prices({ image: entry.input_cost_per_image }, "per_image"));
  return prices;
}

/** Priced keys this importer does not read (per pixel, per video second, tiers of a service tier…), for a note. */
function unread(entry: JsonObject, kind: Kind): string[] {
  return Object.keys(entry).filter(
    (k) =>
      /cost/.test(k) &&
      !READ.has(k) &&
      !(kind === "image" && k === "input_cost_per_image") &&
      !(kind === "rerank" && k === "input_cost_per_query") &&
      !(TIER_KEY.test(k) && KEYS.some(([, key]) => key === TIER_KEY.exec(k)![1])),
  );
}

/** Explicit variant prices; where a variant gives no cache-read price, cache reads stay at the standard rate. */
function variants(entry: JsonObject, e: Entry): Record<string, Variant> {
  const out: Record<string, Variant> = {};
  for (const [name, keys] of VARIANT_KEYS) {
    const prices: Prices = e.prices(rawPrices(entry, keys), "per_token");
    if (Object.keys(prices).length === 0) continue;
    out[name] = { prices, applies_to: [], stacks_with_cache_reads: prices.cache_read !== undefined };
  }
  return out;
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
    const kind = mode === undefined ? undefined : KIND_OF_MODE[mode];
    if (!kind) {
      collector.skip(mode ? `${mode} (no meter prices it)` : "no mode (a pricing rule, not a model)");
      continue;
    }
    collector.add(key, (e) => {
      const provider = typeof entry.litellm_provider === "string" ? entry.litellm_provider : "";
      if (!provider) throw new EntryRejected("no litellm_provider");
      const { id, provider: canonicalProvider, aliases } = canonical("litellm", key, litellmId(key, provider));
      const notRead = unread(entry, kind);
      const prices: Prices = {
        // A chat model's output tokens are its product; an embedding's "output" price is LiteLLM's 0.
        ...e.prices(rawPrices(entry, KEYS), "per_token", kind === "chat" ? ["input", "output"] : []),
        ...searchAndFees(entry, provider, kind, e),
        ...otherMeters(entry, kind, e),
      };
      if (kind !== "chat" && Object.keys(prices).length === 0) {
        throw new EntryRejected(
          notRead.length ? `priced only by ${notRead.join(", ")}, which no meter bills (kind ${kind})` : `no price above 0 (kind ${kind})`,
        );
      }
      e.notImported(notRead);
      return {
        id,
        provider: canonicalProvider,
        name: id.slice(canonicalProvider.length + 1),
        aliases,
        context_window: wholeNumber(entry.max_input_tokens) || null,
        ...(kind === "chat" ? {} : { kind }),
        prices,
        tiers: tiers(entry, e),
        variants: variants(entry, e),
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
