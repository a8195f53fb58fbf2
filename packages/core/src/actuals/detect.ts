import { valueError } from "../errors";

export const FORMATS = ["openai-usage", "openai-costs", "anthropic-usage", "anthropic-cost", "openrouter", "csv"] as const;
export type Format = (typeof FORMATS)[number];

/**
 * Which export a text is, from what only that export writes: OpenAI's result objects name
 * themselves, Anthropic's usage splits uncached input, its cost report has amounts under
 * `starting_at` buckets, OpenRouter's activity has daily items with prompt tokens. Anything that
 * is not JSON is read as CSV.
 */
export function detectFormat(text: string): Format {
  const start = text.slice(0, 1000).trimStart()[0];
  if (start !== "{" && start !== "[") return "csv";
  if (text.includes('"organization.usage.completions.result"')) return "openai-usage";
  if (text.includes('"organization.costs.result"')) return "openai-costs";
  if (text.includes('"uncached_input_tokens"')) return "anthropic-usage";
  if (text.includes('"starting_at"') && text.includes('"amount"')) return "anthropic-cost";
  if (text.includes('"prompt_tokens"') && text.includes('"date"')) return "openrouter";
  throw valueError(
    "format",
    "this JSON is none of the exports read (OpenAI usage or costs, Anthropic usage or cost report, OpenRouter activity); name its format",
  );
}
