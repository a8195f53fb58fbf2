import { canonical } from "../mapping";
import { Collector, EntryRejected, FeedError, type ImportContext, type ImportResult } from "./common";
import { type Json, type JsonObject, isObject } from "./json";

/**
 * simonw/llm-prices vendor files, `{vendor, models: [{id, name, price_history}]}` (one file or an
 * array of them), priced per 1M tokens; each history entry runs from `from_date` (null: always
 * before) to `to_date`, so the latest becomes the current list and the rest dated price changes.
 */

export const LLM_PRICES_SOURCE = "simonw/llm-prices";

const fromDate = (h: JsonObject) => (typeof h.from_date === "string" ? h.from_date : undefined);

export function importLlmPrices(doc: Json, context: ImportContext): ImportResult {
  const files = Array.isArray(doc) ? doc : [doc];
  if (!files.every((f) => isObject(f) && typeof f.vendor === "string" && Array.isArray(f.models))) {
    throw new FeedError("the response is not llm-prices data (expected {vendor, models} per vendor)");
  }
  const collector = new Collector();
  for (const file of files as JsonObject[]) {
    const vendor = file.vendor as string;
    for (const m of file.models as Json[]) {
      const id = isObject(m) && typeof m.id === "string" ? `${vendor}/${m.id}` : `${vendor}/?`;
      collector.add(id, (e) => {
        const history = isObject(m) && Array.isArray(m.price_history) ? m.price_history.filter(isObject) : [];
        if (history.length === 0) throw new EntryRejected("no price_history");
        const lists = history
          .sort((a, b) => (fromDate(a) ?? "").localeCompare(fromDate(b) ?? ""))
          .map((h) => ({
            effective_from: fromDate(h),
            prices: e.prices({ input: h.input, output: h.output, cache_read: h.input_cached }, "per_mtok", ["input", "output"]),
          }));
        const current = lists[lists.length - 1];
        return {
          ...canonical("llm-prices", id, id),
          name: isObject(m) && typeof m.name === "string" && m.name ? m.name : id,
          ...current,
          price_changes: lists.slice(0, -1),
        };
      });
    }
  }
  return collector.result({ version: context.today, source: LLM_PRICES_SOURCE, as_of: context.today });
}
