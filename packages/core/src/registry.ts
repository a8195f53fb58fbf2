import { CATALOG_INFO, HARDWARE, MODELS, PRICE } from "./catalogue";
import { ALLOCATE, BUDGET_STATUS, FINETUNE_BREAKEVEN, FREE_TIER_COST, RETRY_FACTOR, SPEND_ALERT } from "./finops";
import { BLENDEDCOST, FORECAST, LLMCOST, MONTHLYCOST, TOKENCOST } from "./pricing";
import {
  DECODE_TPS,
  GPUS_NEEDED,
  GPU_HOURLY,
  GPU_TCO,
  GPU_TCO_LINES,
  KVCACHE_BYTES,
  RENT_COST,
  SELFHOST_BREAKEVEN,
  SELFHOST_COSTPERM,
} from "./selfhost";
import { CACHE_BREAKEVEN_READS, CACHE_COST, CACHE_SAVINGS, CACHE_STORAGE, CACHE_WRITES } from "./caching";
import { IMAGE_TOKENS } from "./images";
import { BUDGETCOST, REASONINGCOST, THINKING_TOKENS } from "./reasoning";
import type { SheetFunction } from "./sheet";

/**
 * The worksheet functions that compute from their arguments alone: what GRID, SOLVE and TORNADO
 * evaluate by name. The what-if functions themselves join them in functions.ts, which keeps this
 * module free of an import cycle with whatif.ts.
 */
export const TARGETS: Readonly<Record<string, SheetFunction>> = Object.fromEntries(
  [
    PRICE,
    MODELS,
    HARDWARE,
    CATALOG_INFO,
    LLMCOST,
    TOKENCOST,
    MONTHLYCOST,
    BLENDEDCOST,
    FORECAST,
    RETRY_FACTOR,
    FREE_TIER_COST,
    FINETUNE_BREAKEVEN,
    ALLOCATE,
    SPEND_ALERT,
    BUDGET_STATUS,
    GPU_TCO,
    GPU_TCO_LINES,
    GPU_HOURLY,
    RENT_COST,
    SELFHOST_COSTPERM,
    SELFHOST_BREAKEVEN,
    GPUS_NEEDED,
    KVCACHE_BYTES,
    DECODE_TPS,
    THINKING_TOKENS,
    REASONINGCOST,
    BUDGETCOST,
    CACHE_WRITES,
    CACHE_COST,
    CACHE_SAVINGS,
    CACHE_BREAKEVEN_READS,
    CACHE_STORAGE,
    IMAGE_TOKENS,
  ].map((f) => [f.name, f]),
);

/** A function's name as a user may write it: any case, with or without the `TL.` prefix. */
export function canonicalName(name: string): string {
  return name.trim().toUpperCase().replace(/^TL\./, "");
}
