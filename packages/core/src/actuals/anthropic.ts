import type { JsonObject } from "../catalogue/import/json";

import { type ActualLine, MONEY_SCALE, type Problems, type Qty, emptyLine } from "./line";
import { Duplicates, RowRejected, type Sink, attempt, count, dayOfText, label, money, object, pagesData, parseExport } from "./export-json";

/**
 * Anthropic's Usage & Cost Admin API: pages of buckets (`starting_at`, RFC 3339) with `results`.
 * Messages usage splits the prompt into `uncached_input_tokens`, `cache_read_input_tokens` and
 * `cache_creation.ephemeral_5m_input_tokens` / `ephemeral_1h_input_tokens`; it counts no
 * requests. Cost report amounts are decimal strings in cents ("123.45" is $1.2345).
 */

function eachResult(format: string, text: string, problems: Problems, read: (r: JsonObject, day: string, where: string) => void) {
  for (const { where, item } of pagesData(format, parseExport(format, text))) {
    attempt(problems, where, () => {
      const bucket = object(item, "the bucket");
      const day = dayOfText(bucket.starting_at, "starting_at");
      if (!Array.isArray(bucket.results)) throw new RowRejected('"results" is not a list');
      bucket.results.forEach((r, i) => {
        const at = `${where}.results[${i}]`;
        attempt(problems, at, () => read(object(r, "the result"), day, at));
      });
    });
  }
}

/** The catalogue variant of a service tier; tiers the catalogue does not price are noted and priced standard. */
function variantOf(tier: string, where: string, problems: Problems): string {
  if (tier === "batch") return "batch";
  if (tier && tier !== "standard") problems.add(where, `service_tier ${tier} priced at standard rates`);
  return "";
}

const GROUPING = ["model", "workspace_id", "api_key_id", "service_tier", "context_window", "inference_geo", "account_id"];

export function readAnthropicUsage(text: string, sink: Sink, problems: Problems): void {
  const duplicates = new Duplicates(problems);
  eachResult("anthropic-usage", text, problems, (r, day, where) => {
    const creation = r.cache_creation === undefined || r.cache_creation === null ? {} : object(r.cache_creation, "cache_creation");
    const tools = r.server_tool_use === undefined || r.server_tool_use === null ? {} : object(r.server_tool_use, "server_tool_use");
    const line: ActualLine = {
      ...emptyLine(),
      day,
      model: label(r, "model"),
      provider: "anthropic",
      team: label(r, "workspace_id"),
      uncached: count(r, "uncached_input_tokens", true),
      cacheRead: count(r, "cache_read_input_tokens"),
      cacheWrite5m: count(creation, "ephemeral_5m_input_tokens"),
      cacheWrite1h: count(creation, "ephemeral_1h_input_tokens"),
      output: count(r, "output_tokens", true),
      webSearches: count(tools, "web_search_requests"),
    };
    if (!duplicates.first([day, ...GROUPING.map((k) => label(r, k))].join("\u0000"), where)) return;
    line.variant = variantOf(label(r, "service_tier"), where, problems);
    if (label(r, "context_window") === "200k-1M") {
      problems.add(where, "context_window 200k-1M priced at standard rates (a long-context tier needs each request's prompt size)");
    }
    sink(line);
  });
}

/** Cents as nano-dollars: parsed two places short of MONEY_SCALE. */
function dollarsOfCents(q: Qty): Qty {
  return typeof q === "number" ? q : q.div(100);
}

export function readAnthropicCost(text: string, sink: Sink, problems: Problems): void {
  const duplicates = new Duplicates(problems);
  eachResult("anthropic-cost", text, problems, (r, day, where) => {
    const currency = label(r, "currency") || "USD";
    const line: ActualLine = {
      ...emptyLine(),
      day,
      model: label(r, "model"),
      provider: "anthropic",
      team: label(r, "workspace_id"),
      billed: dollarsOfCents(money(r, "amount", MONEY_SCALE - 2)),
    };
    const key = [day, ...GROUPING.map((k) => label(r, k)), label(r, "cost_type"), label(r, "token_type"), label(r, "description")];
    if (!duplicates.first(key.join("\u0000"), where)) return;
    if (currency.toUpperCase() !== "USD") throw new RowRejected(`amount in ${currency}, not USD (mixed currencies)`);
    sink(line);
  });
}
