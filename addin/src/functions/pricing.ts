import * as pricing from "@tokenledger/core/pricing";
import { numberResult, spillResult } from "./excel";

/**
 * USD for one request at catalogue prices.
 * @customfunction LLMCOST
 * @param model Catalogue id ("anthropic/claude-sonnet-4-6") or an unambiguous model name.
 * @param input_tokens The whole prompt in tokens, cached and cache-written tokens included.
 * @param output_tokens Visible output tokens.
 * @param [cached_tokens] Prompt tokens read from cache, billed at the cache-read rate. Default 0.
 * @param [cache_write_tokens] Prompt tokens written to cache, billed at the cache-write rate. Default 0.
 * @param [reasoning_tokens] Thinking tokens on top of the visible output, billed at the reasoning rate. Default 0.
 * @param [mode] "standard" (default), "batch", "offpeak", "cache1h" (1-hour cache writes), combined with commas or spaces.
 * @returns USD.
 */
export function LLMCOST(
  model: string,
  input_tokens: number,
  output_tokens: number,
  cached_tokens?: number,
  cache_write_tokens?: number,
  reasoning_tokens?: number,
  mode?: string,
): number {
  return numberResult(pricing.LLMCOST, [model, input_tokens, output_tokens, cached_tokens, cache_write_tokens, reasoning_tokens, mode]);
}

/**
 * USD for one request at prices you give, no catalogue.
 * @customfunction TOKENCOST
 * @param input_tokens The whole prompt in tokens, cached tokens included.
 * @param output_tokens Output tokens.
 * @param input_price USD per 1M input tokens.
 * @param output_price USD per 1M output tokens.
 * @param [cached_tokens] Prompt tokens read from cache. Default 0.
 * @param [cache_read_price] USD per 1M cached tokens; required when cached_tokens > 0.
 * @returns USD.
 */
export function TOKENCOST(
  input_tokens: number,
  output_tokens: number,
  input_price: number,
  output_price: number,
  cached_tokens?: number,
  cache_read_price?: number,
): number {
  return numberResult(pricing.TOKENCOST, [input_tokens, output_tokens, input_price, output_price, cached_tokens, cache_read_price]);
}

/**
 * USD per month: requests × cost per request × (1 + retry_rate). Cache writes are not counted (see CACHE_COST).
 * @customfunction MONTHLYCOST
 * @param model Catalogue id or an unambiguous model name.
 * @param requests_per_month Requests a month.
 * @param input_tokens Prompt tokens per request.
 * @param output_tokens Output tokens per request.
 * @param [cache_hit_rate] Fraction of input tokens read from cache (0.3 = 30%). Default 0.
 * @param [retry_rate] Extra requests from retries, as a fraction of requests. Default 0.
 * @param [mode] "standard" (default), "batch", "offpeak", "cache1h".
 * @returns USD per month.
 */
export function MONTHLYCOST(
  model: string,
  requests_per_month: number,
  input_tokens: number,
  output_tokens: number,
  cache_hit_rate?: number,
  retry_rate?: number,
  mode?: string,
): number {
  return numberResult(pricing.MONTHLYCOST, [model, requests_per_month, input_tokens, output_tokens, cache_hit_rate, retry_rate, mode]);
}

/**
 * USD per request of traffic routed across several models.
 * @customfunction BLENDEDCOST
 * @param models Range of model ids.
 * @param shares Range of the same size: each model's share of requests, summing to 1.
 * @param input_tokens Prompt tokens per request.
 * @param output_tokens Output tokens per request.
 * @returns USD per request.
 */
export function BLENDEDCOST(models: string[][], shares: number[][], input_tokens: number, output_tokens: number): number {
  return numberResult(pricing.BLENDEDCOST, [models, shares, input_tokens, output_tokens]);
}

/**
 * Spills a column of monthly costs: monthly_cost × (1 + monthly_growth)^m × (1 + annual_price_change)^(m/12), m = 0 … months − 1.
 * @customfunction FORECAST
 * @param monthly_cost USD in the first month.
 * @param months How many months (a whole number ≥ 1).
 * @param [monthly_growth] Usage growth per month (0.05 = 5%). Default 0.
 * @param [annual_price_change] Price change per year (−0.3 = prices fall 30% a year). Default 0.
 * @returns USD per month, one row per month.
 */
export function FORECAST(monthly_cost: number, months: number, monthly_growth?: number, annual_price_change?: number): any[][] {
  return spillResult(pricing.FORECAST, [monthly_cost, months, monthly_growth, annual_price_change]);
}
