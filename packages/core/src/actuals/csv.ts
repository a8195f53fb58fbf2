import { valueError } from "../errors";
import { Dec } from "../decimal";
import type { Sink } from "./export-json";
import { type ActualLine, MONEY_SCALE, type Problems, type Qty, emptyLine, parseQtyIn, qtyOf } from "./line";

/**
 * A CSV of usage from anywhere (a gateway's request log, a spreadsheet): one header row, then one
 * row per request or per day. A column mapping, guessed from the header and confirmed by the
 * user, says which column holds what. `input` is the whole prompt, cache reads and writes
 * included (as LLMCOST's input_tokens); `billed` is USD, `billed_cents` cents.
 */

export const CSV_FIELDS = [
  "date",
  "model",
  "team",
  "requests",
  "input",
  "cache_read",
  "cache_write_5m",
  "cache_write_1h",
  "output",
  "reasoning",
  "web_search",
  "batch",
  "billed",
  "billed_cents",
  "currency",
] as const;
export type CsvField = (typeof CSV_FIELDS)[number];

/** Field → the header of the column that holds it. */
export type CsvMapping = Partial<Record<CsvField, string>>;

/** Header names each field is recognised by (after lower-casing, non-alphanumerics as "_"). */
const SYNONYMS: Record<CsvField, readonly string[]> = {
  date: ["date", "day", "usage_date", "timestamp", "time", "created_at", "start_time", "starting_at"],
  model: ["model", "model_name", "model_id"],
  team: ["team", "tag", "project", "project_id", "workspace", "workspace_id", "team_id", "department", "cost_center"],
  requests: ["requests", "request_count", "num_requests", "num_model_requests", "calls"],
  input: ["input", "input_tokens", "prompt_tokens", "tokens_in"],
  cache_read: ["cache_read", "cached_tokens", "input_cached_tokens", "cache_read_tokens", "cache_read_input_tokens"],
  cache_write_5m: ["cache_write", "cache_write_tokens", "cache_creation_input_tokens", "cache_write_5m", "ephemeral_5m_input_tokens"],
  cache_write_1h: ["cache_write_1h", "ephemeral_1h_input_tokens"],
  output: ["output", "output_tokens", "completion_tokens", "tokens_out"],
  reasoning: ["reasoning", "reasoning_tokens", "thinking_tokens"],
  web_search: ["web_search", "web_search_requests", "web_searches"],
  batch: ["batch", "is_batch"],
  billed: ["billed", "billed_usd", "cost", "cost_usd", "spend", "amount", "amount_usd", "usd"],
  billed_cents: ["billed_cents", "cost_cents", "amount_cents", "cents"],
  currency: ["currency"],
};

const key = (header: string) =>
  header
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_|_$/g, "");

/** The mapping the header suggests; fields it does not name are left out. */
export function guessMapping(headers: readonly string[]): CsvMapping {
  const mapping: CsvMapping = {};
  for (const field of CSV_FIELDS) {
    const found = headers.find((h) => SYNONYMS[field].includes(key(h)));
    if (found !== undefined) mapping[field] = found;
  }
  return mapping;
}

/** One record from `start`: its fields and where the next begins. Quotes as RFC 4180 has them. */
function record(text: string, start: number): { fields: string[]; next: number } {
  let end = text.indexOf("\n", start);
  if (end < 0) end = text.length;
  const raw = text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end);
  if (!raw.includes('"')) return { fields: raw.split(","), next: end + 1 };
  const fields: string[] = [];
  let field = "";
  let i = start;
  let quoted = false;
  for (; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c !== '"') field += c;
      else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      fields.push(field);
      field = "";
    } else if (c === "\n") break;
    else if (c !== "\r") field += c;
  }
  fields.push(field);
  return { fields, next: i + 1 };
}

const TRUE = ["true", "1", "yes", "batch", "y"];

/** The values of one column seen so far, so a million rows of a few models make a few strings. */
class Interner {
  private readonly values: string[] = [];

  /** src[start, end) trimmed, as a string seen before when it was. */
  get(src: string, start: number, end: number): string {
    while (start < end && src.charCodeAt(start) <= 32) start++;
    while (end > start && src.charCodeAt(end - 1) <= 32) end--;
    const length = end - start;
    const first = src.charCodeAt(start);
    const { values } = this;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v.length === length && v.charCodeAt(0) === first && src.startsWith(v, start)) return v;
    }
    const v = src.slice(start, end);
    // Columns of many distinct values (request ids as teams) are not worth a scan.
    if (this.values.length < 64) this.values.push(v);
    return v;
  }
}

