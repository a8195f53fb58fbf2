import { type Dec, type Exact, fromNumber, isExact } from "./decimal";
import { TlError, valueError } from "./errors";

/**
 * The worksheet layer of the engine: how a function's arguments arrive from a cell (a double,
 * text, a boolean, an empty cell, a range), which rule each one obeys, and what a function
 * answers. Domain modules (pricing, caching, …) declare their worksheet functions with
 * `defineFunction`; the add-in, llmcalc and the what-if functions all call them through `invoke`,
 * so an argument is converted and checked in exactly one place.
 */

/** One cell of a spilled result. */
export type SheetCell = Exact | string | boolean | null | TlError;
export type Matrix = SheetCell[][];
export type SheetResult = Exact | string | boolean | Matrix;

/** How Excel hands the argument over: a number, text, either (`any`), or a range. */
export type ParamKind = "number" | "text" | "any" | "range";

/** Excel's grid: a spill cannot be longer or wider. */
export const MAX_ROWS = 1_048_576;
export const MAX_COLUMNS = 16_384;

export interface Param<T> {
  readonly name: string;
  readonly kind: ParamKind;
  /** A share, rate or utilisation: SOLVE searches 0 … 1 for it. */
  readonly fraction: boolean;
  /** Whole numbers only: SOLVE searches the whole numbers for it. */
  readonly whole?: boolean;
  /** The smallest and largest values it takes, where it has them: SOLVE's default range stays inside. */
  readonly min?: number;
  /** A bound it takes every value above but not itself (a utilisation > 0): SOLVE approaches it from inside. */
  readonly above?: number;
  readonly max?: number;
  readonly optional: boolean;
  readonly fallback?: T;
  /**
   * 0 is never a value here (text, a date), so a 0 is an empty cell: Excel hands some empty
   * cells over as 0 (older desktop builds for a single cell; blanks inside `any` ranges).
   */
  readonly zeroIsBlank?: boolean;
  /** Checks and converts a value that is present (not an empty cell). */
  parse(raw: unknown): T;
}

type ArgTypes<P extends readonly Param<unknown>[]> = { [K in keyof P]: P[K] extends Param<infer T> ? T : never };

/** What a function answers in a cell: one number, text or boolean, or a spilled range. */
export type ResultKind = "number" | "text" | "boolean" | "spill";

/**
 * What a user reads about a function: Excel's function wizard, the formula bar's argument
 * hints and the README's function reference are all written from it.
 */
export interface FunctionDoc {
  /** One or two sentences, at most 255 characters (Excel's limit). */
  readonly description: string;
  readonly result: ResultKind;
  /** What the result is, with its unit ("USD per request"). */
  readonly returns: string;
  /** Each parameter's help by parameter name, with its default where it is optional. */
  readonly help: Readonly<Record<string, string>>;
}

export interface SheetFunction extends FunctionDoc {
  readonly name: string;
  readonly params: readonly Param<unknown>[];
  /**
   * The formula: a result, or throws a TlError. A rule a GRID's cells may break cell after cell
   * (fractional years with a discount rate) it may answer as a TlError instead: a throw costs
   * about half a microsecond, which a GRID of such cells would pay ten thousand times. runParsed
   * throws that error, so its callers see one either way; only a GRID's cells keep it.
   */
  readonly run: (...args: never[]) => SheetResult | TlError;
}

const declared = new WeakSet<object>();

/** Whether a value is a worksheet function declared with `defineFunction`: how the registry finds them. */
export function isSheetFunction(value: unknown): value is SheetFunction {
  return typeof value === "object" && value !== null && declared.has(value);
}

/**
 * Declares a worksheet function: the one place its name, documentation, parameters and
 * formula are written. The add-in's wrappers, functions.json, llmcalc's registry and the
 * README's reference are derived from it (npm run generate).
 */
export function defineFunction<const P extends readonly Param<unknown>[]>(
  name: string,
  doc: FunctionDoc,
  params: P,
  run: (...args: ArgTypes<P>) => SheetResult | TlError,
): SheetFunction {
  const names = params.map((p) => p.name);
  const helped = Object.keys(doc.help);
  if (names.length !== helped.length || names.some((n, i) => n !== helped[i])) {
    throw new Error(`${name}: help must name the parameters in order (${names.join(", ")}), got ${helped.join(", ")}`);
  }
  const fn: SheetFunction = { name, ...doc, params, run: run as (...args: never[]) => SheetResult };
  declared.add(fn);
  return fn;
}

/** Excel passes null for an omitted optional argument and for an empty cell. */
export function isEmpty(raw: unknown): boolean {
  return raw === null || raw === undefined || raw === "";
}

