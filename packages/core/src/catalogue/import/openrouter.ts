import { MAPPING, canonical } from "../mapping";
import type { Component, Tier } from "../schema";
import { Collector, EntryRejected, FeedError, type ImportContext, type ImportResult } from "./common";
import { type Json, type JsonObject, isObject, wholeNumber } from "./json";

/**
 * OpenRouter's `GET /api/v1/models`: `{data: [...]}`, prices as decimal strings of USD per token
 * (exact already). Ids are kept as OpenRouter writes them (`anthropic/claude-sonnet-4.6`), since
 * they are provider/model and OpenRouter passes the provider's price through. `overrides` with
 * `min_prompt_tokens` reprice the whole request once the prompt reaches that size; `-1` marks
 * routers priced per request; `~…-latest` entries are aliases. `request` (USD per request) is the
 * `request` meter, and so is `web_search` where the provider searches on every request
 * (Perplexity), elsewhere it is the `web_search` meter (USD per call); `image`/`audio` and their
 * `_output` keys are image and audio tokens; other priced keys are listed in a note. Ids are
 * canonical (mapping.json).
 */

export const OPENROUTER_SOURCE = "OpenRouter models API";

const KEYS: readonly [Component, string][] = [
  ["input", "prompt"],
  ["output", "completion"],
  ["cache_read", "input_cache_read"],
  ["cache_write", "input_cache_write"],
  ["cache_write_1h", "input_cache_write_1h"],
  ["reasoning", "internal_reasoning"],
  ["image_input", "image"],
  ["image_output", "image_output"],
  ["audio_input", "audio"],
  ["audio_output", "audio_output"],
];

const SEARCH_FEE = new Set(MAPPING.search_fee_per_request);
const READ = new Set([...KEYS.map(([, k]) => k), "request", "web_search", "overrides"]);

/** A price above 0 (a filter for the note only: "0" is unpriced, "-1" a router's placeholder). */
const priced = (v: Json) => typeof v === "string" && Number(v) > 0;

function rawPrices(pricing: JsonObject): Partial<Record<Component, Json | undefined>> {
  const raw: Partial<Record<Component, Json | undefined>> = {};
  for (const [component, key] of KEYS) raw[component] = pricing[key];
  return raw;
}

export function importOpenrouter(doc: Json, context: ImportContext): ImportResult {
  if (!isObject(doc) || !Array.isArray(doc.data)) {
    throw new FeedError("the response is not an OpenRouter models list (no “data” array)");
  }
  const collector = new Collector();
  doc.data.forEach((m, index) => {
    const id = isObject(m) && typeof m.id === "string" ? m.id : `entry ${index + 1}`;
    if (!isObject(m)) return collector.reject(id, "not an object");
    const target = isObject(m.alias_target) && typeof m.alias_target.slug === "string" ? m.alias_target.slug : undefined;
    if (id.startsWith("~") && target) return collector.alias(id, canonical("openrouter", target, target).id, id);
    const outputs =
      isObject(m.architecture) && Array.isArray(m.architecture.output_modalities) ? m.architecture.output_modalities : ["text"];
    if (!outputs.every((o) => typeof o === "string")) return collector.reject(id, "architecture.output_modalities: not a list of names");
    if (!outputs.includes("text")) return collector.skip(`no text output (${outputs.join(", ")})`);
    collector.add(id, (e) => {
      if (!isObject(m.pricing)) throw new EntryRejected("no pricing");
      const overrides = Array.isArray(m.pricing.overrides) ? m.pricing.overrides : [];
      const tiers = overrides.map((o): Tier => {
        const threshold = isObject(o) ? wholeNumber(o.min_prompt_tokens) : undefined;
        if (!isObject(o) || threshold === undefined) throw new EntryRejected("a price override without min_prompt_tokens");
        return { threshold_tokens: threshold, inclusive: true, basis: "whole_request", prices: e.prices(rawPrices(o), "per_token") };
      });
      const pricing = m.pricing;
      const names = canonical("openrouter", id, id);
      const searchFee = SEARCH_FEE.has(names.provider);
      e.notImported(Object.keys(pricing).filter((k) => !READ.has(k) && priced(pricing[k])));
      return {
        ...names,
        name: typeof m.name === "string" && m.name ? m.name : id,
        context_window: wholeNumber(m.context_length) || null,
        prices: {
          ...e.prices(rawPrices(pricing), "per_token", ["input", "output"]),
          ...e.prices(
            {
              request: priced(pricing.request) ? pricing.request : searchFee ? pricing.web_search : undefined,
              web_search: searchFee ? undefined : pricing.web_search,
            },
            "per_request",
          ),
        },
        tiers: tiers.sort((a, b) => a.threshold_tokens - b.threshold_tokens),
      };
    });
  });
  return collector.result({ version: context.today, source: OPENROUTER_SOURCE, as_of: context.today });
}
