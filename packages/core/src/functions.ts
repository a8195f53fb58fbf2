import { type Domain, TARGET_DOMAINS, TARGETS, canonicalName, domain } from "./registry";
import type { SheetFunction } from "./sheet";
import * as whatif from "./whatif";

/**
 * Every worksheet function, by domain and by name: what the add-in's generated wrappers,
 * functions.json, llmcalc's formula engine and the README's reference are derived from.
 */
export const DOMAINS: readonly Domain[] = [...TARGET_DOMAINS.slice(0, -1), domain("whatif", whatif), ...TARGET_DOMAINS.slice(-1)];

export const FUNCTIONS: Readonly<Record<string, SheetFunction>> = {
  ...TARGETS,
  ...Object.fromEntries(DOMAINS.flatMap((d) => d.functions).map((f) => [f.name, f])),
};

export function functionNamed(name: string): SheetFunction | undefined {
  const canonical = canonicalName(name);
  return Object.hasOwn(FUNCTIONS, canonical) ? FUNCTIONS[canonical] : undefined;
}
