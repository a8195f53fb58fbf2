import { z } from "zod";
import { Dec, type Exact, Fixed, MAX_FIXED_SCALE, ONE, nearest, quotient } from "../decimal";
import { notFound, valueError } from "../errors";
import { decimalProblem, scanDecimal } from "./decimal-text";
import { MAX_NAME_LENGTH, nameProblem } from "./ids";
import { isCalendarDate } from "./rules";
import type { Catalogue } from "./schema";

/**
 * Exchange rates as catalogue data. Money is USD everywhere; `FX` converts at the end of a
 * formula. Two kinds of rate: the European Central Bank's euro reference rates by date (X per
 * EUR, as the ECB publishes them each working day) and an organisation's planning rates (a fixed
 * budget rate per currency, units per USD), which take precedence for every date.
 */

/** Currencies on one day, and days kept: the ECB publishes about 30 a day, 256 days a year since 1999. */
export const MAX_CURRENCIES = 200;
export const MAX_DAYS = 40_000;

const CODE = /^[A-Z]{3}$/;
export const CurrencyCode = z.string().regex(CODE, "an ISO 4217 code: three capital letters");

const rateText = z.string().refine((s) => rateProblem(s) === undefined, { error: (i) => rateProblem(i.input as string) });

/** Why a rate's text is refused (not a bounded decimal, or zero), or undefined. */
export function rateProblem(text: string): string | undefined {
  const scan = scanDecimal(text);
  if (typeof scan === "string") return decimalProblem(text);
  return scan.zero ? "a rate above 0" : undefined;
}

const RateTable = z
  .record(CurrencyCode, rateText)
  .refine((t) => Object.keys(t).length <= MAX_CURRENCIES, `at most ${MAX_CURRENCIES} currencies`);

/** One ECB publication: X per EUR for each currency it lists (EUR itself is 1, never listed). */
export const ReferenceDay = z.object({
  date: z.string().refine(isCalendarDate, "a date written YYYY-MM-DD that exists on the calendar"),
  per_eur: RateTable,
});
export type ReferenceDay = z.infer<typeof ReferenceDay>;

/** Budget rates, units of each currency per 1 USD. */
export const PlanningRateTable = RateTable.refine((t) => !("USD" in t), "no USD rate (1 USD is 1 USD)");

/** An organisation's budget rates, named for people. */
export const PlanningRates = z.object({
  name: z
    .string()
    .min(1)
    .refine((s) => nameProblem(s, MAX_NAME_LENGTH) === undefined, { error: (i) => nameProblem(i.input as string, MAX_NAME_LENGTH) }),
  per_usd: PlanningRateTable,
});
export type PlanningRates = z.infer<typeof PlanningRates>;

export const Fx = z.object({
  /** ECB reference rates, oldest first, one entry per publication date. */
  reference: z
    .array(ReferenceDay)
    .max(MAX_DAYS)
    .refine((days) => days.every((d, i) => i === 0 || days[i - 1].date < d.date), "publication dates in increasing order, each once")
    .optional(),
  planning: PlanningRates.optional(),
});
export type Fx = z.infer<typeof Fx>;

// --- merging ---------------------------------------------------------------------------------

