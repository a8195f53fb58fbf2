import { valueError } from "../errors";
import { Dec } from "../decimal";
import type { Sink } from "./export-json";
import { type ActualLine, MONEY_SCALE, type Problems, type Qty, emptyLine, parseQty, qtyOf } from "./line";

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

/** The header row of a CSV text. */
export function csvHeaders(text: string): string[] {
  return record(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, 0).fields.map((h) => h.trim());
}

const DAY = /^\d{4}-\d{2}-\d{2}/;
const TRUE = new Set(["true", "1", "yes", "batch", "y"]);

export function readCsv(text: string, sink: Sink, problems: Problems, given?: CsvMapping): CsvMapping {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const first = record(body, 0);
  const headers = first.fields.map((h) => h.trim());
  const mapping = given ?? guessMapping(headers);
  const column = (field: CsvField): number => {
    const name = mapping[field];
    if (name === undefined) return -1;
    const at = headers.indexOf(name);
    if (at < 0)
      throw valueError(
        "csv",
        `the mapping names the column "${name}" for ${field}, and the header has no such column (it has ${headers.join(", ")})`,
      );
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
  let lineNo = 1;
  for (let at = first.next; at < body.length; ) {
    const { fields, next } = record(body, at);
    at = next;
    lineNo++;
    if (fields.length === 1 && fields[0].trim() === "") continue;
    const where = `line ${lineNo}`;
    if (fields.length !== headers.length) {
      problems.add(where, `left out: ${fields.length} fields where the header has ${headers.length}`);
      continue;
    }
    const problem = fill(line, fields, col);
    if (problem) {
      problems.add(where, `left out: ${problem}`);
      continue;
    }
    if (col.currency >= 0 && line.billed !== undefined) {
      const currency = fields[col.currency].trim();
      if (currency !== "" && currency.toLowerCase() !== "usd") {
        problems.add(where, `billed amount in ${currency}, not USD (mixed currencies): tokens kept, amount left out`);
        line.billed = undefined;
      }
    }
    sink(line);
  }
  return mapping;
}

/** A count column's value (a blank is 0), or the reason it is unusable. */
function countAt(fields: string[], c: number, name: string): Qty | string {
  if (c < 0) return 0;
  const t = fields[c].trim();
  if (t === "") return 0;
  return parseQty(t, 0) ?? `${name} "${t.slice(0, 40)}" is not a count`;
}

/** Reads one row into `line` (reused: the sink copies what it keeps); answers a problem or "". */
function fill(line: ActualLine, fields: string[], col: Record<CsvField, number>): string {
  const day = fields[col.date].trim();
  if (!DAY.test(day)) return `date "${day.slice(0, 40)}" is not YYYY-MM-DD`;
  const model = fields[col.model].trim();
  if (model === "") return "no model";
  const counts: Qty[] = [];
  for (const f of ["requests", "input", "cache_read", "cache_write_5m", "cache_write_1h", "output", "reasoning", "web_search"] as const) {
    const q = countAt(fields, col[f], f);
    if (typeof q === "string") return q;
    counts.push(q);
  }
  const [requests, input, cacheRead, w5, w1, output, reasoning, webSearches] = counts;
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
  if (col.billed >= 0 || col.billed_cents >= 0) {
    const cents = col.billed < 0;
    const t = fields[cents ? col.billed_cents : col.billed].trim();
    if (t !== "") {
      const q = parseQty(t, cents ? MONEY_SCALE - 2 : MONEY_SCALE, true);
      if (q === undefined) return `billed "${t.slice(0, 40)}" is not an amount`;
      billed = typeof q === "number" || !cents ? q : q.div(100);
    }
  }
  line.day = day.slice(0, 10);
  line.model = model;
  line.team = col.team < 0 ? "" : fields[col.team].trim();
  line.variant = col.batch >= 0 && TRUE.has(fields[col.batch].trim().toLowerCase()) ? "batch" : "";
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
