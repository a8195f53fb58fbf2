import { valueError } from "../errors";
import { FeedError, type Json, JsonNumber, type JsonObject, isObject, parseJson } from "../catalogue/import/json";
import { type ActualLine, type Problems, type Qty, parseQty } from "./line";

/**
 * What the JSON exports share: pages of `data`, fields read as exact numbers from their text,
 * and a row that breaks a rule skipped with its reason, never the whole file for one bad row.
 */

/** Thrown inside a reader for one row; the reader lists it and goes on. */
export class RowRejected extends Error {}

/** The document as JSON, or a #VALUE! naming the format and what is wrong. */
export function parseExport(format: string, text: string): Json {
  try {
    return parseJson(text);
  } catch (e) {
    if (e instanceof FeedError) throw valueError(format, e.message.replace(/the response/g, "the file"));
    throw e;
  }
}

/** The `data` arrays of one page or of an array of pages (paginated exports saved together). */
export function pagesData(format: string, doc: Json): { where: string; item: Json }[] {
  const pages = Array.isArray(doc) ? doc : [doc];
  const out: { where: string; item: Json }[] = [];
  pages.forEach((page, p) => {
    const prefix = Array.isArray(doc) ? `[${p}].` : "";
    if (!isObject(page) || !Array.isArray(page.data)) {
      throw valueError(format, `${prefix || "the file"} is not a page of usage (an object with a "data" array)`);
    }
    page.data.forEach((item, i) => out.push({ where: `${prefix}data[${i}]`, item }));
  });
  return out;
}

function textOf(v: Json | undefined): string | undefined {
  return v instanceof JsonNumber ? v.text : typeof v === "string" ? v.trim() : undefined;
}

/** A count field: absent or null is 0 unless `required`. */
export function count(o: JsonObject, key: string, required = false): Qty {
  const v = o[key];
  if (v === undefined || v === null) {
    if (required) throw new RowRejected(`${key} is missing`);
    return 0;
  }
  const t = textOf(v);
  const q = t === undefined ? undefined : parseQty(t, 0);
  if (q === undefined) throw new RowRejected(`${key} ${JSON.stringify(t ?? v)} is not a count`);
  return q;
}

/** A money field at `scale` (MONEY_SCALE for dollars, MONEY_SCALE − 2 for cents). */
export function money(o: JsonObject, key: string, scale: number): Qty {
  const t = textOf(o[key]);
  const q = t === undefined ? undefined : parseQty(t, scale, true);
  if (q === undefined) throw new RowRejected(`${key} ${t === undefined ? "is missing" : `${JSON.stringify(t)} is not an amount`}`);
  return q;
}

/** A text field; null and absent are "". */
export function label(o: JsonObject, key: string): string {
  const v = o[key];
  return typeof v === "string" ? v : v instanceof JsonNumber ? v.text : "";
}

export function object(v: Json | undefined, what: string): JsonObject {
  if (!isObject(v)) throw new RowRejected(`${what} is not an object`);
  return v;
}

/** Unix seconds to the UTC day. */
export function dayOfUnix(v: Json | undefined): string {
  const t = textOf(v);
  const s = t !== undefined && /^\d{1,12}$/.test(t) ? Number(t) : Number.NaN;
  if (Number.isNaN(s)) throw new RowRejected(`start_time ${JSON.stringify(t)} is not a Unix time in seconds`);
  return new Date(s * 1000).toISOString().slice(0, 10);
}

/** The day of an RFC 3339 timestamp or a YYYY-MM-DD date. */
export function dayOfText(v: Json | undefined, key: string): string {
  const t = textOf(v);
  if (t === undefined || !/^\d{4}-\d{2}-\d{2}/.test(t)) throw new RowRejected(`${key} ${JSON.stringify(t ?? null)} is not a date`);
  return t.slice(0, 10);
}

/** Lists a row's problem; answers whether the row may be used. */
export function attempt(problems: Problems, where: string, read: () => void): void {
  try {
    read();
  } catch (e) {
    if (!(e instanceof RowRejected)) throw e;
    problems.add(where, `left out: ${e.message}`);
  }
}

/**
 * The exports give one row per bucket and grouping: a second row with the same keys means pages
 * saved twice or overlapping ranges. The later one is listed and left out.
 */
export class Duplicates {
  private readonly seen = new Map<string, string>();

  constructor(private readonly problems: Problems) {}

  /** True when the row is new. */
  first(key: string, where: string): boolean {
    const earlier = this.seen.get(key);
    if (earlier === undefined) {
      this.seen.set(key, where);
      return true;
    }
    this.problems.add(where, `left out: the same day and grouping as ${earlier} (a duplicate day)`);
    return false;
  }
}

export type Sink = (line: ActualLine) => void;
