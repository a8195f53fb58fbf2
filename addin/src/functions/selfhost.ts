import * as selfhost from "@tokenledger/core/selfhost";
import { numberResult, spillResult } from "./excel";

/**
 * USD total cost of owning a GPU node for `years`: capex (straight line, less residual), power, colo, maintenance and ops; a present value when assumptions give a discount_rate.
 * @customfunction GPU_TCO
 * @param hardware_or_capex Catalogue id ("8xh100-sxm"), whose capex and kW are the defaults, or the node's capex in USD.
 * @param years Years of ownership, a whole number ≥ 1.
 * @param [kw] Node power in kW. Default: the catalogue's; required with a capex number.
 * @param [power_price_kwh] USD per kWh. Default 0.10.
 * @param [pue] Power usage effectiveness (cooling overhead), ≥ 1. Default 1.4.
 * @param [colo_per_kw_month] USD per provisioned kW per month. Default 0.
 * @param [maintenance_per_year] USD a year. Default 0.
 * @param [ops_per_year] USD a year (staff allocated to the node). Default 0.
 * @param [annual_escalation] Yearly growth of the running lines (0.05 = 5%). Default 0.
 * @param [assumptions] Two-column range of name/value rows overriding any argument, plus residual (USD, default 0), load_factor (default 1) and discount_rate (annual).
 * @returns USD.
 */
export function GPU_TCO(
  hardware_or_capex: any,
  years: number,
  kw?: number,
  power_price_kwh?: number,
  pue?: number,
  colo_per_kw_month?: number,
  maintenance_per_year?: number,
  ops_per_year?: number,
  annual_escalation?: number,
  assumptions?: any[][],
): number {
  return numberResult(selfhost.GPU_TCO, [
    hardware_or_capex,
    years,
    kw,
    power_price_kwh,
    pue,
    colo_per_kw_month,
    maintenance_per_year,
    ops_per_year,
    annual_escalation,
    assumptions,
  ]);
}

/**
 * Spills the TCO by line and year: header (line, year 1 … year N, total), rows capex, power, colo, maintenance, ops, total. With a discount_rate every cell is a present value and the capex row is the equivalent annual cost of capex less the discounted residual, each year discounted; it sums to that present value.
 * @customfunction GPU_TCO_LINES
 * @param hardware_or_capex Catalogue id ("8xh100-sxm"), whose capex and kW are the defaults, or the node's capex in USD.
 * @param years Years of ownership, a whole number ≥ 1.
 * @param [kw] Node power in kW. Default: the catalogue's; required with a capex number.
 * @param [power_price_kwh] USD per kWh. Default 0.10.
 * @param [pue] Power usage effectiveness (cooling overhead), ≥ 1. Default 1.4.
 * @param [colo_per_kw_month] USD per provisioned kW per month. Default 0.
 * @param [maintenance_per_year] USD a year. Default 0.
 * @param [ops_per_year] USD a year (staff allocated to the node). Default 0.
 * @param [annual_escalation] Yearly growth of the running lines (0.05 = 5%). Default 0.
 * @param [assumptions] Two-column range of name/value rows overriding any argument, plus residual (USD, default 0), load_factor (default 1) and discount_rate (annual).
 * @returns USD by line and year.
 */
export function GPU_TCO_LINES(
  hardware_or_capex: any,
  years: number,
  kw?: number,
  power_price_kwh?: number,
  pue?: number,
  colo_per_kw_month?: number,
  maintenance_per_year?: number,
  ops_per_year?: number,
  annual_escalation?: number,
  assumptions?: any[][],
): any[][] {
  return spillResult(selfhost.GPU_TCO_LINES, [
    hardware_or_capex,
    years,
    kw,
    power_price_kwh,
    pue,
    colo_per_kw_month,
    maintenance_per_year,
    ops_per_year,
    annual_escalation,
    assumptions,
  ]);
}

/**
 * All-in USD of one node-hour: GPU_TCO ÷ (years × 8,760).
 * @customfunction GPU_HOURLY
 * @param hardware_or_capex Catalogue id ("8xh100-sxm"), whose capex and kW are the defaults, or the node's capex in USD.
 * @param years Years of ownership, a whole number ≥ 1.
 * @param [kw] Node power in kW. Default: the catalogue's; required with a capex number.
 * @param [power_price_kwh] USD per kWh. Default 0.10.
 * @param [pue] Power usage effectiveness (cooling overhead), ≥ 1. Default 1.4.
 * @param [colo_per_kw_month] USD per provisioned kW per month. Default 0.
 * @param [maintenance_per_year] USD a year. Default 0.
 * @param [ops_per_year] USD a year (staff allocated to the node). Default 0.
 * @param [annual_escalation] Yearly growth of the running lines (0.05 = 5%). Default 0.
 * @param [assumptions] Two-column range of name/value rows overriding any argument, plus residual (USD, default 0), load_factor (default 1) and discount_rate (annual).
 * @returns USD per node-hour.
 */
export function GPU_HOURLY(
  hardware_or_capex: any,
  years: number,
  kw?: number,
  power_price_kwh?: number,
  pue?: number,
  colo_per_kw_month?: number,
  maintenance_per_year?: number,
  ops_per_year?: number,
  annual_escalation?: number,
  assumptions?: any[][],
): number {
  return numberResult(selfhost.GPU_HOURLY, [
    hardware_or_capex,
    years,
    kw,
    power_price_kwh,
    pue,
    colo_per_kw_month,
    maintenance_per_year,
    ops_per_year,
    annual_escalation,
    assumptions,
  ]);
}

