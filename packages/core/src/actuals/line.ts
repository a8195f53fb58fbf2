import { Dec, ZERO } from "../decimal";

/**
 * One line of a usage export, whatever the provider: what every reader produces and the costing
 * consumes. Quantities are exact: a `number` is a whole count of the field's unit (tokens and
 * requests: 1; money: 10^-9 USD, see MONEY_SCALE), a `Dec` anything that does not fit one.
 */
export type Qty = number | Dec;

/** Money is summed in whole nano-dollars while it fits a double exactly. */
export const MONEY_SCALE = 9;

export interface ActualLine {
  /** The day the usage falls on, YYYY-MM-DD (UTC bucket start). */
  day: string;
  /** The model as the export names it ("gpt-4o-2024-08-06"); "" when the export does not say. */
  model: string;
  /** The provider the export comes from, to resolve bare names ("openai"); "" when it names no one. */
  provider: string;
  /** Project, workspace or tag; "" when the export has none. */
  team: string;
  /** Catalogue variant to price with: "" standard, "batch", … */
  variant: string;
  requests: Qty;
  /** Prompt tokens not read from or written to the cache. */
  uncached: Qty;
  cacheRead: Qty;
  cacheWrite5m: Qty;
  cacheWrite1h: Qty;
  /** Visible output tokens (thinking tokens excluded). */
  output: Qty;
  reasoning: Qty;
  webSearches: Qty;
  /** Billed USD at MONEY_SCALE, or undefined where the export bills nothing. */
  billed: Qty | undefined;
}

export function emptyLine(): ActualLine {
  return {
    day: "",
    model: "",
    provider: "",
    team: "",
    variant: "",
    requests: 0,
    uncached: 0,
    cacheRead: 0,
    cacheWrite5m: 0,
    cacheWrite1h: 0,
    output: 0,
    reasoning: 0,
    webSearches: 0,
    billed: undefined,
  };
}

/** Where a problem is: "line 12", "data[3].results[0]". */
export interface Problem {
  readonly where: string;
  readonly reason: string;
}

/** The most problems kept word for word; the rest are counted, so a broken file cannot fill memory. */
export const MAX_PROBLEMS = 1000;

export class Problems {
  readonly list: Problem[] = [];
  more = 0;

  add(where: string, reason: string): void {
    if (this.list.length < MAX_PROBLEMS) this.list.push({ where, reason });
    else this.more++;
  }
}

const POW10 = Array.from({ length: 16 }, (_, k) => 10 ** k);
const DECIMAL = /^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Decimal text as a Qty at `scale` (0 for counts, MONEY_SCALE for USD): a whole number of units
 * when the text has at most `scale` places and fits 15 digits, else a Dec. Undefined when the
 * text is not a decimal, or is negative and `signed` is false.
 */
export function parseQty(text: string, scale: number, signed = false): Qty | undefined {
  return parseQtyIn(text, 0, text.length, scale, signed);
}

/**
 * parseQty of text[start, end), spaces around it ignored: one pass over the characters, no
 * substring, because it runs once per field of a million-line file.
 */
export function parseQtyIn(text: string, start: number, end: number, scale: number, signed = false): Qty | undefined {
  while (start < end && text.charCodeAt(start) === 32) start++;
  while (end > start && text.charCodeAt(end - 1) === 32) end--;
  let i = start;
  const negative = text.charCodeAt(i) === 45;
  if (negative) {
    if (!signed) return undefined;
    i++;
  }
  let units = 0;
  let digits = 0;
  let places = -1;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      units = units * 10 + (c - 48);
      digits++;
      if (places >= 0) places++;
    } else if (c === 46 && places < 0) places = 0;
    else return slowQty(text.slice(start, end), signed);
  }
  if (digits === 0) return undefined;
  const p = places < 0 ? 0 : places;
  if (digits > 15 || p > scale) return slowQty(text.slice(start, end), signed);
  const scaled = units * POW10[scale - p];
  if (!Number.isSafeInteger(scaled)) return slowQty(text.slice(start, end), signed);
  return negative ? -scaled : scaled;
}

function slowQty(text: string, signed: boolean): Dec | undefined {
  if (!DECIMAL.test(text)) return undefined;
  const d = new Dec(text);
  return d.isNeg() && !signed ? undefined : d;
}

/** A Qty as a Dec of its unit (a count, or USD). */
export function qtyDec(q: Qty, scale: number): Dec {
  return typeof q === "number" ? new Dec(q).div(POW10[scale]) : q;
}

/** A whole count as a number where it is safe, else the Dec itself. */
export function qtyOf(d: Dec): Qty {
  return d.isInteger() && d.abs().lte(Number.MAX_SAFE_INTEGER) ? d.toNumber() : d;
}

/** a + b at one scale, exact. */
export function plusQty(a: Qty, b: Qty, scale: number): Qty {
  if (typeof a === "number" && typeof b === "number" && Number.isSafeInteger(a + b)) return a + b;
  return qtyDec(a, scale).plus(qtyDec(b, scale));
}

/** An exact running sum of Qtys at one scale: safe-integer arithmetic until it would overflow. */
export class ExactSum {
  private units = 0;
  private rest: Dec = ZERO;

  constructor(readonly scale: number) {}

  add(q: Qty): void {
    if (typeof q === "number") {
      const next = this.units + q;
      if (Number.isSafeInteger(next)) this.units = next;
      else this.rest = this.rest.plus(qtyDec(q, this.scale));
    } else this.rest = this.rest.plus(q);
  }

  value(): Dec {
    return this.units === 0 ? this.rest : qtyDec(this.units, this.scale).plus(this.rest);
  }
}
