import { TARGETS, canonicalName } from "./registry";
import type { SheetFunction } from "./sheet";
import { GRID, SOLVE, TORNADO } from "./whatif";

/**
 * Every worksheet function by name: what llmcalc registers with its formula engine, what the
 * metadata and fuzz tests check, and what the add-in's wrappers stand for.
 */
export const FUNCTIONS: Readonly<Record<string, SheetFunction>> = {
  ...TARGETS,
  ...Object.fromEntries([GRID, SOLVE, TORNADO].map((f) => [f.name, f])),
};

export function functionNamed(name: string): SheetFunction | undefined {
  return FUNCTIONS[canonicalName(name)];
}
