import { CATALOG_INFO, HARDWARE, MODELS, PRICE } from "./catalogue";
import { BLENDEDCOST, FORECAST, LLMCOST, MONTHLYCOST, TOKENCOST } from "./pricing";
import type { SheetFunction } from "./sheet";

/**
 * Every worksheet function by name: what llmcalc registers with its formula engine, what the
 * metadata test checks against the contract, and what GRID, SOLVE and TORNADO call by name.
 */
export const FUNCTIONS: Readonly<Record<string, SheetFunction>> = Object.fromEntries(
  [PRICE, MODELS, HARDWARE, CATALOG_INFO, LLMCOST, TOKENCOST, MONTHLYCOST, BLENDEDCOST, FORECAST].map((f) => [f.name, f]),
);

export function functionNamed(name: string): SheetFunction | undefined {
  return FUNCTIONS[name.trim().toUpperCase().replace(/^TL\./, "")];
}
