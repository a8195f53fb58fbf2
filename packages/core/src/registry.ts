import * as caching from "./caching";
import * as catalogue from "./catalogue/functions";
import * as finops from "./finops";
import * as images from "./images";
import * as pricing from "./pricing";
import * as reasoning from "./reasoning";
import * as selfhost from "./selfhost";
import { type SheetFunction, isSheetFunction } from "./sheet";

/**
 * Where the worksheet functions live: a domain is a core module, and every function it declares
 * with `defineFunction` and exports is a worksheet function. Adding a function to a domain needs
 * nothing here; a new domain is one line.
 */
export interface Domain {
  /** The core module, as the add-in imports it: `@tokenledger/core/<module>`. */
  readonly module: string;
  readonly functions: readonly SheetFunction[];
}

/** A domain's functions in name order: module namespaces list exports in an order bundlers do not agree on. */
export function domain(module: string, exports: Record<string, unknown>): Domain {
  const functions = Object.values(exports).filter(isSheetFunction);
  return { module, functions: functions.sort((a, b) => (a.name < b.name ? -1 : 1)) };
}

/**
 * The domains whose functions compute from their arguments alone: what GRID, SOLVE and TORNADO
 * evaluate by name. The what-if domain joins them in functions.ts, which keeps this module free
 * of an import cycle with whatif.ts. In the order the README's reference follows (by task).
 */
export const TARGET_DOMAINS: readonly Domain[] = [
  domain("catalogue/functions", catalogue),
  domain("pricing", pricing),
  domain("caching", caching),
  domain("reasoning", reasoning),
  domain("images", images),
  domain("selfhost", selfhost),
  domain("finops", finops),
];

export const TARGETS: Readonly<Record<string, SheetFunction>> = Object.fromEntries(
  TARGET_DOMAINS.flatMap((d) => d.functions).map((f) => [f.name, f]),
);

/** A function's name as a user may write it: any case, with or without the `TL.` prefix. */
export function canonicalName(name: string): string {
  return name.trim().toUpperCase().replace(/^TL\./, "");
}
