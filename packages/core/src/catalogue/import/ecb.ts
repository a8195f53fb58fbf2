import { MAX_CURRENCIES, MAX_DAYS, type ReferenceDay, rateProblem } from "../fx";
import { shortText } from "../decimal-text";
import { isCalendarDate } from "../rules";
import { FeedError, type Rejection } from "./common";

/**
 * The European Central Bank's euro foreign exchange reference rates, in the XML the ECB serves
 * (eurofxref-daily.xml, eurofxref-hist-90d.xml, eurofxref-hist.xml): a gesmes:Envelope whose
 * Cube holds one `<Cube time='YYYY-MM-DD'>` per working day (newest first in the history files),
 * each holding `<Cube currency='USD' rate='1.0705'/>` rows, X per EUR. Weekends and TARGET
 * holidays have no Cube.
 *
 * Read in one pass over the text, without an XML library (core runs in Node and in the browser
 * alike): tags are found with indexOf, attributes scanned by hand, and every size is capped, so
 * hostile input costs linear time and fails with one sentence.
 */

export const ECB_SOURCE = "ECB euro foreign exchange reference rates";
export const ECB_URLS = {
  daily: "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml",
  last90Days: "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist-90d.xml",
  history: "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist.xml",
} as const;

/** No tag of the format is longer than about 60 characters. */
const MAX_TAG_LENGTH = 1000;

export interface EcbImport {
  /** Publications, oldest first. */
  readonly days: ReferenceDay[];
  readonly rejected: readonly Rejection[];
}

const isSpace = (c: string) => c === " " || c === "\t" || c === "\n" || c === "\r";

/** A tag's attributes (`name='value'` or `name="value"`), or why they cannot be read. */
function attributes(tag: string, from: number): Map<string, string> | string {
  const found = new Map<string, string>();
  let i = from;
  for (;;) {
    while (i < tag.length && isSpace(tag[i])) i++;
    if (i >= tag.length || tag[i] === "/") return found;
    const eq = tag.indexOf("=", i);
    if (eq < 0) return "an attribute without a value";
    const name = tag.slice(i, eq).trim();
    const quote = tag[eq + 1];
    if (quote !== "'" && quote !== '"') return "an attribute value not in quotes";
    const end = tag.indexOf(quote, eq + 2);
    if (end < 0) return "an attribute value not closed";
    found.set(name, tag.slice(eq + 2, end));
    i = end + 1;
  }
}

/** The element name of a tag's text (after `<`), without a namespace prefix. */
function localName(tag: string): { name: string; end: number } {
  let end = 0;
  while (end < tag.length && !isSpace(tag[end]) && tag[end] !== "/") end++;
  const qualified = tag.slice(0, end);
  return { name: qualified.slice(qualified.indexOf(":") + 1), end };
}

class Days {
  private readonly byDate = new Map<string, Record<string, string>>();
  private current: Record<string, string> | undefined;
  private currentDate = "";
  private count = 0;
  readonly rejected: Rejection[] = [];

  open(date: string): void {
    this.current = undefined;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !isCalendarDate(date)) {
      this.rejected.push({ entry: `Cube time=${shortText(date)}`, reason: "not a date written YYYY-MM-DD" });
      return;
    }
    if (this.byDate.has(date)) {
      this.rejected.push({ entry: date, reason: "published twice in the file; the first is kept" });
      return;
    }
    if (this.byDate.size >= MAX_DAYS) throw new FeedError(`the file holds more than ${MAX_DAYS.toLocaleString("en-US")} days`);
    this.current = {};
    this.count = 0;
    this.currentDate = date;
    this.byDate.set(date, this.current);
  }

  rate(currency: string, rate: string): void {
    const day = this.current;
    if (!day) return; // its day was rejected, or it stands outside a dated Cube
    const problem = /^[A-Z]{3}$/.test(currency) ? rateProblem(rate) : "not an ISO 4217 code";
    if (problem) {
      this.rejected.push({ entry: `${this.currentDate} ${shortText(currency)}`, reason: `rate ${shortText(rate)}: ${problem}` });
      return;
    }
    if (++this.count > MAX_CURRENCIES) throw new FeedError(`${this.currentDate} lists more than ${MAX_CURRENCIES} currencies`);
    day[currency] = rate;
  }

  result(): EcbImport {
    const days: ReferenceDay[] = [];
    for (const [date, table] of this.byDate) {
      // USD per EUR is the divisor of every rate per USD: a day without it is of no use.
      if (table.USD === undefined) this.rejected.push({ entry: date, reason: "no USD rate, so no rate per USD follows" });
      else days.push({ date, per_eur: Object.fromEntries(Object.entries(table).sort(([a], [b]) => (a < b ? -1 : 1))) });
    }
    days.sort((a, b) => (a.date < b.date ? -1 : 1));
    return { days, rejected: this.rejected };
  }
}

/** Reads one of the ECB's reference-rate files; throws a FeedError when the document is not one. */
export function importEcb(text: string): EcbImport {
  const days = new Days();
  let sawCube = false;
  let at = 0;
  for (;;) {
    const open = text.indexOf("<", at);
    if (open < 0) break;
    if (text.startsWith("<!--", open)) {
      const end = text.indexOf("-->", open + 4);
      if (end < 0) throw new FeedError("the XML ends inside a comment");
      at = end + 3;
      continue;
    }
    const close = text.indexOf(">", open);
    if (close < 0) throw new FeedError("the XML ends inside a tag");
    at = close + 1;
    if (close - open > MAX_TAG_LENGTH)
      throw new FeedError(`a tag at character ${open.toLocaleString("en-US")} is longer than ${MAX_TAG_LENGTH} characters`);
    const tag = text.slice(open + 1, close);
    const { name, end } = localName(tag);
    if (name !== "Cube") continue;
    sawCube = true;
    const attrs = attributes(tag, end);
    if (typeof attrs === "string") throw new FeedError(`a Cube at character ${open.toLocaleString("en-US")} has ${attrs}`);
    const time = attrs.get("time");
    if (time !== undefined) days.open(time);
    const currency = attrs.get("currency");
    if (currency !== undefined) days.rate(currency, attrs.get("rate") ?? "");
  }
  if (!sawCube) throw new FeedError("the response is not ECB reference rates (it has no Cube element)");
  const result = days.result();
  if (!result.days.length) throw new FeedError("the file holds no usable day of rates");
  return result;
}
