import { closest } from "./catalogue";
import { Dec, type Exact, Nearest, ONE, decimalOf, fromNumber, isExact } from "./decimal";
import { TlError, noResult, valueError } from "./errors";
// A cycle (the registry lists these functions): its bindings are used only when a function runs.
import { TARGETS, canonicalName } from "./registry";
import {
  MAX_COLUMNS,
  MAX_ROWS,
  type Matrix,
  type Param,
  type SheetCell,
  type SheetFunction,
  type SheetResult,
  defineFunction,
  fraction,
  isBlankFor,
  isEmpty,
  maybe,
  number,
  optional,
  parseArg,
  parseArgs,
  range,
  runAnswering,
  runParsed,
  text,
} from "./sheet";

/**
 * What Excel's Data Tables and Goal Seek would do, had they called add-in functions: any TL
 * function that answers one number, evaluated over a grid of inputs (GRID), solved for one
 * input (SOLVE), or swung one input at a time (TORNADO). Arguments are converted once and the
 * target function's `run` is called per point, so a million-cell grid stays cheap.
 */

/** Far beyond any useful table; a million decimal cells take about 250 MB. */
const MAX_CELLS = 2_000_000;

type Num = Exact;

function isNumber(r: SheetResult): r is Num {
  return isExact(r);
}

const SELF = new Set(["GRID", "SOLVE", "TORNADO"]);

/** The TL function a what-if evaluates, by name. */
function functionArg(name: string): SheetFunction {
  const canonical = canonicalName(name);
  if (SELF.has(canonical)) throw valueError("function", `${canonical} cannot be the function of GRID, SOLVE or TORNADO`);
  const fn = Object.hasOwn(TARGETS, canonical) ? TARGETS[canonical] : undefined;
  if (!fn) {
    const [near] = closest(name, Object.keys(TARGETS), 1);
    throw valueError("function", `unknown TL function "${name}"${near ? `: did you mean ${near}?` : ""}`);
  }
  return fn;
}

function notANumber(fn: SheetFunction): TlError {
  return valueError("function", `${fn.name} does not return a single number`);
}

/** One evaluation: a number, or the TlError it raised (which stays in its cell). */
function outcome(fn: SheetFunction, args: readonly unknown[]): Num | TlError {
  let result: SheetResult | TlError;
  try {
    result = runAnswering(fn, args);
  } catch (e) {
    if (e instanceof TlError) return e;
    throw e;
  }
  if (result instanceof TlError) return result;
  if (!isNumber(result)) throw notANumber(fn);
  return result;
}

/**
 * `args` read row by row; trailing blanks are omitted arguments, like any other blank. Excel may
 * hand a blank cell of the range over as 0, so a trailing 0 past the function's last argument, or
 * where the argument cannot be 0 (text, a date), is a blank too.
 */
function argsOf(fn: SheetFunction, cells: unknown[][]): unknown[] {
  const raw = cells.flat();
  const blank = (i: number) => (i < fn.params.length ? isBlankFor(fn.params[i], raw[i]) : isEmpty(raw[i]) || raw[i] === 0);
  let n = raw.length;
  while (n > 0 && blank(n - 1)) n--;
  if (n > fn.params.length) {
    throw valueError("args", `${fn.name} takes at most ${fn.params.length} arguments, got ${n}`);
  }
  return raw.slice(0, n);
}

const argNumber = (name: string) => number(name, { min: 1, whole: true });

/** A 1-based argument number as an index into the function's parameters. */
function argIndex(fn: SheetFunction, name: string, n: Dec): number {
  if (n.gt(fn.params.length)) throw valueError(name, `${fn.name} has ${fn.params.length} arguments, not ${n}`);
  return n.toNumber() - 1;
}

/** A value converted by the argument's rules, or the rule it broke (for the cells it fills). */
function parsedOrError(p: Param<unknown>, raw: unknown): unknown {
  try {
    return parseArg(p, raw);
  } catch (e) {
    if (e instanceof TlError) return e;
    throw e;
  }
}

