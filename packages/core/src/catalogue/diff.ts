import { Dec } from "../decimal";
import { today as todayIso } from "./compile";
import type { Catalogue, Model, Prices } from "./schema";
import { laterChanges, listInForce } from "./timeline";

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
  /** YYYY-MM-DD for a change that takes effect later (a dated price list); null for one in force now. */
  readonly from: string | null;
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

/** Every priced value of a model with `prices` as its standard list, by field name. */
function pricedValues(m: Model, prices: Prices): Map<string, string> {
  const out = new Map<string, string>();
  for (const [c, p] of Object.entries(prices)) out.set(c, p);
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

function change(field: string, old: string | undefined, next: string | undefined, from: string | null): ValueChange | undefined {
  if (old === next) return undefined;
  if (old === undefined || next === undefined) {
    return { field, old: old ?? null, new: next ?? null, percent: null, flagged: false, from };
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
    from,
  };
}

/** The values that differ between the two models' lists in force on `date`. */
function diffOn(old: Model, next: Model, date: string, from: string | null): ValueChange[] {
  const a = pricedValues(old, listInForce(old, date));
  const b = pricedValues(next, listInForce(next, date));
  const changes: ValueChange[] = [];
  for (const [field, value] of a) {
    const c = change(field, value, b.get(field), from);
    if (c) changes.push(c);
  }
  for (const [field, value] of b) if (!a.has(field)) changes.push(change(field, undefined, value, from)!);
  return changes;
}

/**
 * Every change that will take effect: the prices in force on `today`, then on each later date
 * either model's prices change, each difference listed once, from the date it starts.
 */
export function diffModels(old: Model, next: Model, today: string = todayIso()): ValueChange[] {
  const changes = diffOn(old, next, today, null);
  const seen = new Set(changes.map((c) => `${c.field}|${c.old}|${c.new}`));
  for (const date of laterChanges(old, next, today)) {
    for (const c of diffOn(old, next, date, date)) {
      const key = `${c.field}|${c.old}|${c.new}`;
      if (!seen.has(key)) changes.push(c);
      seen.add(key);
    }
  }
  return changes;
}

export function diffCatalogues(old: Catalogue, next: Catalogue, today: string = todayIso()): CatalogueDiff {
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
    const changes = diffModels(prior, m, today);
    if (changes.length === 0) unchanged++;
    else {
      changed.push({ id: m.id, changes });
      if (changes.some((c) => c.flagged)) flagged++;
    }
  }
  const removed = old.models.filter((m) => !after.has(m.id));
  return { added, removed, changed, unchanged, flagged };
}
