import type { Model, Prices } from "./schema";

/**
 * A model's price lists over time, as compile.ts prices them: on a date, the latest list that
 * started by then (an undated list: always), or the latest of all when every list starts later.
 */

/** The price list in force on `date` (YYYY-MM-DD); the schema keeps the lists in date order. */
export function listInForce(m: Model, date: string): Prices {
  let found: Prices | undefined;
  for (const c of m.price_changes) if (c.effective_from === undefined || c.effective_from <= date) found = c.prices;
  return m.effective_from === undefined || m.effective_from <= date ? m.prices : (found ?? m.prices);
}

/** The dates after `today` on which either model's price list changes, in order. */
export function laterChanges(a: Model, b: Model, today: string): string[] {
  const dates = new Set<string>();
  for (const m of [a, b]) {
    for (const from of [m.effective_from, ...m.price_changes.map((c) => c.effective_from)]) {
      if (from !== undefined && from > today) dates.add(from);
    }
  }
  return [...dates].sort();
}