/** The arguments that stay put, converted once; `varying` positions are left for the caller. */
function fixedArgs(fn: SheetFunction, raw: readonly unknown[], varying: readonly number[]): unknown[] {
  return fn.params.map((p, i) => (varying.includes(i) ? undefined : parseArg(p, raw[i])));
}

// --- GRID ------------------------------------------------------------------------------------

/** row_values or col_values: a row or a column, as a list. */
function valuesOf(name: string, cells: unknown[][], limit: number): unknown[] {
  if (cells.length > 1 && cells.some((row) => row.length > 1)) throw valueError(name, "must be a row or a column");
  const list = cells.flat();
  if (list.length === 0) throw valueError(name, "must hold at least one value");
  if (list.length > limit) throw valueError(name, `has ${list.length} values; a spill holds at most ${limit}`);
  return list;
}

/** A row or column value shown as given. */
function header(raw: unknown): SheetCell {
  if (typeof raw === "number") return Number.isFinite(raw) ? fromNumber(raw) : null;
  return typeof raw === "string" || typeof raw === "boolean" ? raw : null;
}

/** What a GRID's cells share: the function, its arguments, and which two vary. */
interface Grid {
  readonly fn: SheetFunction;
  readonly args: readonly unknown[];
  readonly r: number;
  readonly c: number;
}

/**
 * A GRID cell's Nearest, whose decimal path reruns the function at the cell's row and column
 * values: a cell keeps those two, not the call's closure and arguments, which the collector would
 * otherwise copy (and promote) while ten thousand cells fill.
 */
class GridNearest extends Nearest {
  constructor(
    value: number,
    private readonly grid: Grid,
    private readonly row: unknown,
    private readonly col: unknown,
  ) {
    super(value);
  }

  toDec(): Dec {
    const { fn, args, r, c } = this.grid;
    const cellArgs = [...args];
    cellArgs[r] = this.row;
    if (c >= 0) cellArgs[c] = this.col;
    return decimalOf(runParsed(fn, cellArgs) as Num);
  }
}

/** One cell's outcome, a Nearest made a GridNearest. */
function gridCell(grid: Grid, row: unknown, col: unknown): Num | TlError {
  const o = outcome(grid.fn, grid.args);
  return o instanceof Nearest ? new GridNearest(o.value, grid, row, col) : o;
}