/** A range of one cell stands for its value, as Excel would coerce it. */
function scalar(name: string, raw: unknown): unknown {
  if (!Array.isArray(raw)) return raw;
  if (raw.length === 1 && Array.isArray(raw[0]) && raw[0].length === 1) return raw[0][0];
  throw valueError(name, "expects a single value, not a range");
}

/**
 * Calls a worksheet function with the values Excel (or a formula engine) handed over.
 * Throws TlError for every broken rule; the callers map it to their error form.
 */
export function invoke(fn: SheetFunction, raw: ArrayLike<unknown>): SheetResult {
  return runParsed(fn, parseArgs(fn, raw));
}

/** Whether a value stands for an empty cell where `p` is concerned. */
export function isBlankFor(p: Param<unknown>, raw: unknown): boolean {
  return isEmpty(raw) || (p.zeroIsBlank === true && raw === 0);
}

/** One argument as `run` takes it: converted and checked, or its default when the cell is empty. */
export function parseArg(p: Param<unknown>, raw: unknown): unknown {
  if (!isBlankFor(p, raw)) return p.parse(raw);
  if (!p.optional) throw valueError(p.name, "is required");
  return p.fallback;
}

/** Every argument as `run` takes it. GRID, SOLVE and TORNADO parse once and run many times. */
export function parseArgs(fn: SheetFunction, raw: ArrayLike<unknown>): unknown[] {
  const { params } = fn;
  if (raw.length > params.length) {
    throw valueError(fn.name, `takes at most ${params.length} arguments, got ${raw.length}`);
  }
  const args = new Array<unknown>(params.length);
  for (let i = 0; i < params.length; i++) args[i] = parseArg(params[i], raw[i]);
  return args;
}

/** Runs a function on arguments `parseArgs` (or `parseArg`) produced; an error it answers is thrown. */
export function runParsed(fn: SheetFunction, args: readonly unknown[]): SheetResult {
  const result = runAnswering(fn, args);
  if (result instanceof TlError) throw result;
  return result;
}

/** runParsed for a GRID's cell: an error the function answers stays an answer. */
export function runAnswering(fn: SheetFunction, args: readonly unknown[]): SheetResult | TlError {
  return Reflect.apply(fn.run, undefined, args);
}

// --- parameter kinds -------------------------------------------------------------------------

/** A required parameter; `optional` and `maybe` make one optional. */
function param<T>(
  name: string,
  kind: ParamKind,
  parse: (raw: unknown) => T,
  flags: { fraction?: boolean; whole?: boolean; min?: number; above?: number; max?: number } = {},
): Param<T> {
  const { fraction = false, whole = false, min, above, max } = flags;
  return { name, kind, fraction, whole, min, above, max, optional: false, parse };
}

export interface NumberRule {
  /** Inclusive lower bound. */
  min?: number;
  /** Exclusive lower bound. */
  above?: number;
  /** Inclusive upper bound. */
  max?: number;
  whole?: boolean;
  fraction?: boolean;
}

