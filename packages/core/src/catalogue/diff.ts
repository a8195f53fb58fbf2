import { Dec } from "../decimal";
import type { Catalogue, Model } from "./schema";

/**
 * What a refresh would change, model by model: added, removed, and each priced value that moved
 * (old → new, and by how much). Values are compared as decimals, so "3.00" and "3" are equal.
 */

export interface ValueChange {
  /** "input", "cache_read above 200000", "batch output", "batch multiplier". */
  readonly field: string;
  /** Decimal text as the catalogues write it; null where the value is absent. */
  readonly old: string | null;
  readonly new: string | null;
  /** (new − old) ÷ old × 100, exact to 34 digits; null when either side is absent. */
  readonly percent: Dec | null;
  /** Moved by more than ×10 either way: worth a second look before accepting. */
  readonly flagged: boolean;
}

export interface ModelChange {
  readonly id: string;
  readonly changes: readonly ValueChange[];
}

export interface CatalogueDiff {
  readonly added: readonly Model[];
  readonly removed: readonly Model[];
  readonly changed: readonly ModelChange[];
  readonly unchanged: number;
  /** Changed models with at least one flagged value. */
  readonly flagged: number;
}

/** A price change beyond this factor either way is flagged. */
export const FLAG_FACTOR = new Dec(10);
const HUNDRED = new Dec(100);

/** Every priced value of a model's current list, by field name. */
function pricedValues(m: Model): Map<string, string> {
  const out = new Map<string, string>();
  for (const [c, p] of Object.entries(m.prices)) out.set(c, p);
  for (const t of m.tiers) {
    const where = `${t.inclusive ? "from" : "above"} ${t.threshold_tokens}${t.basis === "marginal" ? " (marginal)" : ""}`;
    for (const [c, p] of Object.entries(t.prices)) out.set(`${c} ${where}`, p);
  }
  for (const [name, v] of Object.entries(m.variants)) {
    if (v.multiplier !== undefined) out.set(`${name} multiplier`, v.multiplier);
    for (const [c, p] of Object.entries(v.prices ?? {})) out.set(`${name} ${c}`, p);
  }
  return out;
}

function change(field: string, old: string | undefined, next: string | undefined): ValueChange | undefined {
  if (old === next) return undefined;
  if (old === undefined || next === undefined) {
    return { field, old: old ?? null, new: next ?? null, percent: null, flagged: false };
  }
  const a = new Dec(old);
  const b = new Dec(next);
  if (a.eq(b)) return undefined;
  const ratio = a.isZero() ? undefined : b.div(a);
  return {
    field,
    old,
    new: next,
    percent: ratio ? ratio.minus(1).times(HUNDRED) : null,
    flagged: !ratio || ratio.gt(FLAG_FACTOR) || ratio.times(FLAG_FACTOR).lt(1),
  };
}

export function diffModels(old: Model, next: Model): ValueChange[] {
  const a = pricedValues(old);
  const b = pricedValues(next);
  const changes: ValueChange[] = [];
  for (const [field, value] of a) {
    const c = change(field, value, b.get(field));
    if (c) changes.push(c);
  }
  for (const [field, value] of b) if (!a.has(field)) changes.push(change(field, undefined, value)!);
  return changes;
}

export function diffCatalogues(old: Catalogue, next: Catalogue): CatalogueDiff {
  const before = new Map(old.models.map((m) => [m.id, m]));
  const after = new Set(next.models.map((m) => m.id));
  const added: Model[] = [];
  const changed: ModelChange[] = [];
  let unchanged = 0;
  let flagged = 0;
  for (const m of next.models) {
    const prior = before.get(m.id);
    if (!prior) {
      added.push(m);
      continue;
    }
    const changes = diffModels(prior, m);
    if (changes.length === 0) unchanged++;
    else {
      changed.push({ id: m.id, changes });
      if (changes.some((c) => c.flagged)) flagged++;
    }
  }
  const removed = old.models.filter((m) => !after.has(m.id));
  return { added, removed, changed, unchanged, flagged };
}