/** Reference days of both, by date; a date in `fresh` replaces the same date in `kept` (a correction). */
export function mergeReference(kept: readonly ReferenceDay[], fresh: readonly ReferenceDay[]): ReferenceDay[] {
  const byDate = new Map(kept.map((d) => [d.date, d]));
  for (const d of fresh) byDate.set(d.date, d);
  return [...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/** The rates after a catalogue of `next`'s replaces `kept`'s: reference history kept, planning rates from `next` where it has them. */
export function mergeFx(kept: Fx | undefined, next: Fx | undefined): Fx | undefined {
  if (!kept || !next) return next ?? kept;
  const reference = mergeReference(kept.reference ?? [], next.reference ?? []);
  const planning = next.planning ?? kept.planning;
  return { ...(reference.length ? { reference } : {}), ...(planning ? { planning } : {}) };
}

/** The catalogue with `days` merged into its reference rates; prices and planning rates untouched. */
export function withReference(catalogue: Catalogue, days: readonly ReferenceDay[]): Catalogue {
  return { ...catalogue, fx: mergeFx(catalogue.fx, { reference: [...days] }) };
}

/** One line for people: what merging `days` into `before` adds, and what is then held. */
export function referenceSummary(before: Fx | undefined, days: readonly ReferenceDay[]): string {
  const held = new Set((before?.reference ?? []).map((d) => d.date));
  const added = days.filter((d) => !held.has(d.date)).length;
  const all = mergeReference(before?.reference ?? [], days);
  const span = all.length ? `, ${all[0].date} to ${all[all.length - 1].date}` : "";
  return `ECB reference rates: ${added.toLocaleString("en-US")} days added, ${(days.length - added).toLocaleString("en-US")} already held; ${all.length.toLocaleString("en-US")} days held${span}`;
}

// --- the rate in force -----------------------------------------------------------------------

/** Where a rate came from: the ECB publication of `date`, or the organisation's planning rates. */
export type RateOrigin =
  | { readonly kind: "reference"; readonly date: string }
  | { readonly kind: "planning"; readonly name: string }
  | { readonly kind: "usd" };

export interface UsdRate {
  /** Units of the currency per 1 USD. */
  readonly perUsd: Dec;
  readonly origin: RateOrigin;
}

/**
 * Publication dates and the planning rates as decimals, built once per catalogue. A day's rates
 * stay text until asked for: the full history is 200,000 of them, and a sheet asks for a few.
 */
interface CompiledFx {
  readonly dates: readonly string[];
  readonly days: readonly Readonly<Record<string, string>>[];
  readonly planning?: { readonly name: string; readonly perUsd: ReadonlyMap<string, Dec> };
  /** Every code a rate can be asked for, sorted, for the #N/A message. */
  readonly known: readonly string[];
  /** FX's fast path: the planning rates, and each day's rates once asked for, as Fixed where they have that form. */
  readonly fixedPlanning: ReadonlyMap<string, Fixed | undefined>;
  readonly fixedDays: (ReadonlyMap<string, Fixed | undefined> | undefined)[];
  /** The index of the publication in force on each date asked lately (a sheet asks for a few dates over and over). */
  readonly dayOn: Map<string, number>;
}

const compiled = new WeakMap<Fx, CompiledFx>();
/** A catalogue without rates (the bundled one has none): one object, so it compiles once. */
const NO_RATES: Fx = {};

const decimals = (table: Record<string, string>) => new Map(Object.entries(table).map(([c, r]) => [c, new Dec(r)]));

function compileFx(fx: Fx): CompiledFx {
  let found = compiled.get(fx);
  if (found) return found;
  const reference = fx.reference ?? [];
  const codes = new Set<string>(reference.length ? ["EUR", "USD"] : ["USD"]);
  for (const d of reference) for (const c of Object.keys(d.per_eur)) codes.add(c);
  for (const c of Object.keys(fx.planning?.per_usd ?? {})) codes.add(c);
  found = {
    dates: reference.map((d) => d.date),
    days: reference.map((d) => d.per_eur),
    planning: fx.planning && { name: fx.planning.name, perUsd: decimals(fx.planning.per_usd) },
    known: [...codes].sort(),
    fixedPlanning: fixedRates(fx.planning?.per_usd ?? {}),
    fixedDays: [],
    dayOn: new Map(),
  };
  compiled.set(fx, found);
  return found;
}

/** The index of the latest date on or before `date` (dates ascending), or −1. */
function latestOnOrBefore(dates: readonly string[], date: string): number {
  let lo = 0;
  let hi = dates.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (dates[mid] <= date) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** X per EUR on a publication day: EUR is 1; a currency that day does not list is #N/A. */
function perEur(day: Readonly<Record<string, string>>, code: string, date: string): Dec {
  if (code === "EUR") return ONE;
  const rate = Object.hasOwn(day, code) ? day[code] : undefined;
  if (rate === undefined)
    throw notFound(`currency: the ECB publication of ${date} (the latest on or before the date asked) has no ${code} rate`);
  return new Dec(rate);
}

/** Three capital letters, as CODE tests, without a regular expression: most calls pass a code as written. */
function isCode(text: string): boolean {
  if (text.length !== 3) return false;
  for (let i = 0; i < 3; i++) {
    const c = text.charCodeAt(i);
    if (c < 65 || c > 90) return false;
  }
  return true;
}

/** Checks an ISO 4217 code as a user typed it ("eur" is EUR). */
export function currencyCode(text: string): string {
  if (isCode(text)) return text;
  const code = text.trim().toUpperCase();
  if (!CODE.test(code)) throw valueError("currency", `must be an ISO 4217 code of three letters ("EUR"), got "${text.slice(0, 20)}"`);
  return code;
}

/**
 * Units of `code` per 1 USD on `date`: the planning rate where there is one, else (X per EUR) ÷
 * (USD per EUR) of the latest ECB publication on or before `date`, carried to 34 digits.
 */
export function usdRate(fx: Fx | undefined, code: string, date: string): UsdRate {
  const c = compileFx(fx ?? NO_RATES);
  const planned = c.planning?.perUsd.get(code);
  if (planned && c.planning) return { perUsd: planned, origin: { kind: "planning", name: c.planning.name } };
  if (code === "USD") return { perUsd: ONE, origin: { kind: "usd" } };
  if (!c.known.includes(code)) {
    // USD alone is known without any rate.
    const known =
      c.known.length > 1
        ? `the catalogue knows ${c.known.join(", ")}`
        : "the catalogue holds no exchange rates (refresh them from the ECB)";
    throw notFound(`currency: no rate for ${code}; ${known}`);
  }
  const i = latestOnOrBefore(c.dates, date);
  if (i < 0) throw notFound(`as_of: no reference rate before ${c.dates[0]}, the earliest the catalogue holds`);
  const at = c.dates[i];
  return { perUsd: perEur(c.days[i], code, at).div(perEur(c.days[i], "USD", at)), origin: { kind: "reference", date: at } };
}

/** Plain decimal text ("1.0812", "162") as a Fixed, or undefined when it has another form or too many digits. */
function fixedText(text: string): Fixed | undefined {
  if (!/^\d+(\.\d+)?$/.test(text)) return undefined;
  const point = text.indexOf(".");
  const scale = point < 0 ? 0 : text.length - point - 1;
  const units = Number(point < 0 ? text : text.slice(0, point) + text.slice(point + 1));
  return Number.isSafeInteger(units) && scale <= MAX_FIXED_SCALE ? new Fixed(units, scale) : undefined;
}

const fixedRates = (table: Readonly<Record<string, string>>) => new Map(Object.entries(table).map(([c, r]) => [c, fixedText(r)]));

/** Dates remembered per catalogue: emptied when full. */
const MAX_DATES = 4096;

function dayIndex(c: CompiledFx, date: string): number {
  let i = c.dayOn.get(date);
  if (i === undefined) {
    i = latestOnOrBefore(c.dates, date);
    if (c.dayOn.size >= MAX_DATES) c.dayOn.clear();
    c.dayOn.set(date, i);
  }
  return i;
}

const ONE_FIXED = new Fixed(1, 0);

/**
 * FX's number: usdRate's perUsd without a Decimal where the rates are plain decimals of at most
 * 16 digits. A planning rate is that decimal (a Fixed); an ECB rate is (X per EUR) ÷ (USD per
 * EUR), both exact on the decimal path, which then rounds once, in the division: so the nearest
 * double of the quotient is the decimal path's double (decimal.ts, quotient). Anything else, and
 * every error, is usdRate's.
 */
export function fxRate(fx: Fx | undefined, code: string, date: string): Exact {
  const c = compileFx(fx ?? NO_RATES);
  let fast: Exact | undefined;
  if (c.fixedPlanning.has(code)) fast = c.fixedPlanning.get(code);
  else if (code === "USD") fast = ONE_FIXED;
  else {
    const i = dayIndex(c, date);
    if (i >= 0) {
      const day = (c.fixedDays[i] ??= fixedRates(c.days[i]));
      const rate = code === "EUR" ? ONE_FIXED : day.get(code);
      const usd = day.get("USD");
      const value = rate && usd && quotient(rate, usd);
      if (value !== undefined) fast = nearest(value, () => usdRate(fx, code, date).perUsd);
    }
  }
  return fast ?? usdRate(fx, code, date).perUsd;
}

/** What the task pane lists: each currency's rate per USD on `date`, with where it came from. */
export function ratesOn(fx: Fx | undefined, date: string): { code: string; rate: UsdRate }[] {
  const c = compileFx(fx ?? NO_RATES);
  const out: { code: string; rate: UsdRate }[] = [];
  for (const code of c.known) {
    if (code === "USD") continue;
    try {
      out.push({ code, rate: usdRate(fx, code, date) });
    } catch {
      // A currency the ECB stopped publishing (HRK after 2022) has no rate on a later date.
    }
  }
  return out;
}
