import * as caching from "@tokenledger/core/caching";
import { numberResult } from "./excel";

/**
 * Expected cache writes of a prefix when requests arrive at random (Poisson) and every hit refreshes the TTL: 1 + (requests − 1) × e^(−λ × ttl_minutes), λ = requests ÷ period_minutes. The first request writes; a later one writes only when the gap since the one before outlasts the TTL.
 * @customfunction CACHE_WRITES
 * @param requests Requests in the period (0 or more).
 * @param period_minutes Length of the period in minutes (a day is 1440).
 * @param ttl_minutes Cache time-to-live in minutes (5 for a 5-minute cache).
 * @returns Expected writes in the period (between 1 and requests, for 1 request or more).
 */
export function CACHE_WRITES(requests: number, period_minutes: number, ttl_minutes: number): number {
  return numberResult(caching.CACHE_WRITES, [requests, period_minutes, ttl_minutes]);
}

/**
 * USD for a cached prompt prefix over many requests: cache_writes at the write rate of the TTL, the other requests at the cache-read rate, plus storage where the provider bills it.
 * @customfunction CACHE_COST
 * @param model Catalogue id ("anthropic/claude-sonnet-4-6") or an unambiguous model name; needs cache prices.
 * @param prefix_tokens Tokens in the cached prefix.
 * @param requests Requests that use the prefix.
 * @param cache_writes How many of them write the cache (at most requests; see CACHE_WRITES).
 * @param [ttl] "5m" (default), "1h", "24h"…: up to 5 minutes the 5-minute write rate, longer the 1-hour rate where the model has one.
 * @param [hours_stored] Hours of cache storage to bill (Google bills storage; 0 elsewhere). Default 0.
 * @returns USD.
 */
export function CACHE_COST(
  model: string,
  prefix_tokens: number,
  requests: number,
  cache_writes: number,
  ttl?: string,
  hours_stored?: number,
): number {
  return numberResult(caching.CACHE_COST, [model, prefix_tokens, requests, cache_writes, ttl, hours_stored]);
}

/**
 * USD saved by caching a prompt prefix: the prefix at the input rate on every request, minus CACHE_COST.
 * @customfunction CACHE_SAVINGS
 * @param model Catalogue id or an unambiguous model name; needs cache prices.
 * @param prefix_tokens Tokens in the cached prefix.
 * @param requests Requests that use the prefix.
 * @param cache_writes How many of them write the cache (at most requests; see CACHE_WRITES).
 * @param [ttl] "5m" (default), "1h", "24h"…
 * @param [hours_stored] Hours of cache storage to bill (Google bills storage; 0 elsewhere). Default 0.
 * @returns USD (negative when caching costs more).
 */
export function CACHE_SAVINGS(
  model: string,
  prefix_tokens: number,
  requests: number,
  cache_writes: number,
  ttl?: string,
  hours_stored?: number,
): number {
  return numberResult(caching.CACHE_SAVINGS, [model, prefix_tokens, requests, cache_writes, ttl, hours_stored]);
}

/**
 * The fewest cache reads per write, whole, for which caching costs less than not caching, storage for one TTL included. #NUM! when it never does.
 * @customfunction CACHE_BREAKEVEN_READS
 * @param model Catalogue id or an unambiguous model name; needs cache prices.
 * @param [ttl] "5m" (default), "1h", "24h"…: picks the write rate and the hours of storage.
 * @returns Reads per write (a whole number).
 */
export function CACHE_BREAKEVEN_READS(model: string, ttl?: string): number {
  return numberResult(caching.CACHE_BREAKEVEN_READS, [model, ttl]);
}

/**
 * USD of cache storage: tokens × hours × the model's storage price per 1M tokens per hour ÷ 1,000,000 (0 for providers that do not bill storage).
 * @customfunction CACHE_STORAGE
 * @param model Catalogue id or an unambiguous model name.
 * @param tokens Tokens held in the cache.
 * @param hours Hours they are held.
 * @returns USD.
 */
export function CACHE_STORAGE(model: string, tokens: number, hours: number): number {
  return numberResult(caching.CACHE_STORAGE, [model, tokens, hours]);
}