export const GRID = defineFunction(
  "GRID",
  {
    description:
      "Spills what a What-If Data Table would, for any TL function that answers a number: the function evaluated with argument row_arg taking each of row_values down the rows and col_arg each of col_values across. An error stays in its cell.",
    result: "spill",
    returns: "A header row (the function's name, then the column values), then one row per row value.",
    help: {
      function: 'Name of a TL function that returns a number ("LLMCOST").',
      args: 'The function\'s arguments in order, as a range or array ({"anthropic/claude-sonnet-4-6",1500,300}); blanks are omitted arguments.',
      row_arg: "Which argument varies down the rows, counting from 1.",
      row_values: "Its values: a row or a column.",
      col_arg: "Which argument varies across the columns, counting from 1. Without it, one column of results.",
      col_values: "Its values: a row or a column.",
    },
  },
  [text("function"), range("args"), argNumber("row_arg"), range("row_values"), maybe(argNumber("col_arg")), maybe(range("col_values"))],
  (name, argCells, rowArg, rowCells, colArg, colCells) => {
    const fn = functionArg(name);
    const raw = argsOf(fn, argCells);
    const r = argIndex(fn, "row_arg", rowArg);
    if (colArg === undefined && colCells !== undefined) throw valueError("col_arg", "is required with col_values");
    if (colArg !== undefined && colCells === undefined) throw valueError("col_values", "is required with col_arg");
    const c = colArg === undefined ? -1 : argIndex(fn, "col_arg", colArg);
    if (c === r) throw valueError("col_arg", "must differ from row_arg");
    const rowValues = valuesOf("row_values", rowCells, MAX_ROWS - 1);
    // Without a column argument the grid is one column of results under a "result" header.
    const colValues = colCells === undefined ? undefined : valuesOf("col_values", colCells, MAX_COLUMNS - 1);
    const cells = rowValues.length * (colValues?.length ?? 1);
    if (cells > MAX_CELLS) {
      throw valueError("row_values, col_values", `${cells} cells; GRID computes at most ${MAX_CELLS}`);
    }

    const args = fixedArgs(fn, raw, [r, c]);
    const grid: Grid = { fn, args, r, c };
    const rows = rowValues.map((v) => parsedOrError(fn.params[r], v));
    const cols = colValues?.map((v) => parsedOrError(fn.params[c], v));
    const out: Matrix = [[fn.name, ...(colValues ? colValues.map(header) : ["result"])]];
    // A cell whose row and column values both broke a rule shows the earlier argument's error,
    // as the function itself would.
    const rowFirst = r < c;
    for (let i = 0; i < rows.length; i++) {
      const line: SheetCell[] = [header(rowValues[i])];
      const rv = rows[i];
      const rowError = rv instanceof TlError ? rv : undefined;
      if (!rowError) args[r] = rv;
      if (!cols) line.push(rowError ?? gridCell(grid, rv, undefined));
      else {
        for (let j = 0; j < cols.length; j++) {
          const cv = cols[j];
          if (rowError && (rowFirst || !(cv instanceof TlError))) line.push(rowError);
          else if (cv instanceof TlError) line.push(cv);
          else {
            args[c] = cv;
            line.push(gridCell(grid, rv, cv));
          }
        }
      }
      out.push(line);
    }
    return out;
  },
);

// --- SOLVE -----------------------------------------------------------------------------------

/** SOLVE's precision on the argument, relative. */
const TOLERANCE = 1e-12;
/**
 * Halving a double interval reaches adjacent doubles within about 2,100 steps from any range;
 * secant steps at most double that. The relative tolerance stops far sooner in practice.
 */
const MAX_STEPS = 4_400;

/** f(x) − target, at an argument value. */
type Gap = (x: number) => Dec;

const sameSide = (a: Dec, b: Dec) => a.isNeg() === b.isNeg();

/** Where the straight line through (a, fa) and (b, fb) crosses zero. */
function secantPoint(a: number, fa: Dec, b: number, fb: Dec): number {
  const da = fromNumber(a);
  return da.minus(fa.times(fromNumber(b).minus(da)).div(fb.minus(fa))).toNumber();
}

interface Bracket {
  a: number;
  fa: Dec;
  b: number;
  fb: Dec;
}

/**
 * Narrows a bracket whose gaps differ in sign (or one is zero: then it is done) to the tolerance:
 * secant steps, with a bisection after any step that did not halve it, so it never does worse
 * than twice bisection and lands exactly on the root of a linear function.
 */
function narrow(gap: Gap, { a, fa, b, fb }: Bracket): Bracket {
  let secant = true;
  for (let step = 0; step < MAX_STEPS && b - a > TOLERANCE * Math.max(Math.abs(a), Math.abs(b)); step++) {
    const width = b - a;
    const mid = a / 2 + b / 2;
    let x = secant ? secantPoint(a, fa, b, fb) : mid;
    if (!(x > a && x < b)) x = mid;
    if (!(x > a && x < b)) break; // a and b are adjacent doubles
    const fx = gap(x);
    if (fx.isZero()) return { a: x, fa: fx, b: x, fb: fx };
    if (sameSide(fx, fa)) [a, fa] = [x, fx];
    else [b, fb] = [x, fx];
    secant = b - a <= width / 2;
  }
  return { a, fa, b, fb };
}

/** How much wider than the final bracket the neighbourhood is that tells a jump from a slope. */
const NEIGHBOURHOOD = 1000;

