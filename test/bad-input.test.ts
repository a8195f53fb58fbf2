import { beforeAll, describe, expect, it } from "vitest";
import { type Wrapper, loadWrappers } from "./wrappers";

/**
 * One row per class of bad input, through the add-in's wrappers: the exact Excel error and the
 * message that names the argument and the rule (functions.md, "Conventions"). Nothing throws
 * past a wrapper but a CustomFunctions.Error.
 */
const CASES: [fn: string, args: unknown[], code: string, message: string][] = [
  ["LLMCOST", ["gpt-4o", "abc", 1], "#VALUE!", 'input_tokens: must be a number, got text "abc"'],
  ["LLMCOST", ["gpt-4o", -1, 1], "#VALUE!", "input_tokens: must be ≥ 0"],
  [
    "LLMCOST",
    ["claude-sonet-4-6", 1500, 300],
    "#N/A",
    'unknown model "claude-sonet-4-6": did you mean anthropic/claude-sonnet-4-6, anthropic/claude-opus-4-7 or anthropic/claude-haiku-4-5?',
  ],
  [
    "LLMCOST",
    ["llama-3.3-70b", 1, 1],
    "#N/A",
    'model "llama-3.3-70b" is ambiguous: together/llama-3.3-70b, fireworks/llama-3.3-70b, deepinfra/llama-3.3-70b, bedrock/llama-3.3-70b or groq/llama-3.3-70b?',
  ],
  [
    "LLMCOST",
    ["gpt-4o", 1, 1, 0, 0, 0, "turbo"],
    "#VALUE!",
    'mode: unknown flag "turbo" (use standard, batch, flex, priority, offpeak, cache1h or residency)',
  ],
  ["LLMCOST", ["mistral/mistral-large-2", 100, 1, 10], "#VALUE!", "cached_tokens: mistral/mistral-large-2 has no cache_read price"],
  ["LLMCOST", ["gpt-4o", 100, 1, 80, 30], "#VALUE!", "cached_tokens: cached_tokens + cache_write_tokens must not exceed input_tokens"],
  ["LLMCOST", ["gpt-4o", null, 1], "#VALUE!", "input_tokens: is required"],
  ["LLMCOST", ["gpt-4o", NaN, 1], "#VALUE!", "input_tokens: must be a finite number"],
  ["LLMCOST", ["gpt-4o", Infinity, 1], "#VALUE!", "input_tokens: must be a finite number"],
  ["LLMCOST", ["gpt-4o", true, 1], "#VALUE!", "input_tokens: must be a number, got TRUE"],
  ["LLMCOST", ["gpt-4o", [[1, 2]], 1], "#VALUE!", "input_tokens: expects a single value, not a range"],
  ["LLMCOST", ["mistral/codestral", 1, 1, 0, 0, 0, "batch"], "#VALUE!", "mode: mistral/codestral has no batch variant"],
  [
    "LLMCOST",
    ["deepseek/deepseek-v3", 1, 1, 0, 0, 0, "batch,offpeak"],
    "#VALUE!",
    "mode: batch and offpeak together are not priced for deepseek/deepseek-v3",
  ],
  ["LLMCOST", ["", 1, 1], "#VALUE!", "model: is required"],
  ["LLMCOST", [42, 1, 1], "#VALUE!", "model: must be text, got number"],
  [
    "PRICE",
    ["gpt-4o", "cache_reads"],
    "#VALUE!",
    'component: unknown component "cache_reads" (use input, output, cache_read, cache_write, cache_write_1h, reasoning, cache_storage_hour, audio_input, audio_output, image_input, image_output, request, web_search, image, audio_minute, character, page, batch_input, batch_output, offpeak_input, offpeak_output, flex_input, flex_output, priority_input, priority_output, residency)',
  ],
  ["PRICE", ["whisper-1", "input"], "#VALUE!", "component: openai/whisper-1 has no input price"],
  ["PRICE", ["gpt-4o", "flex_output"], "#VALUE!", "component: openai/gpt-4o has no flex variant"],
  ["LLMCOST", ["o3", 1, 1, 0, 0, 0, "batch priority"], "#VALUE!", "mode: batch and priority exclude one another"],
  ["USAGECOST", ["gpt-4o", [["input", "input"]], [[1, 2]]], "#VALUE!", "meters: input is named twice"],
  ["USAGECOST", ["gpt-4o", [["image"]], [[1]]], "#VALUE!", "meters: openai/gpt-4o has no image price"],
  ["USAGECOST", ["gpt-4o", [["input", "output"]], [[1]]], "#VALUE!", "quantities: must be as many as meters (2 meters, 1 quantities)"],
  ["USAGECOST", ["gpt-4o", [["input"]], [["lots"]]], "#VALUE!", 'quantities: must be a number, got text "lots"'],
  ["USAGECOST", ["gpt-4o", [[3]], [[1]]], "#VALUE!", "meters: must be text, got number"],
  ["PRICE", ["gpt-4o", "input", 0, "yesterday"], "#VALUE!", "as_of: must be a date (an Excel date or text YYYY-MM-DD)"],
  ["PRICE", ["mistral/codestral", "cache_write"], "#VALUE!", "component: mistral/codestral has no cache_write price"],
  ["TOKENCOST", [1000, 100, 3, 15, 500], "#VALUE!", "cache_read_price: is required when cached_tokens > 0"],
  ["MONTHLYCOST", ["gpt-4o", 1000, 100, 10, 1.5], "#VALUE!", "cache_hit_rate: must be ≤ 1"],
  ["BLENDEDCOST", [[["gpt-4o"], ["gpt-4o-mini"]], [[0.7], [0.2]], 100, 10], "#VALUE!", "shares: must sum to 1"],
  ["BLENDEDCOST", [[["gpt-4o"], ["gpt-4o-mini"]], [[1]], 100, 10], "#VALUE!", "shares: must be as many as models (2 models, 1 shares)"],
  ["FORECAST", [100, 0], "#VALUE!", "months: must be ≥ 1"],
  ["FORECAST", [100, 2.5], "#VALUE!", "months: must be a whole number"],
  ["FORECAST", [100, 2000000], "#VALUE!", "months: must be ≤ 1048576"],
  ["THINKING_TOKENS", ["gpt-4o", "high"], "#VALUE!", "model: openai/gpt-4o has no reasoning-effort defaults in the catalogue"],
  ["THINKING_TOKENS", ["openai/o3", "extreme"], "#VALUE!", 'effort: must be low, medium or high, got "extreme"'],
  [
    "CACHE_COST",
    ["anthropic/claude-sonnet-4-6", 50000, 100, 10, "5 weeks"],
    "#VALUE!",
    'ttl: must be a duration such as 5m, 1h or 24h, got "5 weeks"',
  ],
  ["CACHE_COST", ["mistral/codestral", 50000, 100, 10], "#VALUE!", "model: mistral/codestral has no cache_read price"],
  ["CACHE_COST", ["anthropic/claude-sonnet-4-6", 50000, 10, 100], "#VALUE!", "cache_writes: must not exceed requests"],
  ["CACHE_WRITES", [100, 0, 5], "#VALUE!", "period_minutes: must be > 0"],
  ["IMAGE_TOKENS", ["openai", 1024, 1024, "medium"], "#VALUE!", 'detail: must be high or low, got "medium"'],
  [
    "IMAGE_TOKENS",
    ["cohere", 1024, 1024],
    "#VALUE!",
    "provider_or_model: no published image-token rule for cohere (providers with one: openai, anthropic, google; or give a model id)",
  ],
  ["GPU_TCO", ["8xh100", 3], "#N/A", 'hardware_or_capex: unknown hardware "8xh100": did you mean 8xh100-sxm, 1xgh200 or 8xl40s?'],
  ["GPU_TCO", [250000, 3], "#VALUE!", "kw: is required when hardware_or_capex is a capex number"],
  [
    "GPU_TCO",
    [
      "8xh100-sxm",
      3,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      [
        ["pue", 1.2],
        ["warp", 9],
      ],
    ],
    "#VALUE!",
    'assumptions: unknown name "warp" (use hardware_or_capex, years, kw, power_price_kwh, pue, colo_per_kw_month, maintenance_per_year, ops_per_year, annual_escalation, residual, load_factor, discount_rate)',
  ],
  ["SELFHOST_COSTPERM", [20, 0], "#NUM!", "tokens_per_second: zero throughput has no cost per token"],
  [
    "SELFHOST_BREAKEVEN",
    [100000, 0],
    "#NUM!",
    "api_price_or_model: at a price of 0 the API always costs less, so self-hosting never breaks even",
  ],
  ["GPUS_NEEDED", [1000, 0], "#NUM!", "tokens_per_second_per_unit: zero throughput cannot serve any peak"],
  [
    "FINETUNE_BREAKEVEN",
    [5000, 0.01, 0.02],
    "#NUM!",
    "cost_per_call_after: must be below cost_per_call_before, or the fine-tune never pays for itself",
  ],
  ["FREE_TIER_COST", [0, 0.35], "#VALUE!", "conversion_rate: must be > 0"],
  ["RETRY_FACTOR", [1.5, 3], "#VALUE!", "failure_rate: must be ≤ 1"],
  ["ALLOCATE", [1000, [[1], [2]], [[1], [2], [3]]], "#VALUE!", "peak_use: must be as long as token_use (2 cells, 3 in peak_use)"],
  ["ALLOCATE", [1000, [[0], [0]], [[1], [2]]], "#VALUE!", "token_use: must not sum to 0"],
  ["SPEND_ALERT", [[[1], [-2], [3]]], "#VALUE!", "daily_spend, cell 2: must be ≥ 0"],
  ["BUDGET_STATUS", [100, 0], "#VALUE!", "budget: must be > 0"],
  ["FX", ["EURO"], "#VALUE!", 'currency: must be an ISO 4217 code of three letters ("EUR"), got "EURO"'],
  ["FX", [978], "#VALUE!", "currency: must be text, got number"],
  ["FX", [null], "#VALUE!", "currency: is required"],
  ["FX", ["EUR", "last week"], "#VALUE!", "as_of: must be a date (an Excel date or text YYYY-MM-DD)"],
  // The reference fixture carries no rates.
  ["FX", ["EUR"], "#N/A", "currency: no rate for EUR; the catalogue holds no exchange rates (refresh them from the ECB)"],
  ["GRID", ["LLMCOTS", [["gpt-4o", 1, 1]], 2, [[1], [2]]], "#VALUE!", 'function: unknown TL function "LLMCOTS": did you mean LLMCOST?'],
  [
    "SOLVE",
    ["LLMCOST", [["gpt-4o", 1000, 100]], 2, -5],
    "#NUM!",
    "target: LLMCOST goes from 0.001 to 2500000000 as input_tokens goes from 0 to 1000000000000000, never reaching -5",
  ],
  ["TORNADO", ["LLMCOST", [["gpt-4o", 1000, 100]], 2], "#VALUE!", "swing: must be ≤ 1"],
  ["DECODE_TPS", ["8xh100-sxm", 70, 2, 1, 0, 0, 0], "#VALUE!", "efficiency: must be > 0"],
  ["RENT_COST", ["8xh100-sxm", 1, 1.2], "#VALUE!", "utilisation: must be ≤ 1"],
  ["RENT_COST", ["8xh100-sxm", 2.5, 1, -0.2], "#VALUE!", "years: must be a whole number with an annual_price_change or a discount_rate"],
  ["RENT_COST", ["8xh100-sxm", 3, 1, 0, -1], "#VALUE!", "discount_rate: must be > -1"],
  [
    "CONVERSATION_COST",
    ["mistral/codestral", 3, 1000, 200, 0, true],
    "#VALUE!",
    "cache_history: mistral/codestral has no cache_read price",
  ],
  ["CONVERSATION_COST", ["gpt-4o", 0, 1000, 200], "#VALUE!", "turns: must be ≥ 1"],
  ["CONVERSATION_COST", ["gpt-4o", 3, 1000, 200, 0, "yes"], "#VALUE!", 'cache_history: must be TRUE or FALSE, got text "yes"'],
  [
    "ROUTECOST",
    [[["claude-sonnet-4-6"], ["gpt-4o"]], [[0.5], [0.5]], 500, 800, [["high"], ["high"]]],
    "#VALUE!",
    "thinking: openai/gpt-4o has no reasoning-effort defaults in the catalogue; give a number of thinking tokens",
  ],
  ["ROUTECOST", [[["gpt-4o"]], [[1]], 500, 800, [["low"], ["low"]]], "#VALUE!", "thinking: must be as many as models (1 models, 2 cells)"],
  [
    "MEDIA_TOKENS",
    ["claude-sonet-4-6", "video", 10],
    "#N/A",
    'unknown model "claude-sonet-4-6": did you mean anthropic/claude-sonnet-4-6, anthropic/claude-opus-4-7 or anthropic/claude-haiku-4-5?',
  ],
  [
    "MEDIA_TOKENS",
    ["openai", "audio", 10],
    "#VALUE!",
    "provider_or_model: no published audio-token rule for openai (providers with one: google)",
  ],
  ["MEDIA_TOKENS", ["google", "image", 10], "#VALUE!", 'kind: must be video or audio, got "image"'],
  ["CAPACITY_PLAN", [[[100], [200]], 0], "#VALUE!", "unit_tokens_per_second: must be > 0"],
  ["CAPACITY_PLAN", [[[100], [null], [200]], 50], "#VALUE!", "demand: cell 2 is blank (enter 0 if that is the value)"],
  ["HYBRID_COST", [[[100]], -1, 150, 2, 1], "#VALUE!", "units_owned: must be ≥ 0"],
  ["COMMITTED_COST", [1000, [[10, 0]]], "#VALUE!", "tiers: the first threshold must be 0"],
  [
    "COMMITTED_COST",
    [
      1000,
      [
        [0, 0],
        [0, 0.1],
      ],
    ],
    "#VALUE!",
    "tiers: thresholds must ascend strictly (for example 0, 50000, 200000)",
  ],
  ["QUALITY_BREAKEVEN", [0.01, 0.9, 0.02, 0.9], "#NUM!", "success_b: equal success rates never trade cost against failures"],
  [
    "QUALITY_BREAKEVEN",
    [0.001, 0.95, 0.01, 0.7],
    "#NUM!",
    "cost_b: one option is both cheaper and more reliable, so no failure cost evens them",
  ],
  ["BUDGET_STATUS", [100, 1000, [[0.8, 1.2, 1]]], "#VALUE!", "thresholds: must increase (for example 0.5, 0.8, 1)"],
];

let wrappers = new Map<string, Wrapper>();
beforeAll(async () => {
  wrappers = await loadWrappers();
});

describe("bad input answers the contract's error with a message", () => {
  it("covers at least 25 classes", () => expect(CASES.length).toBeGreaterThanOrEqual(25));

  it.each(CASES)("%s(%j) → %s", (fn, args, code, message) => {
    let thrown: unknown;
    try {
      wrappers.get(fn)!(...args);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toMatchObject({ code, message });
  });

  it("turns a result beyond the double range into #NUM!, never Infinity", () => {
    // 2 × 1e300⁴ bytes = 2e1200: exact in decimals, but no spreadsheet number holds it.
    expect(() => wrappers.get("KVCACHE_BYTES")!(1e300, 1e300, 1e300, 1e300)).toThrow(
      expect.objectContaining({ code: "#NUM!", message: "the result is too large for a spreadsheet number" }),
    );
  });
});
