import * as catalogue from "@tokenledger/core/catalogue";
import { numberResult, spillResult } from "./excel";

/**
 * Price of one component of a model, in USD per 1M tokens.
 * @customfunction PRICE
 * @param model Catalogue id ("anthropic/claude-sonnet-4-6") or an unambiguous model name.
 * @param [component] input (default), output, cache_read, cache_write, cache_write_1h, reasoning, batch_input, batch_output, offpeak_input, offpeak_output or cache_storage_hour (USD per 1M tokens per hour).
 * @param [prompt_tokens] Prompt size in tokens; picks the long-context tier. Default 0.
 * @param [as_of] Date the price applied (an Excel date or "YYYY-MM-DD"). Default: today.
 * @returns USD per 1M tokens.
 */
export function PRICE(model: string, component?: string, prompt_tokens?: number, as_of?: any): number {
  return numberResult(catalogue.PRICE, [model, component, prompt_tokens, as_of]);
}

/**
 * Spills the catalogue's models with their prices (USD per 1M tokens), header row first.
 * @customfunction MODELS
 * @param [search] Text to find in the id, name or aliases. Default: every model.
 * @param [provider] Only this provider ("openai", "anthropic", …). Default: all.
 * @returns id, provider, name, input, output, cache_read, cache_write, cache_write_1h, context_window, as_of.
 */
export function MODELS(search?: string, provider?: string): any[][] {
  return spillResult(catalogue.MODELS, [search, provider]);
}

/**
 * Spills the catalogue's GPU nodes, header row first. Bandwidth in TB/s and TFLOPS per GPU; power, capex and rental per node.
 * @customfunction HARDWARE
 * @param [search] Text to find in the id or name. Default: every node.
 * @returns id, gpus, hbm_gb, bandwidth_tbs, bf16_tflops, fp8_tflops, kw, capex, rental_per_hour, measured_tokens_per_second, measured_by.
 */
export function HARDWARE(search?: string): any[][] {
  return spillResult(catalogue.HARDWARE, [search]);
}

/**
 * Spills the active catalogue's source, as-of date, version, model count and whether this workbook pins its own copy.
 * @customfunction CATALOG_INFO
 * @returns Label/value rows.
 */
export function CATALOG_INFO(): any[][] {
  return spillResult(catalogue.CATALOG_INFO, []);
}
