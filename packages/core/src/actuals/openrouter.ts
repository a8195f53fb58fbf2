import { Dec } from "../decimal";
import { type ActualLine, MONEY_SCALE, type Problems, emptyLine, plusQty, qtyOf } from "./line";
import { Duplicates, RowRejected, type Sink, attempt, count, dayOfText, label, money, object, pagesData, parseExport } from "./export-json";

/**
 * OpenRouter's activity (GET /api/v1/activity): one item per day × model × endpoint with `usage`
 * (USD of OpenRouter credits), `byok_usage_inference` (USD billed by the provider behind a
 * bring-your-own key), `requests`, `prompt_tokens`, `completion_tokens` and `reasoning_tokens`
 * (part of the completion). The activity says nothing of cache reads: every prompt token is
 * priced at the input rate.
 */
export function readOpenRouter(text: string, sink: Sink, problems: Problems): void {
  const duplicates = new Duplicates(problems);
  for (const { where, item } of pagesData("openrouter", parseExport("openrouter", text))) {
    attempt(problems, where, () => {
      const r = object(item, "the item");
      const completion = count(r, "completion_tokens", true);
      const reasoning = count(r, "reasoning_tokens");
      const visible = new Dec(completion).minus(reasoning);
      if (visible.isNeg()) throw new RowRejected("reasoning_tokens exceeds completion_tokens");
      const byok = r.byok_usage_inference == null ? 0 : money(r, "byok_usage_inference", MONEY_SCALE);
      const billed = plusQty(money(r, "usage", MONEY_SCALE), byok, MONEY_SCALE);
      const line: ActualLine = {
        ...emptyLine(),
        day: dayOfText(r.date, "date"),
        model: label(r, "model") || label(r, "model_permaslug"),
        requests: count(r, "requests", true),
        uncached: count(r, "prompt_tokens", true),
        output: qtyOf(visible),
        reasoning,
        billed,
      };
      const key = [line.day, line.model, label(r, "model_permaslug"), label(r, "endpoint_id"), label(r, "provider_name")];
      if (duplicates.first(key.join("\u0000"), where)) sink(line);
    });
  }
}