function describe(value: unknown): string {
  if (typeof value === "string") return `text "${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (value === null || value === undefined) return "a blank cell";
  return typeof value;
}

function finite(name: string, raw: unknown): number {
  const v = scalar(name, raw);
  if (typeof v !== "number") throw valueError(name, `must be a number, got ${describe(v)}`);
  if (!Number.isFinite(v)) throw valueError(name, "must be a finite number");
  return v;
}

/**
 * A number checked by its rule on the double, before any decimal is made: the double's shortest
 * text rounds to it, so it compares with a bound (a double) as the decimal would, and it is whole
 * exactly when that text is.
 */
function checked(name: string, rule: NumberRule, raw: unknown): number {
  const v = finite(name, raw);
  if (rule.min !== undefined && v < rule.min) throw valueError(name, `must be ≥ ${rule.min}`);
  if (rule.above !== undefined && v <= rule.above) throw valueError(name, `must be > ${rule.above}`);
  if (rule.max !== undefined && v > rule.max) throw valueError(name, `must be ≤ ${rule.max}`);
  if (rule.whole && !Number.isInteger(v)) throw valueError(name, "must be a whole number");
  return v;
}

export function number(name: string, rule: NumberRule = {}): Param<Dec> {
  return param(name, "number", (raw) => fromNumber(checked(name, rule, raw)), rule);
}

/**
 * A number kept as the double Excel sent, checked by the same rules, for the hot paths that price
 * doubles in exact integer arithmetic and turn anything else into decimals themselves.
 */
export function double(name: string, rule: NumberRule = {}): Param<number> {
  return param(name, "number", (raw) => checked(name, rule, raw), rule);
}

/** A token count as a double (≥ 0, finite): LLMCOST's and MONTHLYCOST's counts. */
export const count = (name: string) => double(name, { min: 0 });

/** Token counts: ≥ 0, fractions allowed (they are often averages). */
export const tokens = (name: string) => number(name, { min: 0 });
/** Money, prices, rates that cannot be negative. */
export const nonNegative = (name: string) => number(name, { min: 0 });
export const positive = (name: string) => number(name, { above: 0 });
/** A share, rate or utilisation from 0 to 1. */
export const fraction = (name: string) => number(name, { min: 0, max: 1, fraction: true });

export function text(name: string): Param<string> {
  return textAs(name, (v) => v);
}

/** A text argument converted as it arrives: a model id to its model, a TTL word to minutes. */
export function textAs<T>(name: string, convert: (text: string) => T): Param<T> {
  const p = param(name, "text", (raw) => {
    const v = scalar(name, raw);
    if (typeof v !== "string") throw valueError(name, `must be text, got ${describe(v)}`);
    return convert(v);
  });
  return { ...p, zeroIsBlank: true };
}

/** A range (or array constant) as rows of cells; a single value is a 1 × 1 range. */
export function range(name: string): Param<unknown[][]> {
  return param(name, "range", (raw) => {
    if (!Array.isArray(raw)) return [[raw]];
    if (!raw.every(Array.isArray)) throw valueError(name, "must be a range");
    if (raw.length === 0 || raw[0].length === 0) throw valueError(name, "must not be an empty range");
    return raw as unknown[][];
  });
}

/**
 * TRUE or FALSE. A number counts as Excel counts it (0 is FALSE, any other TRUE), since an
 * empty cell may arrive as 0.
 */
export function flag(name: string): Param<boolean> {
  return param(name, "any", (raw) => {
    const v = scalar(name, raw);
    if (typeof v === "boolean") return v;
    if (typeof v === "number" && Number.isFinite(v)) return v !== 0;
    throw valueError(name, `must be TRUE or FALSE, got ${describe(v)}`);
  });
}

/** Any single value as Excel sent it: text, or a finite number kept as its double (for hot paths, as `double`). */
export function doubleOrText(name: string): Param<number | string> {
  return param(name, "any", (raw) => {
    const v = scalar(name, raw);
    return typeof v === "string" ? v : finite(name, v);
  });
}

/** Any single value: a number or text (a model id or an explicit price, say). */
export function value(name: string): Param<Dec | string> {
  const given = doubleOrText(name);
  return param(name, "any", (raw) => {
    const v = given.parse(raw);
    return typeof v === "string" ? v : fromNumber(v);
  });
}

export function optional<T>(param: Param<T>, fallback: T): Param<T> {
  return { ...param, optional: true, fallback };
}

/** Optional with no default value: the function decides (e.g. `kw` required only for a capex number). */
export function maybe<T>(param: Param<T>): Param<T | undefined> {
  return { ...param, optional: true, fallback: undefined } as Param<T | undefined>;
}

/**
 * A workbook counts dates from 1900 (Windows' default) or from 1904 (older Mac workbooks, and
 * any workbook with "Use 1904 date system" ticked): the same serial is 1,462 days later in 1904.
 * The add-in sets the open workbook's system; llmcalc and tests stay on 1900.
 */
export type DateSystem = 1900 | 1904;
let system: DateSystem = 1900;
/** 1904-01-01 as a 1900-system serial. */
const DAYS_1900_TO_1904 = 1_462;
/** 9999-12-31 is serial 2,958,465 in 1900. */
const LAST_SERIAL_1900 = 2_958_465;

export function setDateSystem(next: DateSystem): void {
  system = next;
}

export function dateSystem(): DateSystem {
  return system;
}

/** Days from Excel's day 0 (1900 date system, with its phantom 29 February 1900) to an ISO date. */
function serialToIso(serial1900: number): string {
  const days = Math.floor(serial1900);
  const epoch = Date.UTC(1899, 11, days >= 61 ? 30 : 31);
  return new Date(epoch + days * 86_400_000).toISOString().slice(0, 10);
}

/** A serial of the workbook's date system as a 1900 serial, or undefined outside 1900-01-01 … 9999-12-31. */
function as1900(serial: number): number | undefined {
  const s = system === 1904 ? serial + DAYS_1900_TO_1904 : serial;
  return Number.isFinite(s) && s >= 1 && s < LAST_SERIAL_1900 + 1 ? s : undefined;
}

/**
 * Dates read lately, by 1900 serial day or by text: a sheet passes the same few dates over and
 * over, and reading one through Date costs more than the rest of a call. Bounded: emptied when full.
 */
const datesRead = new Map<number | string, string>();
const MAX_DATES_READ = 4096;

/** A date cell's value as YYYY-MM-DD, or undefined when it is not a date. */
function isoDate(v: unknown): string | undefined {
  let key: number | string;
  if (typeof v === "number") {
    const serial = as1900(v);
    if (serial === undefined) return undefined;
    key = Math.floor(serial);
  } else if (typeof v === "string") key = v;
  else return undefined;
  let iso = datesRead.get(key);
  if (iso === undefined) {
    if (typeof key === "number") iso = serialToIso(key);
    else if (/^\d{4}-\d{2}-\d{2}$/.test(key) && !Number.isNaN(Date.parse(key))) iso = key;
    else return undefined;
    if (datesRead.size >= MAX_DATES_READ) datesRead.clear();
    datesRead.set(key, iso);
  }
  return iso;
}

/** A date: an Excel date serial (in the workbook's date system), or text written YYYY-MM-DD. Answers YYYY-MM-DD. */
export function date(name: string): Param<string> {
  const p = param(name, "any", (raw) => {
    const iso = isoDate(scalar(name, raw));
    if (iso === undefined) throw valueError(name, "must be a date (an Excel date or text YYYY-MM-DD)");
    return iso;
  });
  return { ...p, zeroIsBlank: true };
}

/** A column (or row) of numbers, and the shape an answer beside it takes. */
/** A column (or row) of cells, and the shape its spilled answer takes. */
export interface Series {
  readonly name: string;
  readonly cells: readonly unknown[];
  /** Cells up to the last one filled in: the rows of data. */
  readonly filled: number;
  readonly isRow: boolean;
}

/**
 * Reads a column or row. Cells after the last one filled in are rows not filled in yet (a month
 * laid out ahead, a reference longer than the data). With `zeroIsBlank`, a trailing 0 counts as
 * not filled in too, because Excel may hand a blank cell of a range over as 0: right where 0
 * cannot be real data at the end (spend, use), wrong where it can (a demand curve's quiet hour).
 */
export function series(name: string, cells: unknown[][], { zeroIsBlank = false } = {}): Series {
  const isRow = cells.length === 1 && cells[0].length > 1;
  if (!isRow && cells.some((row) => row.length !== 1)) throw valueError(name, "must be a single column or row");
  const flat = isRow ? cells[0] : cells.map((row) => row[0]);
  let filled = flat.length;
  while (filled > 0 && (isEmpty(flat[filled - 1]) || (zeroIsBlank && flat[filled - 1] === 0))) filled--;
  return { name, cells: flat, filled, isRow };
}

/**
 * The first `n` cells as numbers. A blank among them is an error, because reading it as 0 would
 * quietly shift spend or usage between rows; past the series' own data it is named against
 * `other`, the series that has a number there.
 */
export function numbers(s: Series, n: number, rule: NumberRule, other?: string): Dec[] {
  return s.cells.slice(0, n).map((c, i) => {
    if (!isEmpty(c)) return number(`${s.name}, cell ${i + 1}`, rule).parse(c);
    if (i >= s.filled && other) throw valueError(s.name, `cell ${i + 1} is blank, but ${other} has a number there`);
    throw valueError(s.name, `cell ${i + 1} is blank (enter 0 if that is the value)`);
  });
}

// --- results at the boundary ---------------------------------------------------------------

/** A result as Excel or JSON takes it: decimals become the nearest double; errors stay errors. */
export type PlainCell = number | string | boolean | null | TlError;
export type PlainResult = number | string | boolean | PlainCell[][];

const TOO_LARGE = new TlError("NUM", "the result is too large for a spreadsheet number");

/** The nearest double; a decimal beyond the double range is `#NUM!`, never ±Infinity. */
function plainNumber(d: Exact): number | TlError {
  const n = d.toNumber();
  return Number.isFinite(n) ? n : TOO_LARGE;
}

function plainCell(c: SheetCell): PlainCell {
  return isExact(c) ? plainNumber(c) : c;
}

/** Throws for a scalar that does not fit a double; such a cell of a spill becomes an error cell. */
export function toPlain(result: SheetResult): PlainResult {
  if (Array.isArray(result)) return result.map((row) => row.map(plainCell));
  if (!isExact(result)) return result;
  const n = plainNumber(result);
  if (typeof n !== "number") throw n;
  return n;
}