/** Whether src[start, end) is one of TRUE, in any case. */
function truthy(src: string, start: number, end: number): boolean {
  while (start < end && src.charCodeAt(start) <= 32) start++;
  while (end > start && src.charCodeAt(end - 1) <= 32) end--;
  for (const t of TRUE) {
    if (t.length !== end - start) continue;
    let i = 0;
    while (i < t.length && (src.charCodeAt(start + i) | 32) === t.charCodeAt(i)) i++;
    if (i === t.length) return true;
  }
  return false;
}

/**
 * One row as offsets into a source text: field k is src[starts[k], ends[k]). A row without quotes
 * is read in place, without a string per field; a quoted one is unquoted into a text of its own.
 */
class Row {
  src = "";
  count = 0;
  readonly starts: Int32Array;
  readonly ends: Int32Array;

  constructor(readonly width: number) {
    this.starts = new Int32Array(width + 1);
    this.ends = new Int32Array(width + 1);
    this.interned = Array.from({ length: width }, () => new Interner());
  }

  /** Whether field k is blank. */
  empty(k: number): boolean {
    for (let i = this.starts[k]; i < this.ends[k]; i++) if (this.src.charCodeAt(i) > 32) return false;
    return true;
  }

  /** Field k trimmed, interned per column. */
  value(k: number): string {
    return this.interned[k].get(this.src, this.starts[k], this.ends[k]);
  }

  /** Where the next quote is at or after the current row, so rows without one skip the check. */
  private quote = -1;

  /** Reads the row at `at`; answers where the next begins. Fields are found with indexOf, native speed. */
  read(text: string, at: number): number {
    let newline = text.indexOf("\n", at);
    if (newline < 0) newline = text.length;
    if (this.quote < at) {
      this.quote = text.indexOf('"', at);
      if (this.quote < 0) this.quote = text.length;
    }
    if (this.quote < newline) return this.quoted(text, at);
    const end = newline > at && text.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
    let k = 0;
    let start = at;
    for (;;) {
      let comma = text.indexOf(",", start);
      if (comma < 0 || comma > end) comma = end;
      if (k <= this.width) {
        this.starts[k] = start;
        this.ends[k] = comma;
      }
      k++;
      if (comma === end) break;
      start = comma + 1;
    }
    this.src = text;
    this.count = k;
    return newline + 1;
  }

  private quoted(text: string, at: number): number {
    const { fields, next } = record(text, at);
    this.src = fields.join("");
    this.count = fields.length;
    let offset = 0;
    for (let k = 0; k < Math.min(fields.length, this.width + 1); k++) {
      this.starts[k] = offset;
      offset += fields[k].length;
      this.ends[k] = offset;
    }
    return next;
  }

  readonly interned: Interner[];
  readonly days = new Map<number, string>();

  text(k: number): string {
    return this.src.slice(this.starts[k], this.ends[k]).trim();
  }

  blank(): boolean {
    return this.count === 1 && this.text(0) === "";
  }
}

export function readCsv(text: string, sink: Sink, problems: Problems, given?: CsvMapping): CsvMapping {
  const first = record(text, 0);
  const headers = first.fields.map((h) => h.trim());
  const mapping = given ?? guessMapping(headers);
  const column = (field: CsvField): number => {
    const name = mapping[field];
    if (name === undefined) return -1;
    const at = headers.indexOf(name);
    if (at < 0) {
      throw valueError(
        "csv",
        `the mapping names the column "${name}" for ${field}, and the header has no such column (it has ${headers.join(", ")})`,
      );
    }
    return at;
  };
  const col = Object.fromEntries(CSV_FIELDS.map((f) => [f, column(f)])) as Record<CsvField, number>;
  if (col.date < 0 || col.model < 0) {
    throw valueError("csv", `needs a date and a model column (the header has ${headers.join(", ")})`);
  }
  const tokenColumns = [col.input, col.cache_read, col.cache_write_5m, col.cache_write_1h, col.output, col.reasoning];
  if (tokenColumns.every((c) => c < 0) && col.billed < 0 && col.billed_cents < 0) {
    throw valueError("csv", `names no token or billed column (the header has ${headers.join(", ")})`);
  }
  const line: ActualLine = emptyLine();
  const row = new Row(headers.length);
  let lineNo = 1;
  for (let at = first.next; at < text.length; ) {
    at = row.read(text, at);
    lineNo++;
    if (row.blank()) continue;
    if (row.count !== headers.length) {
      problems.add(`line ${lineNo}`, `left out: ${row.count} fields where the header has ${headers.length}`);
      continue;
    }
    const problem = fill(line, row, col);
    if (problem) {
      problems.add(`line ${lineNo}`, `left out: ${problem}`);
      continue;
    }
    if (col.currency >= 0 && line.billed !== undefined) {
      const currency = row.text(col.currency);
      if (currency !== "" && currency.toLowerCase() !== "usd") {
        problems.add(`line ${lineNo}`, `billed amount in ${currency}, not USD (mixed currencies): tokens kept, amount left out`);
        line.billed = undefined;
      }
    }
    sink(line);
  }
  return mapping;
}