/**
 * Whether f jumps past the target inside the final bracket: across a continuous crossing, f
 * changes about NEIGHBOURHOOD times more over the neighbourhood than over the bracket; across a
 * jump, about as much. Where the neighbourhood cannot be evaluated, the crossing stands.
 */
function jumps(gap: Gap, low: number, high: number, { a, fa, b, fb }: Bracket): boolean {
  const w = b - a;
  const wa = Math.max(low, a - NEIGHBOURHOOD * w);
  const wb = Math.min(high, b + NEIGHBOURHOOD * w);
  if (wb - wa <= 3 * w) return false; // the range given is itself that narrow
  try {
    return gap(wb).minus(gap(wa)).abs().lt(fb.minus(fa).abs().times(3));
  } catch (e) {
    if (e instanceof TlError) return false;
    throw e;
  }
}

/** The smallest whole value in (a, b] at which f reaches the target, f(a) not having reached it. */
function wholeRoot(gap: Gap, a: number, fa: Dec, b: number): number {
  for (;;) {
    const m = Math.floor(a / 2 + b / 2);
    if (m <= a || m >= b) return b;
    const fm = gap(m);
    if (!fm.isZero() && sameSide(fm, fa)) a = m;
    else b = m;
  }
}

/** The next double above x. */
function nextUp(x: number): number {
  if (x === 0) return Number.MIN_VALUE;
  const bits = new BigInt64Array(new Float64Array([x]).buffer);
  bits[0] += x > 0 ? 1n : -1n;
  return new Float64Array(bits.buffer)[0];
}

/** A search bound moved into the values the argument takes: the nearest it allows. */
function inside(p: Param<unknown>, x: number): number {
  let v = x;
  if (p.min !== undefined && v < p.min) v = p.min;
  if (p.above !== undefined && v <= p.above) v = p.whole ? Math.floor(p.above) + 1 : nextUp(p.above);
  if (p.max !== undefined && v > p.max) v = p.max;
  return v;
}

const shown = (d: Dec) => d.toSignificantDigits(10).toString();

export const SOLVE = defineFunction(
  "SOLVE",
  {
    description: "What Goal Seek would do: the value of one argument for which a TL function returns target.",
    result: "number",
    returns:
      "The argument's value, to a relative 1e-12; for a whole-number argument, the smallest whole value that reaches the target. #NUM! when no value in the range reaches it.",
    help: {
      function: 'Name of a TL function that returns a number ("LLMCOST").',
      args: "The function's arguments in order, as a range or array; the one solved for may be blank.",
      arg: "Which argument to solve for, counting from 1.",
      target: "The result wanted.",
      low: "Lowest value to search. Default 0. Kept within the argument's allowed values (1 year, say); a bound it excludes (utilisation 0) is approached from inside.",
      high: "Highest value to search. Default 1 for a fraction (a share or rate), else 10^15; kept within the argument's allowed values.",
    },
  },
  [text("function"), range("args"), argNumber("arg"), number("target"), maybe(number("low")), maybe(number("high"))],
  (name, argCells, argNo, target, low, high) => {
    const fn = functionArg(name);
    const raw = argsOf(fn, argCells);
    const k = argIndex(fn, "arg", argNo);
    const p = fn.params[k];
    const args = fixedArgs(fn, raw, [k]);
    // The contract's defaults, 0 and 10^15; either, or a bound given, is kept inside the argument's
    // own range (years: 1 … 16,382), and a bound it excludes (a utilisation > 0) is approached from inside.
    const lo = inside(p, low?.toNumber() ?? 0);
    const hi = inside(p, high?.toNumber() ?? (p.fraction ? 1 : 1e15));
    if (!(hi > lo)) throw valueError("high", `must be greater than low (${lo})`);

    // Every point goes through the argument's own rules, as a double: what a cell would hold.
    const gap: Gap = (x) => {
      args[k] = parseArg(p, x);
      const result = runParsed(fn, args);
      if (!isNumber(result)) throw notANumber(fn);
      return decimalOf(result).minus(target);
    };
    const fLo = gap(lo);
    if (fLo.isZero()) return fromNumber(lo);
    const fHi = gap(hi);
    if (fHi.isZero() && !p.whole) return fromNumber(hi);
    if (!fHi.isZero() && sameSide(fLo, fHi)) {
      throw noResult(
        `target: ${fn.name} goes from ${shown(fLo.plus(target))} to ${shown(fHi.plus(target))} as ${p.name} ` +
          `goes from ${lo} to ${hi}, never reaching ${target}`,
      );
    }
    if (p.whole) return fromNumber(wholeRoot(gap, lo, fLo, hi));
    const end = narrow(gap, { a: lo, fa: fLo, b: hi, fb: fHi });
    const x = end.fa.abs().lte(end.fb.abs()) ? end.a : end.b;
    if (!end.fa.isZero() && jumps(gap, lo, hi, end)) {
      throw noResult(`target: ${fn.name} jumps past ${target} at ${p.name} ≈ ${shown(fromNumber(x))}, never equal to it`);
    }
    return fromNumber(x);
  },
);

