import type { JsonObject } from "../catalogue/import/json";
import { Dec } from "../decimal";
import { type ActualLine, MONEY_SCALE, type Problems, emptyLine, qtyOf } from "./line";
import { Duplicates, RowRejected, type Sink, attempt, count, dayOfUnix, label, money, object, pagesData, parseExport } from "./export-json";

/**
 * OpenAI's organisation Usage API (completions) and Costs API: pages of daily buckets
 * (`start_time` in Unix seconds), each with `results` grouped by what the query asked for.
 * Usage: `input_tokens` counts the whole prompt, `input_cached_tokens` the part read from cache;
 * `batch` marks Batch API usage. Costs: `amount {value, currency}` in dollars, `line_item`
 * "<model>, <kind>" when grouped by line item.
 */

function eachResult(format: string, text: string, problems: Problems, read: (r: JsonObject, day: string, where: string) => void) {
  for (const { where, item } of pagesData(format, parseExport(format, text))) {
    attempt(problems, where, () => {
      const bucket = object(item, "the bucket");
      const day = dayOfUnix(bucket.start_time);
      if (!Array.isArray(bucket.results)) throw new RowRejected('"results" is not a list');
      bucket.results.forEach((r, i) => {
        const at = `${where}.results[${i}]`;
        attempt(problems, at, () => read(object(r, "the result"), day, at));
      });
    });
  }
}

export function readOpenAiUsage(text: string, sink: Sink, problems: Problems): void {
  const duplicates = new Duplicates(problems);
  eachResult("openai-usage", text, problems, (r, day, where) => {
    const input = count(r, "input_tokens", true);
    const cached = count(r, "input_cached_tokens");
    const uncached = new Dec(input).minus(cached);
    if (uncached.isNeg()) throw new RowRejected("input_cached_tokens exceeds input_tokens");
    const audio = new Dec(count(r, "input_audio_tokens")).plus(count(r, "output_audio_tokens"));
    const line: ActualLine = {
      ...emptyLine(),
      day,
      model: label(r, "model"),
      provider: "openai",
      team: label(r, "project_id"),
      variant: r.batch === true ? "batch" : "",
      requests: count(r, "num_model_requests", true),
      uncached: qtyOf(uncached),
      cacheRead: cached,
      output: count(r, "output_tokens", true),
    };
    const key = [day, line.model, line.team, r.batch, label(r, "user_id"), label(r, "api_key_id"), label(r, "service_tier")].join("\u0000");
    if (!duplicates.first(key, where)) return;
    if (!audio.isZero()) problems.add(where, `${audio} audio tokens are counted as text tokens (the catalogue has no audio price)`);
    const tier = label(r, "service_tier");
    if (tier && tier !== "default" && tier !== "auto") problems.add(where, `service_tier ${tier} priced at standard rates`);
    sink(line);
  });
}

export function readOpenAiCosts(text: string, sink: Sink, problems: Problems): void {
  const duplicates = new Duplicates(problems);
  eachResult("openai-costs", text, problems, (r, day, where) => {
    const amount = object(r.amount, "amount");
    const currency = label(amount, "currency").toLowerCase();
    const billed = money(amount, "value", MONEY_SCALE);
    const item = label(r, "line_item");
    const line: ActualLine = {
      ...emptyLine(),
      day,
      // "gpt-4o-2024-08-06, input": the model is what comes before the kind.
      model: item.split(",")[0].trim(),
      provider: "openai",
      team: label(r, "project_id"),
      billed,
    };
    if (!duplicates.first([day, item, line.team].join("\u0000"), where)) return;
    if (currency !== "usd") throw new RowRejected(`amount in ${currency || "no currency"}, not USD (mixed currencies)`);
    sink(line);
  });
}