/**
 * USD of renting a node for `years`, paying only for `utilisation` of the 8,760 hours a year.
 * @customfunction RENT_COST
 * @param hardware_or_hourly Catalogue id ("8xh100-sxm") for its rental rate, or USD per node-hour.
 * @param years Years of rental (fractions allowed).
 * @param [utilisation] Fraction of the hours paid for, 0 to 1. Default 1.
 * @returns USD.
 */
export function RENT_COST(hardware_or_hourly: any, years: number, utilisation?: number): number {
  return numberResult(selfhost.RENT_COST, [hardware_or_hourly, years, utilisation]);
}

/**
 * USD per 1M tokens on your own or rented hardware: hourly_cost ÷ (tokens_per_second × 3,600 × utilisation) × 1,000,000.
 * @customfunction SELFHOST_COSTPERM
 * @param hourly_cost USD per node-hour (GPU_HOURLY, or a rental rate).
 * @param tokens_per_second Measured node throughput in tokens per second.
 * @param [utilisation] Fraction of hours the node is busy, above 0 and at most 1. Default 1.
 * @returns USD per 1M tokens.
 */
export function SELFHOST_COSTPERM(hourly_cost: number, tokens_per_second: number, utilisation?: number): number {
  return numberResult(selfhost.SELFHOST_COSTPERM, [hourly_cost, tokens_per_second, utilisation]);
}

/**
 * Tokens a year at which API spend equals the self-hosting cost: annual cost ÷ API price per 1M tokens × 1,000,000.
 * @customfunction SELFHOST_BREAKEVEN
 * @param annual_selfhost_cost USD a year of self-hosting.
 * @param api_price_or_model USD per 1M tokens, or a model id whose input and output prices are blended.
 * @param [output_share] Share of tokens that are output, for a model's blend: (1 − share) × input + share × output. Default 0.3.
 * @returns Tokens per year.
 */
export function SELFHOST_BREAKEVEN(annual_selfhost_cost: number, api_price_or_model: any, output_share?: number): number {
  return numberResult(selfhost.SELFHOST_BREAKEVEN, [annual_selfhost_cost, api_price_or_model, output_share]);
}

/**
 * Units (GPUs or nodes) needed for a peak, whole: ceiling(peak × (1 + headroom) ÷ per-unit throughput).
 * @customfunction GPUS_NEEDED
 * @param peak_tokens_per_second Peak load in tokens per second.
 * @param tokens_per_second_per_unit Measured throughput of one unit in tokens per second.
 * @param [headroom] Spare capacity over the peak (0.3 = 30%). Default 0.3.
 * @returns Units, a whole number.
 */
export function GPUS_NEEDED(peak_tokens_per_second: number, tokens_per_second_per_unit: number, headroom?: number): number {
  return numberResult(selfhost.GPUS_NEEDED, [peak_tokens_per_second, tokens_per_second_per_unit, headroom]);
}

/**
 * Bytes of KV cache: 2 × layers × kv_heads × head_dim × bytes_per_element × tokens.
 * @customfunction KVCACHE_BYTES
 * @param layers Transformer layers.
 * @param kv_heads Key/value heads (fewer than query heads with GQA).
 * @param head_dim Dimension of one head.
 * @param tokens Tokens held (context × concurrent sequences).
 * @param [bytes_per_element] 2 for FP16/BF16 (default), 1 for FP8/INT8.
 * @returns Bytes.
 */
export function KVCACHE_BYTES(layers: number, kv_heads: number, head_dim: number, tokens: number, bytes_per_element?: number): number {
  return numberResult(selfhost.KVCACHE_BYTES, [layers, kv_heads, head_dim, tokens, bytes_per_element]);
}

/**
 * Roofline upper bound on a node's decode throughput, tokens per second over the batch. Compute money from measured throughput (HARDWARE's measured columns, or your own), not from this.
 * @customfunction DECODE_TPS
 * @param hardware Catalogue id ("8xh100-sxm"): bandwidth and TFLOPS come from it.
 * @param params_billion Model parameters in billions.
 * @param [bytes_per_param] 2 for BF16 (default), 1 for FP8 (uses the FP8 tensor cores where the hardware has them).
 * @param [batch] Sequences decoded together, a whole number. Default 1.
 * @param [context_tokens] Tokens of context each sequence reads from its KV cache every step. Default 0.
 * @param [kv_bytes_per_token] KV cache bytes per token (KVCACHE_BYTES with tokens = 1). Default 0.
 * @param [efficiency] Fraction of peak bandwidth and FLOPS achieved, above 0 and at most 1. Default 0.6.
 * @returns Tokens per second, an upper bound.
 */
export function DECODE_TPS(
  hardware: string,
  params_billion: number,
  bytes_per_param?: number,
  batch?: number,
  context_tokens?: number,
  kv_bytes_per_token?: number,
  efficiency?: number,
): number {
  return numberResult(selfhost.DECODE_TPS, [
    hardware,
    params_billion,
    bytes_per_param,
    batch,
    context_tokens,
    kv_bytes_per_token,
    efficiency,
  ]);
}