// --- TORNADO ---------------------------------------------------------------------------------

/** |high − low|; when either end is an error, that error (such rows sort last). */
function spreadOf(low: Num | TlError, high: Num | TlError): Dec | TlError {
  if (low instanceof TlError) return low;
  if (high instanceof TlError) return high;
  return decimalOf(high).minus(decimalOf(low)).abs();
}

function bySpread(a: Dec | TlError, b: Dec | TlError): number {
  if (a instanceof TlError || b instanceof TlError) return Number(a instanceof TlError) - Number(b instanceof TlError);
  return b.cmp(a);
}

export const TORNADO = defineFunction(
  "TORNADO",
  {
    description:
      "Spills a tornado table: a TL function's result with each numeric argument in turn swung down and up by swing, largest spread first.",
    result: "spill",
    returns: "A header row (argument, low, high, spread), then one row per numeric argument; spread = |high − low|.",
    help: {
      function: 'Name of a TL function that returns a number ("MONTHLYCOST").',
      args: "The function's arguments in order, as a range or array; text arguments (model, mode) stay fixed.",
      swing: "How far each argument moves, as a fraction (0.2 = ±20%). Default 0.2.",
    },
  },
  [text("function"), range("args"), optional(fraction("swing"), new Dec("0.2"))],
  (name, argCells, swing) => {
    const fn = functionArg(name);
    const raw = argsOf(fn, argCells);
    const base = parseArgs(fn, raw);
    // The function at the given arguments: its error is TORNADO's, and it must answer a number.
    if (!isNumber(runParsed(fn, base))) throw notANumber(fn);

    const factors = [ONE.minus(swing), ONE.plus(swing)];
    const rows: { cells: SheetCell[]; spread: Dec | TlError }[] = [];
    raw.forEach((value, i) => {
      const parsed = base[i];
      // Numbers only: model ids and modes are text, and a date swung by 20% means nothing.
      if (typeof value !== "number" || !(parsed instanceof Dec || typeof parsed === "number")) return;
      const p = fn.params[i];
      const [low, high] = factors.map((f) => {
        // Through the argument's rules as a double, so a swing past a bound is that cell's error.
        const swung = parsedOrError(p, fromNumber(value).times(f).toNumber());
        if (swung instanceof TlError) return swung;
        const args = base.slice();
        args[i] = swung;
        return outcome(fn, args);
      });
      const spread = spreadOf(low, high);
      rows.push({ cells: [p.name, low, high, spread], spread });
    });
    rows.sort((a, b) => bySpread(a.spread, b.spread)); // stable: ties stay in argument order
    return [["argument", "low", "high", "spread"], ...rows.map((row) => row.cells)];
  },
);