/** Marks a count that is not one; kept apart from Qty so the hot path allocates nothing. */
const BAD = -1;

/** A count column's value (absent or blank: 0), or BAD. */
function countAt(row: Row, c: number): Qty {
  if (c < 0) return 0;
  return parseQtyIn(row.src, row.starts[c], row.ends[c], 0) ?? (row.empty(c) ? 0 : BAD);
}

const COUNT_FIELDS = ["requests", "input", "cache_read", "cache_write_5m", "cache_write_1h", "output", "reasoning", "web_search"] as const;

/** YYYY-MM-DD at the start of the field, checked by character codes. */
function dayAt(row: Row, c: number): string | undefined {
  const { src } = row;
  let s = row.starts[c];
  while (src.charCodeAt(s) === 32) s++;
  if (row.ends[c] - s < 10) return undefined;
  for (let i = 0; i < 10; i++) {
    const ch = src.charCodeAt(s + i);
    if (i === 4 || i === 7 ? ch !== 45 : ch < 48 || ch > 57) return undefined;
  }
  // The day's digits as a number key its one string: a month of rows makes 30.
  let n = 0;
  for (let i = 0; i < 10; i++) if (i !== 4 && i !== 7) n = n * 10 + src.charCodeAt(s + i) - 48;
  let day = row.days.get(n);
  if (day === undefined) {
    day = src.slice(s, s + 10);
    row.days.set(n, day);
  }
  return day;
}

/** Reads one row into `line` (reused: the sink copies what it keeps); answers a problem or "". */
function fill(line: ActualLine, row: Row, col: Record<CsvField, number>): string {
  const day = dayAt(row, col.date);
  if (day === undefined) return `date "${row.text(col.date).slice(0, 40)}" is not YYYY-MM-DD`;
  const model = row.value(col.model);
  if (model === "") return "no model";
  const requests = countAt(row, col.requests);
  const input = countAt(row, col.input);
  const cacheRead = countAt(row, col.cache_read);
  const w5 = countAt(row, col.cache_write_5m);
  const w1 = countAt(row, col.cache_write_1h);
  const output = countAt(row, col.output);
  const reasoning = countAt(row, col.reasoning);
  const webSearches = countAt(row, col.web_search);
  if (
    requests === BAD ||
    input === BAD ||
    cacheRead === BAD ||
    w5 === BAD ||
    w1 === BAD ||
    output === BAD ||
    reasoning === BAD ||
    webSearches === BAD
  ) {
    const bad = COUNT_FIELDS.find((f) => countAt(row, col[f]) === BAD)!;
    return `${bad} "${row.text(col[bad]).slice(0, 40)}" is not a count`;
  }
  let uncached: Qty;
  if (typeof input === "number" && typeof cacheRead === "number" && typeof w5 === "number" && typeof w1 === "number") {
    uncached = input - cacheRead - w5 - w1;
    if (uncached < 0) return "cache reads and writes exceed input";
  } else {
    const u = new Dec(input).minus(cacheRead).minus(w5).minus(w1);
    if (u.isNeg()) return "cache reads and writes exceed input";
    uncached = qtyOf(u);
  }
  let billed: Qty | undefined;
  const cents = col.billed < 0;
  const b = cents ? col.billed_cents : col.billed;
  if (b >= 0 && !row.empty(b)) {
    const q = parseQtyIn(row.src, row.starts[b], row.ends[b], cents ? MONEY_SCALE - 2 : MONEY_SCALE, true);
    if (q === undefined) return `billed "${row.text(b).slice(0, 40)}" is not an amount`;
    billed = typeof q === "number" || !cents ? q : q.div(100);
  }
  line.day = day;
  line.model = model;
  line.team = col.team < 0 ? "" : row.value(col.team);
  line.variant = col.batch >= 0 && truthy(row.src, row.starts[col.batch], row.ends[col.batch]) ? "batch" : "";
  line.requests = requests;
  line.uncached = uncached;
  line.cacheRead = cacheRead;
  line.cacheWrite5m = w5;
  line.cacheWrite1h = w1;
  line.output = output;
  line.reasoning = reasoning;
  line.webSearches = webSearches;
  line.billed = billed;
  return "";
}
