import {
  type CompiledHardware,
  type CompiledModel,
  activeCatalogue,
  componentPrice,
  hardwareNamed,
  modelArg,
  normalise,
  ratesFor,
  resolvedRate,
} from "./catalogue";
import {
  Dec,
  Fixed,
  HOURS_PER_YEAR,
  MAX_FIXED_SCALE,
  MILLION,
  type Nearest,
  nearest,
  ONE,
  POW10,
  ZERO,
  addFixed,
  fixedOf,
  fixedOfDec,
  shortFixedOf,
  fromNumber,
  sum,
  timesFixed,
  DECIMAL_STEP,
} from "./decimal";
import * as dd from "./doubledouble";
import { TlError, noResult, valueError } from "./errors";
import {
  MAX_COLUMNS,
  type FunctionDoc,
  type Matrix,
  type Param,
  count,
  defineFunction,
  double,
  doubleOrText,
  fraction,
  isEmpty,
  maybe,
  nonNegative,
  optional,
  positive,
  range,
  numbers,
  series,
  textAs,
  value,
} from "./sheet";
import { ByTwoKeys, Kept, LastKeys, Recent } from "./recent";
import { WIDE_ZERO, Wide, WideAcc, type WideValue, exactOfWide, fixedOfWide, nearestOf, nearestQuotient, wideOf } from "./wide";

/**
 * Self-hosting economics: what owning a GPU node costs over its life (by line and year), what
 * renting it costs, what a token costs at a throughput and utilisation, where self-hosting breaks
 * even with an API, how many units a peak needs, and a roofline bound on decode throughput.
 */

const MONTHS_PER_YEAR = new Dec(12);
const SECONDS_PER_HOUR = new Dec(3600);
const BILLION = new Dec("1e9");
/** TB/s and TFLOPS are powers of ten (functions.md, Conventions). */
const TERA = new Dec("1e12");

/** Excel's column limit: the breakdown spills a label column, a column a year and a total. */
const MAX_YEARS = MAX_COLUMNS - 2;

/** A share in (0, 1]: zero would divide by zero (utilisation, efficiency). */
const share = (name: string) => double(name, { above: 0, max: 1, fraction: true });

/** Runs `f`, naming `arg` in front of any error's message (lookups do not know which argument asked). */
function naming<T>(arg: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw named(arg, e);
  }
}

function named(arg: string, e: unknown): unknown {
  return e instanceof TlError ? new TlError(e.kind, `${arg}: ${e.message}`) : e;
}

/** Hardware by catalogue id; an unknown id is `#N/A` naming the argument, with the closest ids. */
function hardwareIn(arg: string, id: string): CompiledHardware {
  // As naming() does, without a closure: GPU_TCO's fast path asks on every call.
  try {
    return hardwareNamed(id);
  } catch (e) {
    throw named(arg, e);
  }
}

/** An explicit amount given where a catalogue id could have been. */
function amount(arg: string, d: Dec): Dec {
  if (d.isNeg()) throw valueError(arg, "must be ≥ 0 (or a catalogue id)");
  return d;
}

// --- total cost of ownership -------------------------------------------------------------------

export const TCO_LINES = ["capex", "power", "colo", "maintenance", "ops"] as const;
export type TcoLine = (typeof TCO_LINES)[number];

export interface TcoInputs {
  readonly capex: Dec;
  /** Whole years ≥ 1: the breakdown has one column a year. */
  readonly years: number;
  readonly kw: Dec;
  readonly powerPriceKwh: Dec;
  readonly pue: Dec;
  readonly coloPerKwMonth: Dec;
  readonly maintenancePerYear: Dec;
  readonly opsPerYear: Dec;
  readonly annualEscalation: Dec;
  readonly residual: Dec;
  readonly loadFactor: Dec;
  readonly discountRate: Dec;
}

/** Each line's cost in year 1 … N; present values when there is a discount rate. */
export type TcoBreakdown = Readonly<Record<TcoLine, readonly Dec[]>>;

/**
 * base^0 … base^n by repeated multiplication: exact while the powers fit 34 digits, and one
 * multiplication a year rather than a power each, for long horizons.
 */
function powers(base: Dec, n: number): Dec[] {
  const out = [ONE];
  for (let k = 1; k <= n; k++) out.push(out[k - 1].times(base));
  return out;
}

/**
 * The capex line. Undiscounted: straight line, (capex − residual) ÷ N a year. With a discount
 * rate r the cash flows are capex at the start and the residual back at the end of year N, which
 * add capex − residual ÷ (1+r)^N to the present value; the line spreads that as the equivalent
 * annual cost (the level yearly charge that repays it at r), each year's charge discounted by
 * (1+r)^k like the running lines. So the row sums to the capex's present value, years stay
 * comparable with the running lines, and as r → 0 it becomes the straight line.
 * `growth[k]` is (1+r)^k.
 */
function capexLine(t: TcoInputs, growth: readonly Dec[]): Dec[] {
  const years = t.years;
  // r = 0, or too small to move a 34-digit factor (1 + 1e-40 is 1): no discounting.
  if (growth[1].eq(ONE)) return new Array<Dec>(years).fill(t.capex.minus(t.residual).div(years));
  const gN = growth[years];
  // PV of year k's charge = (capex·g^N − residual) · r ÷ ((g^N − 1) · g^k): one division.
  const numerator = t.capex.times(gN).minus(t.residual).times(t.discountRate);
  const annuity = gN.minus(ONE);
  return growth.slice(1).map((gk) => numerator.div(annuity.times(gk)));
}

/** The one TCO computation; GPU_TCO, GPU_TCO_LINES and GPU_HOURLY are views of it. */
export function tcoBreakdown(t: TcoInputs): TcoBreakdown {
  if (t.residual.gt(t.capex)) throw valueError("residual", `must not exceed the capex (${t.capex})`);
  const escalation = powers(ONE.plus(t.annualEscalation), t.years - 1);
  const growth = powers(ONE.plus(t.discountRate), t.years);
  // A running line: `first` in year 1, × (1+e)^(k−1) in year k, discounted by (1+r)^k. A factor
  // of 1 is skipped: x × 1 and x ÷ 1 give x back unchanged (x already has at most 34 digits), and
  // the divisions, the costliest step, are then only paid with a discount rate.
  const flat = escalation.length < 2 || escalation[1].eq(ONE);
  const undiscounted = growth[1].eq(ONE);
  const running = (first: Dec) =>
    escalation.map((e, i) => {
      const escalated = flat ? first : first.times(e);
      return undiscounted ? escalated : escalated.div(growth[i + 1]);
    });
  return {
    capex: capexLine(t, growth),
    power: running(t.kw.times(t.loadFactor).times(t.pue).times(HOURS_PER_YEAR).times(t.powerPriceKwh)),
    // Colo bills the provisioned kW, whatever the draw.
    colo: running(t.kw.times(t.coloPerKwMonth).times(MONTHS_PER_YEAR)),
    maintenance: running(t.maintenancePerYear),
    ops: running(t.opsPerYear),
  };
}

/** Every line's cost in each year. */
export function yearTotals(b: TcoBreakdown): Dec[] {
  return b.capex.map((_, i) => sum(TCO_LINES.map((line) => b[line][i])));
}

export function tcoTotal(b: TcoBreakdown): Dec {
  return sum(yearTotals(b));
}

/** The spilled table: header row, one row a line, a total row; a total column. */
export function tcoTable(b: TcoBreakdown): Matrix {
  const header = ["line", ...b.capex.map((_, i) => `year ${i + 1}`), "total"];
  const row = (label: string, cells: Dec[]) => [label, ...cells, sum(cells)];
  return [header, ...TCO_LINES.map((line) => row(line, [...b[line]])), row("total", yearTotals(b))];
}

/** The TCO arguments, in the contract's order; `assumptions` rows may name any of them. */
/** The numbers stay the doubles Excel sent, for GPU_TCO's hot path; tcoInputs makes decimals of them. */
const TCO_ARGS = {
  hardware_or_capex: value("hardware_or_capex"),
  years: double("years", { min: 1, max: MAX_YEARS, whole: true }),
  kw: maybe(double("kw", { min: 0 })),
  power_price_kwh: optional(double("power_price_kwh", { min: 0 }), 0.1),
  pue: optional(double("pue", { min: 1 }), 1.4),
  colo_per_kw_month: optional(double("colo_per_kw_month", { min: 0 }), 0),
  maintenance_per_year: optional(double("maintenance_per_year", { min: 0 }), 0),
  ops_per_year: optional(double("ops_per_year", { min: 0 }), 0),
  annual_escalation: optional(double("annual_escalation", { min: -1 }), 0),
};

/** What only `assumptions` can set. */
const ASSUMPTION_ONLY = {
  residual: optional(double("residual", { min: 0 }), 0),
  load_factor: optional(double("load_factor", { min: 0, max: 1, fraction: true }), 1),
  discount_rate: optional(double("discount_rate", { above: -1 }), 0),
};

const SETTINGS = { ...TCO_ARGS, ...ASSUMPTION_ONLY };
type SettingName = keyof typeof SETTINGS;
type Settings = { [K in SettingName]: (typeof SETTINGS)[K] extends Param<infer T> ? T : never };

/** Assumption names as a finance sheet may label them: case, spaces and underscores alike. */
const SETTING_NAMES = new Map(Object.keys(SETTINGS).map((name) => [normalise(name), name as SettingName]));
/** One bit a setting, for the names a block has given. */
const SETTING_BITS = new Map(Object.keys(SETTINGS).map((name, i) => [name as SettingName, 1 << i]));

/** Labels as written, and the setting each names: a workbook's blocks repeat a few. Bounded: emptied when full. */
const labelled = new Map<string, SettingName>();

function settingNamed(label: string): SettingName | undefined {
  let name = labelled.get(label);
  if (name === undefined) {
    name = SETTING_NAMES.get(normalise(label));
    if (name !== undefined) {
      if (labelled.size >= 256) labelled.clear();
      labelled.set(label, name);
    }
  }
  return name;
}

/**
 * Applies a two-column name/value block over the arguments. Blank rows (spacers) and blank
 * values leave the argument as it was; an unknown or repeated name is `#VALUE!` naming it.
 */
function applyAssumptions(settings: Settings, rows: unknown[][]): void {
  let parsed = rows === lastBlock ? lastParsed : assumptionBlocks.get(rows);
  if (!parsed) assumptionBlocks.set(rows, (parsed = parsedAssumptions(rows)));
  lastBlock = rows;
  lastParsed = parsed;
  for (const [name, value] of parsed) (settings as Record<SettingName, unknown>)[name] = value;
}

/** Assumption blocks as read, by the range handed over: a GRID hands one block to every cell (the last, found without the map). */
const assumptionBlocks = new WeakMap<unknown[][], [SettingName, unknown][]>();
let lastBlock: unknown[][] | undefined;
let lastParsed: [SettingName, unknown][] | undefined;

function parsedAssumptions(rows: unknown[][]): [SettingName, unknown][] {
  const parsed: [SettingName, unknown][] = [];
  let seen = 0;
  for (const row of rows) {
    if (row.length !== 2) throw valueError("assumptions", "must be two columns: name, value");
    const label = row[0];
    const raw = row[1];
    if (isEmpty(label) && isEmpty(raw)) continue;
    const name = typeof label === "string" ? settingNamed(label) : undefined;
    if (!name) {
      const shown = isEmpty(label) ? "(blank)" : JSON.stringify(label);
      throw valueError("assumptions", `unknown name ${shown} (use ${[...SETTING_NAMES.values()].join(", ")})`);
    }
    const bit = SETTING_BITS.get(name) as number;
    if (seen & bit) throw valueError("assumptions", `${name} is given twice`);
    seen |= bit;
    if (!isEmpty(raw)) parsed.push([name, parsedSetting(name, raw)]);
  }
  return parsed;
}

function parsedSetting(name: SettingName, raw: unknown): unknown {
  try {
    return SETTINGS[name].parse(raw);
  } catch (e) {
    throw named("assumptions", e);
  }
}

/** With a catalogue id, capex and kW come from the catalogue (kW overridable); with a capex number, kW is required. */
function tcoInputs(s: Settings): TcoInputs {
  let capex: Dec;
  let kw = s.kw === undefined ? undefined : fromNumber(s.kw);
  if (typeof s.hardware_or_capex === "string") {
    const hw = hardwareIn("hardware_or_capex", s.hardware_or_capex);
    capex = hw.capex;
    kw ??= hw.kw;
  } else {
    capex = amount("hardware_or_capex", s.hardware_or_capex);
  }
  if (kw === undefined) throw valueError("kw", "is required when hardware_or_capex is a capex number");
  return {
    capex,
    years: s.years,
    kw,
    powerPriceKwh: fromNumber(s.power_price_kwh),
    pue: fromNumber(s.pue),
    coloPerKwMonth: fromNumber(s.colo_per_kw_month),
    maintenancePerYear: fromNumber(s.maintenance_per_year),
    opsPerYear: fromNumber(s.ops_per_year),
    annualEscalation: fromNumber(s.annual_escalation),
    residual: fromNumber(s.residual),
    loadFactor: fromNumber(s.load_factor),
    discountRate: fromNumber(s.discount_rate),
  };
}

/**
 * A decimal (a catalogue capex, kW or rental rate; a Decimal fromNumber keeps) as an exact Wide,
 * worked out once per Decimal; null when it has none.
 */
const widesOfDec = new WeakMap<Dec, Wide | null>();

function wideOfDec(d: Dec): Wide | undefined {
  let w = widesOfDec.get(d);
  if (w === undefined) {
    const candidate = wideOf(d.toNumber());
    widesOfDec.set(d, (w = candidate?.toDec().eq(d) ? candidate : null));
  }
  return w ?? undefined;
}

/** The catalogue entry's capex and kW as Wides for the id and catalogue last asked (a GRID's cells share them). */
const HARDWARE_FOR = new LastKeys();
let lastHardware: { capex?: Wide; kw?: Wide } | undefined;

function hardwareWidesOf(id: string): { capex?: Wide; kw?: Wide } {
  if (HARDWARE_FOR.changed(id, activeCatalogue())) lastHardware = undefined;
  // An unknown id throws, and is looked up (and throws) again next time, as the decimal path would.
  lastHardware ??= wideHardware(hardwareIn("hardware_or_capex", id));
  return lastHardware;
}

/** A hardware entry's capex and kW as Wides, worked out once per entry. */
const hardwareWides = new WeakMap<CompiledHardware, { capex?: Wide; kw?: Wide }>();

function wideHardware(hw: CompiledHardware): { capex?: Wide; kw?: Wide } {
  let w = hardwareWides.get(hw);
  if (!w) hardwareWides.set(hw, (w = { capex: wideOfDec(hw.capex), kw: wideOfDec(hw.kw) }));
  return w;
}

/** u², u = 2^−53: the unit of doubledouble.ts's error bounds. */
const U2 = 2 ** -106;
/** Past this, a double-double's products may overflow Dekker's 2^996 (or its inverse, fall to subnormals). */
const HUGE = 2 ** 900;

/** The TCO total as a double-double hi + lo, after ddTotal. */
const TOTAL = new Float64Array(2);

/**
 * The TCO total in double-double into TOTAL, for GPU_TCO's and GPU_HOURLY's fast paths: with
 * e = 1 + escalation, g = 1 + discount rate (1 when none), P = Σ_k e^(k−1) ÷ g^k (k = 1 … N) and
 * R year 1's running lines (power + colo + maintenance + ops), it is capex − residual ÷ g^N (net
 * capex exactly, undiscounted) + R × P. Answers the relative bound within which both it and the
 * decimal path's total lie, or undefined (an error due, which the decimal path reports; an input
 * with no exact form; a value out of double-double's range).
 *
 * With the same inputs and no error due, the decimal path's lines are non-negative (a discount
 * rate below 0 is left to it), so its sums never cancel. Discounted, capex − residual ÷ g^N may:
 * an error in residual ÷ g^N (at most capex ÷ g^N) or in capex is at most c = g^N ÷ (g^N − 1)
 * times as large relative to the difference (1 undiscounted: net capex is exact).
 * - This path, in u² (higher-order terms are far below u², covered by rounding up): each input's
 *   exact decimal as a double-double within 7 (ddOf); the power line, four inputs and three
 *   products and × 8,760 (mulFp, 3), within 52; colo's kW × colo × 12 within 24, maintenance +
 *   ops within 10 (sums of positive terms add 3), the three within 27; R within 55; P (SeriesTable) within
 *   43N + 27 and g^−N within 27N; R × P within 43N + 89; capex − residual ÷ g^N within
 *   (27N + 21)·c + 3; the total within (43N + 92)·c.
 * - The decimal path, in its rounding unit 5 × 10^−34 (half a DECIMAL_STEP), each step rounded
 *   once: its powers of e and g are k products of a rounded 1 + escalation or 1 + rate, within 2k.
 *   Year k's running lines: year 1's (4 products at most) × e^(k−1), ÷ g^k: 4N + 4. Discounted
 *   capex: capex·g^N (2N + 1) − residual, then × rate, within (2N + 1)·c + 2; g^N − 1 within
 *   2N·c + 1; year k's charge divides them by (g^N − 1)·g^k: (4N + 1)·c + 2N + 5; undiscounted, a
 *   straight line (2). Each year's sum of five positive lines 4, the sum of the years N − 1, each
 *   relative to a partial sum below the total: under (4N + 10)·c DECIMAL_STEPs in all.
 *
 * What a cell shares with its neighbours (the series, each line's year 1, capex's terms) is kept,
 * so a GRID's cell works out little more than what varies: a few double-double operations.
 */
function ddTotal(s: Settings): number | undefined {
  const rate = s.discount_rate;
  if (rate < 0) return undefined;
  let capex: Wide | undefined;
  let kw: Wide | number | undefined = s.kw;
  if (typeof s.hardware_or_capex === "string") {
    const hw = hardwareWidesOf(s.hardware_or_capex);
    capex = hw.capex;
    kw ??= hw.kw;
  } else {
    capex = s.hardware_or_capex.isNeg() ? undefined : wideOfDec(s.hardware_or_capex);
  }
  if (!capex || kw === undefined) return undefined;
  const table = SERIES.get(s.annual_escalation, rate, newSeriesTable);
  const n = table.year(s.years);
  if (n < 0) return undefined;
  const terms = CAPEX.get(capex, s.residual, capexTerms);
  const power = powerLine(PER_PRICE.answer(perPrice, kw, s.load_factor, s.pue) as PerPrice, s.power_price_kwh);
  const colo = s.colo_per_kw_month;
  const maintenance = s.maintenance_per_year;
  const ops = s.ops_per_year;
  const others = otherLines(kw, colo, maintenance, ops);
  // A line without an exact form is NaN, and so is what it is added to.
  let cancelling = 1;
  let capexHi = terms[4];
  let capexLo = terms[5];
  if (table.discounted) {
    const inverseHi = table.inverse[n];
    // c = 1 ÷ (1 − g^−N), with room for g^−N's error; past 10^12 nothing would be decided.
    const shrink = 1 - inverseHi;
    if (!(shrink >= 1e-12)) return undefined;
    cancelling = 1.01 / shrink;
    dd.mul(terms[2], terms[3], inverseHi, table.inverse[n + 1]);
    dd.add(terms[0], terms[1], -dd.out.hi, -dd.out.lo);
    capexHi = dd.out.hi;
    capexLo = dd.out.lo;
  }
  dd.add(power[0], power[1], others[0], others[1]);
  dd.mul(dd.out.hi, dd.out.lo, table.p[n], table.p[n + 1]);
  dd.add(dd.out.hi, dd.out.lo, capexHi, capexLo);
  TOTAL[0] = dd.out.hi;
  TOTAL[1] = dd.out.lo;
  // Zero (no costs), a total out of range and NaN are left to the decimal path.
  if (!(TOTAL[0] > 1 / HUGE && TOTAL[0] < HUGE)) return undefined;
  const years = s.years;
  return cancelling * ((4 * years + 10) * DECIMAL_STEP + (43 * years + 92) * U2);
}

/** How many of a kind the fast paths' memories keep before they let all go. */
const MAX_KEPT = 4096;

/**
 * Capex, the residual and net capex (capex − residual, exactly) as double-doubles, by capex and
 * residual: a sheet's cells mostly share a few, and a GRID along the capex finds each column's again.
 */
const CAPEX = new ByTwoKeys<Float64Array>(MAX_KEPT);

/** NaN when the residual exceeds the capex (the decimal path's error) or an input has no exact form. */
function capexTerms(capex: Wide, residual: number): Float64Array {
  const terms = new Float64Array(6).fill(Number.NaN);
  const net = WIDE.set(capex).minusDouble(residual);
  if (!net.ok || net.hi < 0) return terms;
  ddOf(net);
  terms[4] = dd.out.hi;
  terms[5] = dd.out.lo;
  ddOf(WIDE.set(capex));
  terms[0] = dd.out.hi;
  terms[1] = dd.out.lo;
  // The residual has an exact form: net capex had.
  ddInto(residual);
  terms[2] = dd.out.hi;
  terms[3] = dd.out.lo;
  return terms;
}

/**
 * Year 1's power line at 1 USD/kWh (kW × load factor × PUE × 8,760) for the last few asked, and
 * the line at each price asked with it: a GRID along the price finds each column's again.
 */
interface PerPrice {
  readonly hi: number;
  readonly lo: number;
  /** Bounded: emptied past MAX_KEPT. */
  readonly byPrice: Map<number, Float64Array>;
}

const PER_PRICE = new Recent<PerPrice>(4);

function perPrice(kw: Wide | number, load: number, pue: number): PerPrice {
  const line = new Float64Array([ddInto(kw) ? dd.out.hi : Number.NaN, dd.out.lo]);
  times(line, load);
  times(line, pue);
  dd.mulFp(line[0], line[1], 8760);
  return { hi: dd.out.hi, lo: dd.out.lo, byPrice: new Map() };
}

function powerLine(per: PerPrice, price: number): Float64Array {
  let line = per.byPrice.get(price);
  if (!line) {
    if (per.byPrice.size >= MAX_KEPT) per.byPrice.clear();
    line = new Float64Array([per.hi, per.lo]);
    times(line, price);
    per.byPrice.set(price, line);
  }
  return line;
}

/**
 * Year 1's other running lines, kW × colo × 12 + (maintenance + ops): kW and maintenance + ops as
 * double-doubles for the last few kW, maintenance and ops asked, and the lines at each colo asked
 * with them once found again (a GRID along the colo finds each column's; one along the
 * maintenance or ops keeps nothing).
 */
interface Running {
  kwHi: number;
  kwLo: number;
  fixedHi: number;
  fixedLo: number;
  /** Bounded: emptied past MAX_KEPT. */
  readonly byColo: Map<number, Float64Array>;
}

const RUNNING = new Kept<Running>(4, () => ({ kwHi: 0, kwLo: 0, fixedHi: 0, fixedLo: 0, byColo: new Map() }));
const WORKING_LINES = new Float64Array(2);

function otherLines(kw: Wide | number, colo: number, maintenance: number, ops: number): Float64Array {
  let running = RUNNING.find(kw, maintenance, ops);
  if (!running) {
    running = RUNNING.claim(kw, maintenance, ops);
    runningFor(running, kw, maintenance, ops);
    return linesAt(running, colo, WORKING_LINES);
  }
  let lines = running.byColo.get(colo);
  if (!lines) {
    if (running.byColo.size >= MAX_KEPT) running.byColo.clear();
    running.byColo.set(colo, (lines = linesAt(running, colo, new Float64Array(2))));
  }
  return lines;
}

/** NaN where an input has no exact form. */
function runningFor(running: Running, kw: Wide | number, maintenance: number, ops: number): void {
  // Clearing allocates a new table: not for every cell of a GRID along the maintenance or ops.
  if (running.byColo.size > 0) running.byColo.clear();
  running.kwHi = ddInto(kw) ? dd.out.hi : Number.NaN;
  running.kwLo = dd.out.lo;
  WORKING_LINES[0] = ddInto(maintenance) ? dd.out.hi : Number.NaN;
  WORKING_LINES[1] = dd.out.lo;
  plus(WORKING_LINES, ops);
  running.fixedHi = WORKING_LINES[0];
  running.fixedLo = WORKING_LINES[1];
}

function linesAt(running: Running, colo: number, lines: Float64Array): Float64Array {
  lines[0] = running.kwHi;
  lines[1] = running.kwLo;
  times(lines, colo);
  dd.mulFp(lines[0], lines[1], 12);
  dd.add(dd.out.hi, dd.out.lo, running.fixedHi, running.fixedLo);
  lines[0] = dd.out.hi;
  lines[1] = dd.out.lo;
  return lines;
}

/** `line` × x's exact decimal, in place (NaN when x has none). */
function times(line: Float64Array, x: number): void {
  if (!ddInto(x)) line[0] = Number.NaN;
  dd.mul(line[0], line[1], dd.out.hi, dd.out.lo);
  line[0] = dd.out.hi;
  line[1] = dd.out.lo;
}

/** `line` + x's exact decimal, in place (NaN when x has none). */
function plus(line: Float64Array, x: number): void {
  if (!ddInto(x)) line[0] = Number.NaN;
  dd.add(line[0], line[1], dd.out.hi, dd.out.lo);
  line[0] = dd.out.hi;
  line[1] = dd.out.lo;
}

const WIDE = new WideAcc();

/** A double's or a Wide's exact decimal as a double-double in dd.out (ddOf); false when it has none. */
function ddInto(x: Wide | number): boolean {
  return ddOfAcc(typeof x === "number" ? WIDE.setDouble(x) : WIDE.set(x));
}

/** ddOf, when the accumulator holds a Wide. */
function ddOfAcc(a: WideAcc): boolean {
  if (a.ok) ddOf(a);
  return a.ok;
}

/** A non-negative Wide (units below 2^103 at a scale ≤ 44) as a double-double in dd.out, within 7u². */
function ddOf(a: WideValue): void {
  dd.mulPow10(a.hi, a.lo, -a.scale);
}

/**
 * The series of one escalation and discount rate, by years, worked out once and in order: with
 * e = 1 + escalation ≥ 0 and g = 1 + rate, P = Σ_k e^(k−1) ÷ g^k (k = 1 … N) = (1 ÷ g) × S,
 * S = Σ x^j (j = 0 … N−1) by Horner's rule S ← S·x + 1, x = e ÷ g; and g^−N. A GRID along the
 * years (or a sheet of horizons) costs one step a year, and its cells share each year's. In u²:
 * e and g as double-doubles within 7 each; 1 ÷ g as (1 ÷ gHi) × (1 − gLo ÷ gHi) within 20 (the
 * division 3.5, the first-order inverse of 1 + gLo ÷ gHi, |gLo ÷ gHi| ≤ u, within 2.01, the
 * product 7, g's 7); x within 34; each Horner step keeps S's relative error θ to θ + 34 + 7 (the
 * product) + 2 (adding 1, a positive term), so S within 43N, P within 43N + 27; g^−N by N
 * products, within 27N. A year past HUGE (or 1 ÷ HUGE) would be past it for every later year,
 * so the table stops there; when e or g has no exact form, it has no years.
 */
class SeriesTable {
  /** Year N's P at [2N] (hi) and [2N + 1] (lo); g^−N likewise. */
  p: Float64Array = new Float64Array(16);
  inverse: Float64Array = new Float64Array(16);
  readonly discounted: boolean;
  /** Years worked out, and whether that is all there will be. */
  private years = 0;
  private done = false;
  /** S and g^−N of the last year worked out; x = e ÷ g and 1 ÷ g: hi, lo each. */
  private readonly state = new Float64Array(8);

  constructor(escalation: number, rate: number) {
    this.discounted = rate !== 0;
    const { state } = this;
    state.set([1, 0, 1, 0, 0, 0, 1, 0]);
    if (this.discounted) {
      if (!ddOfAcc(WIDE.setDouble(1).plusDouble(rate))) {
        this.done = true;
        return;
      }
      const gHi = dd.out.hi;
      const shrink = -(dd.out.lo / gHi);
      dd.divFp(1, 0, gHi);
      dd.mul(dd.out.hi, dd.out.lo, 1, shrink);
      state[6] = state[2] = dd.out.hi;
      state[7] = state[3] = dd.out.lo;
    }
    if (!ddOfAcc(WIDE.setDouble(1).plusDouble(escalation))) {
      this.done = true;
      return;
    }
    dd.mul(dd.out.hi, dd.out.lo, state[6], state[7]);
    state[4] = dd.out.hi;
    state[5] = dd.out.lo;
    this.record(1);
  }

  /** Where year N's entries are in p and inverse, or −1 (past the range, or no exact form). */
  year(n: number): number {
    while (!this.done && this.years < n) this.step();
    return n <= this.years ? 2 * n : -1;
  }

  private step(): void {
    const { state } = this;
    dd.mul(state[0], state[1], state[4], state[5]);
    dd.addFp(dd.out.hi, dd.out.lo, 1);
    state[0] = dd.out.hi;
    state[1] = dd.out.lo;
    dd.mul(state[2], state[3], state[6], state[7]);
    state[2] = dd.out.hi;
    state[3] = dd.out.lo;
    this.record(this.years + 1);
  }

  private record(year: number): void {
    const { state } = this;
    if (!(state[0] < HUGE && state[2] > 1 / HUGE)) {
      this.done = true;
      return;
    }
    if (2 * year + 1 >= this.p.length) {
      this.p = grown(this.p);
      this.inverse = grown(this.inverse);
    }
    dd.mul(state[0], state[1], state[6], state[7]);
    this.p[2 * year] = dd.out.hi;
    this.p[2 * year + 1] = dd.out.lo;
    this.inverse[2 * year] = state[2];
    this.inverse[2 * year + 1] = state[3];
    this.years = year;
    SERIES.spend(1);
  }
}

function grown(a: Float64Array): Float64Array {
  const b = new Float64Array(2 * a.length);
  b.set(a);
  return b;
}

/**
 * Series tables by escalation and discount rate: a GRID along the escalation or the rate finds each
 * row's again on the next recalculation. Bounded by the years they hold, 2^18 in all.
 */
const SERIES = new ByTwoKeys<SeriesTable>(1 << 18);

function newSeriesTable(escalation: number, rate: number): SeriesTable {
  return new SeriesTable(escalation, rate);
}

/** GPU_TCO's fast path: the total's double when the decimal path's is proven to be it. */
function fastTcoTotal(s: Settings): number | undefined {
  const bound = ddTotal(s);
  return bound !== undefined && dd.roundsTo(TOTAL[0], TOTAL[1], bound * TOTAL[0]) ? TOTAL[0] : undefined;
}

/** GPU_HOURLY's: the total ÷ (years × 8,760), the decimal path's one more division (this one within 3.5u²). */
function fastHourly(s: Settings): number | undefined {
  const bound = ddTotal(s);
  if (bound === undefined) return undefined;
  dd.divFp(TOTAL[0], TOTAL[1], 8760 * s.years);
  return dd.roundsTo(dd.out.hi, dd.out.lo, (bound + DECIMAL_STEP + 4 * U2) * dd.out.hi) ? dd.out.hi : undefined;
}

const TCO_ARGS_COUNT = Object.keys(TCO_ARGS).length;
const TCO_PARAMS = [...Object.values(TCO_ARGS), maybe(range("assumptions"))];
/**
 * The arguments and any assumptions by name, into `s`; assumption-only settings at their defaults.
 * Every field is written, in TCO_ARGS' order, so that every settings object shares one shape. By
 * index, not destructuring: an iterator is not free.
 */
function settingsInto(s: Settings, args: readonly unknown[]): Settings {
  const named = s as Record<SettingName, unknown>;
  named.hardware_or_capex = args[0];
  named.years = args[1];
  named.kw = args[2];
  named.power_price_kwh = args[3];
  named.pue = args[4];
  named.colo_per_kw_month = args[5];
  named.maintenance_per_year = args[6];
  named.ops_per_year = args[7];
  named.annual_escalation = args[8];
  named.residual = ASSUMPTION_ONLY.residual.fallback;
  named.load_factor = ASSUMPTION_ONLY.load_factor.fallback;
  named.discount_rate = ASSUMPTION_ONLY.discount_rate.fallback;
  const assumptions = args[TCO_ARGS_COUNT] as unknown[][] | undefined;
  if (assumptions) applyAssumptions(s, assumptions);
  return s;
}

/** The fast paths' settings, rewritten by every call (which reads them only while it runs): a GRID's cells allocate none. */
const SCRATCH = settingsInto({} as Settings, []);

const TCO_HELP = {
  hardware_or_capex: 'Catalogue id ("8xh100-sxm"), whose capex and kW are the defaults, or the node\'s capex in USD.',
  years: "Years of ownership, a whole number ≥ 1.",
  kw: "Node power in kW. Default: the catalogue's; required with a capex number.",
  power_price_kwh: "USD per kWh. Default 0.10.",
  pue: "Power usage effectiveness (cooling overhead), ≥ 1. Default 1.4.",
  colo_per_kw_month: "USD per provisioned kW per month. Default 0.",
  maintenance_per_year: "USD a year. Default 0.",
  ops_per_year: "USD a year (staff allocated to the node). Default 0.",
  annual_escalation: "Yearly growth of the running lines (0.05 = 5%). Default 0.",
  assumptions:
    "Two-column range of name/value rows overriding any argument, plus residual (USD, default 0), load_factor (default 1) and discount_rate (annual).",
};

/** A worksheet function that shows the TCO breakdown one way; a fast view answers the decimal path's proven double. */
function tcoView(
  name: string,
  doc: Omit<FunctionDoc, "help">,
  view: (b: TcoBreakdown, t: TcoInputs) => Dec | Matrix,
  fastView?: (s: Settings) => number | undefined,
) {
  // The decimal path's settings are its own: SCRATCH is the next call's by the time it runs.
  const decimal = (...args: unknown[]) => {
    const t = tcoInputs(settingsInto({} as Settings, args));
    return view(rememberedBreakdown(t), t);
  };
  return defineFunction(name, { ...doc, help: TCO_HELP }, TCO_PARAMS, (...args: unknown[]) => {
    const fast = fastView?.(settingsInto(SCRATCH, args));
    return fast === undefined ? decimal(...args) : nearest(fast, decimal as (...args: unknown[]) => Dec, args);
  });
}

/**
 * TCO breakdowns by their inputs' exact texts: a workbook's TCO cells mostly repeat a few
 * assumption sets, and a breakdown (tens of decimal operations) is a pure function of its
 * inputs, so a repeat costs a lookup. Bounded: emptied when full.
 */
const breakdowns = new Map<string, TcoBreakdown>();
const MAX_REMEMBERED = 4096;

function rememberedBreakdown(t: TcoInputs): TcoBreakdown {
  const key = [
    t.capex,
    t.years,
    t.kw,
    t.powerPriceKwh,
    t.pue,
    t.coloPerKwMonth,
    t.maintenancePerYear,
    t.opsPerYear,
    t.annualEscalation,
    t.residual,
    t.loadFactor,
    t.discountRate,
  ].join("|");
  let b = breakdowns.get(key);
  if (!b) {
    if (breakdowns.size >= MAX_REMEMBERED) breakdowns.clear();
    breakdowns.set(key, (b = tcoBreakdown(t)));
  }
  return b;
}

/** A view of a breakdown, computed once per remembered breakdown (which fixes the years too). */
function remembered(view: (b: TcoBreakdown) => Dec): (b: TcoBreakdown) => Dec {
  const answers = new WeakMap<TcoBreakdown, Dec>();
  return (b) => {
    let answer = answers.get(b);
    if (!answer) answers.set(b, (answer = view(b)));
    return answer;
  };
}

const rememberedTotal = remembered(tcoTotal);

export const GPU_TCO = tcoView(
  "GPU_TCO",
  {
    description:
      "USD total cost of owning a GPU node for `years`: capex (straight line, less residual), power, colo, maintenance and ops; a present value when assumptions give a discount_rate.",
    result: "number",
    returns: "USD.",
  },
  rememberedTotal,
  fastTcoTotal,
);
export const GPU_TCO_LINES = tcoView(
  "GPU_TCO_LINES",
  {
    description:
      "Spills the TCO by line and year: header (line, year 1 … year N, total), rows capex, power, colo, maintenance, ops, total. With a discount_rate every cell is a present value (capex as its level annual charge) and the rows sum to GPU_TCO.",
    result: "spill",
    returns: "USD by line and year.",
  },
  tcoTable,
);
export const GPU_HOURLY = tcoView(
  "GPU_HOURLY",
  { description: "All-in USD of one node-hour: GPU_TCO ÷ (years × 8,760).", result: "number", returns: "USD per node-hour." },
  remembered((b) => rememberedTotal(b).div(HOURS_PER_YEAR.times(b.capex.length))),
  fastHourly,
);

// --- renting, cost per token, break-even, sizing ----------------------------------------------

/**
 * Σ over years k = 1 … N of (1 + a)^(k−1) ÷ (1 + r)^k: what a year's rent at today's rate adds up
 * to when it changes by a each year and is discounted at r (paid at the end of each year). By the
 * closed form ((1+r)^N − (1+a)^N) ÷ ((r − a)(1+r)^N), one division however long the rental.
 */
export function rentYears(years: Dec, priceChange: Dec, discountRate: Dec): Dec {
  const grow = ONE.plus(priceChange);
  const discount = ONE.plus(discountRate);
  if (priceChange.eq(discountRate)) return years.div(discount);
  const dN = discount.pow(years);
  const total = dN.minus(grow.pow(years)).div(discountRate.minus(priceChange).times(dN));
  if (!total.isFinite()) throw noResult("years: the rent over so many years is too large or too small for a number");
  return total;
}

/**
 * Made once: a GRID along fractional years (3, 3.02, …) with a discount rate is mostly this error,
 * and making an Error (its stack) costs far more than the rest of a cell.
 */
const YEARS_NOT_WHOLE = valueError("years", "must be a whole number with an annual_price_change or a discount_rate");

/** RENT_COST by its decimal path. */
export function rentCost(
  hardwareOrHourly: Dec | string,
  years: number,
  utilisation: number,
  priceChange: number,
  discountRate: number,
): Dec {
  const hourly = rentalRate(hardwareOrHourly) ?? amount("hardware_or_hourly", hardwareOrHourly as Dec);
  const yearly = hourly.times(HOURS_PER_YEAR).times(fromNumber(utilisation));
  if (priceChange === 0 && discountRate === 0) return yearly.times(fromNumber(years));
  if (!Number.isInteger(years)) throw YEARS_NOT_WHOLE;
  return yearly.times(rentYears(fromNumber(years), fromNumber(priceChange), fromNumber(discountRate)));
}

/** A catalogue id's rental rate, or undefined for an explicit rate. */
function rentalRate(hardwareOrHourly: Dec | string): Dec | undefined {
  return typeof hardwareOrHourly === "string" ? hardwareIn("hardware_or_hourly", hardwareOrHourly).rentalPerHour : undefined;
}

/** RENT_COST's working registers (module-wide: a call allocates none). */
const RENT_YEARLY = new WideAcc();
const RENT_STEP = new WideAcc();
/**
 * Σ_k (1 + a)^(k−1) ÷ (1 + r)^k (rentYears) as a double-double, and the relative bound covering it
 * and the decimal path's rentYears (NaN: none), after rentFactor.
 */
const RENT_FACTOR = new Float64Array(3);
/**
 * rentFactor's answers by price change and discount rate, then years: a GRID's row along
 * utilisation shares one, and a GRID along the years finds each again. Bounded: 2^16 in all.
 */
const RENT_FACTORS = new ByTwoKeys<Map<number, Float64Array>>(1 << 16);

function rentFactorOf(years: number, priceChange: number, discountRate: number): Float64Array {
  const byYears = RENT_FACTORS.get(priceChange, discountRate, newByYears);
  let factor = byYears.get(years);
  if (!factor) {
    rentFactor(years, priceChange, discountRate);
    byYears.set(years, (factor = RENT_FACTOR.slice()));
    RENT_FACTORS.spend(1);
  }
  return factor;
}

function newByYears(): Map<number, Float64Array> {
  return new Map();
}

/**
 * RENT_COST's fast path: yearly = hourly × 8,760 × utilisation in exact integers (a Wide, so exact
 * on the decimal path too), and
 * - no price change or discount: yearly × years, exact (a Fixed when it fits one);
 * - price change a = discount rate r: yearly × years ÷ (1 + r), two roundings on the decimal path;
 * - else yearly × rentYears in double-double (rentFactor), decided by Ziv's test.
 * Fractional years with a price change or discount: their error, answered. Undefined whenever a
 * step leaves the Wides or double-double's range, Ziv's test cannot decide, or another error is due.
 */
function fastRent(hardwareOrHourly: Dec | string, years: number, utilisation: number, priceChange: number, discountRate: number) {
  const rate = rentalRate(hardwareOrHourly) ?? hardwareOrHourly;
  // A negative rate: the decimal path's error comes first.
  if (typeof rate === "string" || rate.isNeg()) return undefined;
  const level = priceChange === 0 && discountRate === 0;
  // Answered, not thrown: a GRID along fractional years breaks it cell after cell.
  if (!level && !Number.isInteger(years)) return YEARS_NOT_WHOLE;
  const yearly = RENT_YEARLY.set(wideOfDec(rate)).timesDouble(8760).timesDouble(utilisation);
  if (level) {
    const total = yearly.timesDouble(years);
    return total.ok ? (fixedOfWide(total) ?? nearestOf(total, 0)) : undefined;
  }
  // No years: the decimal path's 0 ÷ (r − a) may be −0.
  if (years === 0 || !yearly.ok) return undefined;
  if (priceChange === discountRate) {
    const discount = RENT_STEP.setDouble(1).plusDouble(discountRate);
    return nearestQuotient(yearly.timesDouble(years), discount, 2 * DECIMAL_STEP);
  }
  const factor = rentFactorOf(years, priceChange, discountRate);
  const bound = factor[2];
  if (Number.isNaN(bound) || yearly.hi === 0) return undefined;
  // One more rounding on the decimal path (× yearly); yearly within 7u² here, the product 7u².
  dd.mulPow10(yearly.hi, yearly.lo, -yearly.scale);
  dd.mul(dd.out.hi, dd.out.lo, factor[0], factor[1]);
  const hi = dd.out.hi;
  return hi > 1 / HUGE && hi < HUGE && dd.roundsTo(hi, dd.out.lo, (bound + DECIMAL_STEP + 14 * U2) * hi) ? hi : undefined;
}

/** Years past which the first-order error bounds below would want a second look; no rental runs so long. */
const MAX_RENT_YEARS = 1_000_000;

/**
 * rentYears(N, a, r), a ≠ r, into RENT_FACTOR: with g = 1 + a, d = 1 + r (Wides, so exact on the
 * decimal path too) and q = g ÷ d, the closed form ((1+r)^N − (1+a)^N) ÷ ((r − a)(1+r)^N) is
 * (1 − q^N) ÷ (r − a), worked out in double-double. Its subtraction may cancel: an error in
 * (1+r)^N or (1+a)^N is c = (1 + q^N) ÷ |1 − q^N| times as large relative to the difference.
 * - This path, in u² (doubledouble.ts): q and r − a within 27 and 7 (rentRatio); q^N by squaring
 *   within 34N + 200 (each squaring doubles the relative error and adds 7, each product of the
 *   ≤ 20 set bits' powers adds 7); 1 − q^N within (34N + 200)·c + 3; ÷ (r − a) within 20 more.
 *   Under (34N + 240)·c.
 * - The decimal path, in DECIMAL_STEPs: 1 + a, 1 + r and r − a exact; each power within one
 *   (decimal.js raises to a whole power on ≥ 57 digits, then rounds once to 34); their difference
 *   within c + 1; × (1+r)^N within 2; the division 1. Under c + 5.
 * NaN when a step leaves the Wides or double-double's range, N is past MAX_RENT_YEARS, or c past
 * 10^12 (nothing would be decided).
 */
function rentFactor(years: number, priceChange: number, discountRate: number): void {
  RENT_FACTOR[2] = Number.NaN;
  if (RENT_RATIO_FOR.changed(priceChange, discountRate)) rentRatio(priceChange, discountRate);
  if (Number.isNaN(RENT_RATIO[0]) || years > MAX_RENT_YEARS) return;
  // q^N by squaring; q = 0 (a = −1) stays 0.
  let xHi = RENT_RATIO[0];
  let xLo = RENT_RATIO[1];
  let pHi = 1;
  let pLo = 0;
  for (let n = years; ; ) {
    if (n % 2 === 1) {
      dd.mul(pHi, pLo, xHi, xLo);
      pHi = dd.out.hi;
      pLo = dd.out.lo;
    }
    n = Math.floor(n / 2);
    if (n === 0) break;
    dd.mul(xHi, xLo, xHi, xLo);
    xHi = dd.out.hi;
    xLo = dd.out.lo;
    if (!(xHi === 0 || (xHi > 1 / HUGE && xHi < HUGE))) return;
  }
  if (!(pHi === 0 || (pHi > 1 / HUGE && pHi < HUGE))) return;
  dd.add(1, 0, -pHi, -pLo);
  const cancelling = (1.01 * (1 + pHi)) / Math.abs(dd.out.hi);
  if (!(cancelling <= 1e12)) return;
  dd.div(dd.out.hi, dd.out.lo, RENT_RATIO[2], RENT_RATIO[3]);
  if (!(Math.abs(dd.out.hi) > 1 / HUGE && Math.abs(dd.out.hi) < HUGE)) return;
  RENT_FACTOR[0] = dd.out.hi;
  RENT_FACTOR[1] = dd.out.lo;
  RENT_FACTOR[2] = 1.01 * ((cancelling + 5) * DECIMAL_STEP + (34 * years + 240) * cancelling * U2);
}

/** q = (1 + a) ÷ (1 + r) and r − a as double-doubles, for the a and r last asked (NaN: none); a GRID's row shares them. */
const RENT_RATIO = new Float64Array(4);
const RENT_RATIO_FOR = new LastKeys();

/** Into RENT_RATIO: 1 + a, 1 + r and r − a as Wides, each made a double-double within 7u² (mulPow10), q by div within 13u² more. */
function rentRatio(priceChange: number, discountRate: number): void {
  RENT_RATIO[0] = Number.NaN;
  const spread = RENT_STEP.setDouble(discountRate).minusDouble(priceChange);
  if (!spread.ok) return;
  dd.mulPow10(spread.hi, spread.lo, -spread.scale);
  RENT_RATIO[2] = dd.out.hi;
  RENT_RATIO[3] = dd.out.lo;
  const discount = RENT_STEP.setDouble(1).plusDouble(discountRate);
  if (!discount.ok) return;
  dd.mulPow10(discount.hi, discount.lo, -discount.scale);
  const dHi = dd.out.hi;
  const dLo = dd.out.lo;
  const grow = RENT_STEP.setDouble(1).plusDouble(priceChange);
  if (!grow.ok) return;
  dd.mulPow10(grow.hi, grow.lo, -grow.scale);
  dd.div(dd.out.hi, dd.out.lo, dHi, dLo);
  RENT_RATIO[0] = dd.out.hi;
  RENT_RATIO[1] = dd.out.lo;
}

export const RENT_COST = defineFunction(
  "RENT_COST",
  {
    description:
      "USD of renting a node for `years`, paying for `utilisation` of the 8,760 hours a year; the rate may change each year, and the rent may be discounted to a present value.",
    result: "number",
    returns: "USD (a present value with a discount_rate).",
    help: {
      hardware_or_hourly: 'Catalogue id ("8xh100-sxm") for its rental rate, or USD per node-hour.',
      years: "Years of rental (fractions allowed; whole with a price change or discount rate).",
      utilisation: "Fraction of the hours paid for, 0 to 1. Default 1.",
      annual_price_change: "Change of the hourly rate each year (−0.2 = 20% cheaper every year). Default 0.",
      discount_rate: "Annual rate each year's rent, paid at its end, is discounted by. Default 0.",
    },
  },
  // Fractional years are fine without a price change or discounting: there is no by-year breakdown.
  [
    value("hardware_or_hourly"),
    double("years", { min: 0 }),
    optional(double("utilisation", { min: 0, max: 1, fraction: true }), 1),
    optional(double("annual_price_change", { min: -1 }), 0),
    optional(double("discount_rate", { above: -1 }), 0),
  ],
  (hardwareOrHourly, years, utilisation, priceChange, discountRate) => {
    const fast = fastRent(hardwareOrHourly, years, utilisation, priceChange, discountRate);
    if (fast instanceof Fixed || fast instanceof TlError) return fast;
    const slow = () => rentCost(hardwareOrHourly, years, utilisation, priceChange, discountRate);
    return fast === undefined ? slow() : nearest(fast, slow);
  },
);

// --- exact fast paths for the scalar functions below --------------------------------------------

const FIXED_ONE = new Fixed(1, 0);
const FIXED_TWO = new Fixed(2, 0);

/** a × n, n a double read as fromNumber reads it; undefined when a is, or past the safe integers. */
function timesDouble(a: Fixed | undefined, n: number): Fixed | undefined {
  if (!a) return undefined;
  const f = fixedOf(n);
  return f && timesFixed(a, f);
}

/**
 * ⌈a ÷ b⌉ for a ≥ 0, exactly, or undefined when b is 0 or past the safe integers. It is the decimal
 * path's ceiling of a ÷ b rounded to 34 digits, because that rounding never reaches a whole number
 * the quotient is not: a quotient below 2^53 keeps at least 18 decimals, and a fraction r ÷ den is at
 * least 1 ÷ den > 10^−16 from any whole number.
 */
function ceilRatio(a: Fixed, b: Fixed): number | undefined {
  const num = a.units * (b.scale > a.scale ? POW10[b.scale - a.scale] : 1);
  const den = b.units * (a.scale > b.scale ? POW10[a.scale - b.scale] : 1);
  if (!Number.isSafeInteger(num) || !Number.isSafeInteger(den) || den === 0) return undefined;
  // % of doubles is exact, and num − rest is a multiple of den: the division is exact too.
  const rest = num % den;
  return (num - rest) / den + (rest > 0 ? 1 : 0);
}

/** USD per 1M tokens at an hourly cost and a throughput, busy `utilisation` of the time. */
export function selfhostCostPerM(hourlyCost: Dec, tokensPerSecond: Dec, utilisation: Dec): Dec {
  if (tokensPerSecond.isZero()) throw noResult("tokens_per_second: zero throughput has no cost per token");
  // hourly × 10^6 ÷ (tokens/s × 3,600 × utilisation): one division.
  return hourlyCost.times(MILLION).div(tokensPerSecond.times(SECONDS_PER_HOUR).times(utilisation));
}

/** SELFHOST_COSTPERM's and SELFHOST_BREAKEVEN's working registers (module-wide: a call allocates none). */
const PER_M_NUM = new WideAcc();
const PER_M_DEN = new WideAcc();
const PER_M_STEP = new WideAcc();
/** SELFHOST_BREAKEVEN's blended price for the model and output share last asked: a GRID along the annual cost shares it. */
const BLEND = new WideAcc();
const BLEND_FOR = new LastKeys();

/**
 * SELFHOST_COSTPERM without a decimal. The decimal path's hourly × 10^6 is exact (it moves the
 * exponent), and tokens/s × 3,600 × utilisation is exact when it is a Wide here (fewer than 34
 * digits; its partial product's integer units divide the whole's); it ends in their one division,
 * which nearestQuotient decides. Fill-series inputs (17 digits) stay on this path. Zero throughput
 * falls back to the decimal path's error.
 */
function fastCostPerM(hourlyCost: number, tokensPerSecond: number, utilisation: number): number | undefined {
  const hourly = PER_M_NUM.setDouble(hourlyCost);
  // × 10^6, in the scale.
  hourly.scale -= 6;
  const busy = PER_M_DEN.setDouble(tokensPerSecond).timesDouble(3600).timesDouble(utilisation);
  return quotientOf(hourly, busy);
}

export const SELFHOST_COSTPERM = defineFunction(
  "SELFHOST_COSTPERM",
  {
    description: "USD per 1M tokens on your own or rented hardware: hourly_cost ÷ (tokens_per_second × 3,600 × utilisation) × 1,000,000.",
    result: "number",
    returns: "USD per 1M tokens.",
    help: {
      hourly_cost: "USD per node-hour (GPU_HOURLY, or a rental rate).",
      tokens_per_second: "Measured node throughput in tokens per second.",
      utilisation: "Fraction of hours the node is busy, above 0 and at most 1. Default 1.",
    },
  },
  [double("hourly_cost", { min: 0 }), double("tokens_per_second", { min: 0 }), optional(share("utilisation"), 1)],
  (hourlyCost, tokensPerSecond, utilisation) => {
    const decimal = () => selfhostCostPerM(fromNumber(hourlyCost), fromNumber(tokensPerSecond), fromNumber(utilisation));
    const fast = fastCostPerM(hourlyCost, tokensPerSecond, utilisation);
    return fast === undefined ? decimal() : nearest(fast, decimal);
  },
);

/** A model's standard per-1M price blended by output share: (1 − s) × input + s × output. */
export function blendedPrice(model: CompiledModel, outputShare: Dec, arg: string): Dec {
  const rates = ratesFor(model, 0, "");
  const input = componentPrice(model, rates, "input", arg);
  const output = componentPrice(model, rates, "output", arg);
  return ONE.minus(outputShare).times(input).plus(outputShare.times(output));
}

const API_PRICE = "api_price_or_model";
const apiModel = modelArg(API_PRICE);

/** Tokens a year at which the API costs the annual self-hosting cost: annual × 10^6 ÷ USD per 1M tokens. */
export function selfhostBreakeven(annualCost: Dec, priceOrModel: number | CompiledModel, outputShare: Dec): Dec {
  const usdPerMTok =
    typeof priceOrModel === "number" ? amount(API_PRICE, fromNumber(priceOrModel)) : blendedPrice(priceOrModel, outputShare, API_PRICE);
  if (usdPerMTok.isZero()) throw noResult(`${API_PRICE}: at a price of 0 the API always costs less, so self-hosting never breaks even`);
  return annualCost.times(MILLION).div(usdPerMTok);
}

/** A model's standard input and output prices as exact Wides, once per compiled model; null where either is missing or has none. */
const blendPrices = new WeakMap<CompiledModel, { input: Wide; output: Wide } | null>();

function wideBlendPrices(model: CompiledModel): { input: Wide; output: Wide } | null {
  let prices = blendPrices.get(model);
  if (prices === undefined) {
    const rates = ratesFor(model, 0, "");
    const input = resolvedRate(rates, "input");
    const output = resolvedRate(rates, "output");
    const wideInput = input && wideOfDec(input);
    const wideOutput = output && wideOfDec(output);
    prices = wideInput && wideOutput ? { input: wideInput, output: wideOutput } : null;
    blendPrices.set(model, prices);
  }
  return prices;
}

/**
 * SELFHOST_BREAKEVEN without a decimal. The decimal path's blend, (1 − share) × input + share ×
 * output, is exact when its terms and sum are Wides here (fewer than 34 digits), annual × 10^6 is
 * exact (it moves the exponent), and it ends in their one division, which nearestQuotient
 * decides. Fill-series inputs (17 digits) stay on this path. A negative or zero price, or a model
 * missing a price, falls back to the decimal path's error.
 */
function fastBreakeven(annualCost: number, priceOrModel: number | CompiledModel, outputShare: number): number | undefined {
  let usdPerMTok: WideAcc;
  if (typeof priceOrModel === "number") {
    if (!(priceOrModel >= 0)) return undefined;
    usdPerMTok = PER_M_DEN.setDouble(priceOrModel);
  } else {
    if (BLEND_FOR.changed(priceOrModel, outputShare)) {
      const prices = wideBlendPrices(priceOrModel);
      const output = PER_M_STEP.setDouble(outputShare).times(prices?.output ?? FAILED);
      BLEND.setDouble(1)
        .minusDouble(outputShare)
        .times(prices?.input ?? FAILED)
        .plus(output);
    }
    usdPerMTok = BLEND;
  }
  const annual = PER_M_NUM.setDouble(annualCost);
  // × 10^6, in the scale.
  annual.scale -= 6;
  return quotientOf(annual, usdPerMTok);
}

export const SELFHOST_BREAKEVEN = defineFunction(
  "SELFHOST_BREAKEVEN",
  {
    description: "Tokens a year at which API spend equals the self-hosting cost: annual cost ÷ API price per 1M tokens × 1,000,000.",
    result: "number",
    returns: "Tokens per year.",
    help: {
      annual_selfhost_cost: "USD a year of self-hosting.",
      api_price_or_model: "USD per 1M tokens, or a model id whose input and output prices are blended.",
      output_share: "Share of tokens that are output, for a model's blend: (1 − share) × input + share × output. Default 0.3.",
    },
  },
  [
    double("annual_selfhost_cost", { min: 0 }),
    doubleOrText(API_PRICE),
    optional(double("output_share", { min: 0, max: 1, fraction: true }), 0.3),
  ],
  (annualCost, priceOrModel, outputShare) => {
    const price = typeof priceOrModel === "string" ? naming(API_PRICE, () => apiModel.parse(priceOrModel)) : priceOrModel;
    const decimal = () => selfhostBreakeven(fromNumber(annualCost), price, fromNumber(outputShare));
    const fast = fastBreakeven(annualCost, price, outputShare);
    return fast === undefined ? decimal() : nearest(fast, decimal);
  },
);

/** Units for a peak with headroom, whole: ⌈peak × (1 + headroom) ÷ per-unit throughput⌉. */
export function unitsNeeded(peak: Dec, perUnit: Dec, headroom: Dec): Dec {
  if (perUnit.isZero()) throw noResult("tokens_per_second_per_unit: zero throughput cannot serve any peak");
  return peak.times(ONE.plus(headroom)).div(perUnit).ceil();
}

/**
 * GPUS_NEEDED without a decimal: peak × (1 + headroom) is exact while safe, then ceilRatio; past
 * that (a fill series' 17-digit headroom), wideUnitsNeeded. Zero throughput falls back to its error.
 */
function fastUnitsNeeded(peak: number, perUnit: number, headroom: number): Fixed | undefined {
  const grown = shortFixedOf(headroom);
  const load = timesDouble(grown && addFixed(FIXED_ONE, grown), peak);
  const unit = shortFixedOf(perUnit);
  const units = (load && unit && ceilRatio(load, unit)) ?? wideUnitsNeeded(peak, perUnit, headroom);
  return units === undefined ? undefined : new Fixed(units, 0);
}

const LOAD = new WideAcc();
const UNIT = new WideAcc();
const OVER = new WideAcc();

/**
 * ⌈load ÷ unit⌉ in Wides, load = peak × (1 + headroom): the whole k with (k − 1)·unit < load ≤
 * k·unit, from a double estimate (one off at most where the quotient is nearly whole) checked
 * exactly. The decimal path's load is exact too (under 34 digits), and its quotient, rounded to 34
 * digits (within 5 × 10^−34, relatively), has the same ceiling unless load ÷ unit lies within that
 * rounding above k − 1: so load − (k − 1)·unit must exceed it, × load (checked with room to spare).
 */
function wideUnitsNeeded(peak: number, perUnit: number, headroom: number): number | undefined {
  const load = LOAD.setDouble(1).plusDouble(headroom).timesDouble(peak);
  const unit = UNIT.setDouble(perUnit);
  if (!load.ok || !unit.ok || !(unit.hi > 0) || !(load.hi > 0)) return undefined;
  let k = Math.ceil(((load.hi + load.lo) / (unit.hi + unit.lo)) * 10 ** (unit.scale - load.scale));
  if (!(k >= 1 && k < 2 ** 53)) return undefined;
  let below = over(k - 1);
  let above = over(k);
  if (above > 0) {
    k++;
    below = above;
    above = over(k);
  } else if (below <= 0) {
    k--;
    above = below;
    below = over(k - 1);
  }
  const margin = 2 * DECIMAL_STEP * (load.hi + load.lo) * 10 ** -load.scale;
  return above <= 0 && below > margin ? k : undefined;
}

/** load − k × unit (LOAD, UNIT), exact in Wides, as a double (its sign exact); NaN past the Wides. */
function over(k: number): number {
  const d = OVER.set(UNIT).timesDouble(k).minus(LOAD);
  return d.ok ? -(d.hi + d.lo) * 10 ** -d.scale : Number.NaN;
}

export const GPUS_NEEDED = defineFunction(
  "GPUS_NEEDED",
  {
    description: "Units (GPUs or nodes) needed for a peak, whole: ceiling(peak × (1 + headroom) ÷ per-unit throughput).",
    result: "number",
    returns: "Units, a whole number.",
    help: {
      peak_tokens_per_second: "Peak load in tokens per second.",
      tokens_per_second_per_unit: "Measured throughput of one unit in tokens per second.",
      headroom: "Spare capacity over the peak (0.3 = 30%). Default 0.3.",
    },
  },
  [
    double("peak_tokens_per_second", { min: 0 }),
    double("tokens_per_second_per_unit", { min: 0 }),
    optional(double("headroom", { min: 0 }), 0.3),
  ],
  (peak, perUnit, headroom) =>
    fastUnitsNeeded(peak, perUnit, headroom) ?? unitsNeeded(fromNumber(peak), fromNumber(perUnit), fromNumber(headroom)),
);

// --- a fleet for a demand curve -----------------------------------------------------------------

/** PERCENTILE.INC: linear between the two samples around rank (n − 1) × p of the sorted values. */
export function percentileInc(values: readonly Dec[], p: Dec): Dec {
  const sorted = [...values].sort((a, b) => a.cmp(b));
  const rank = p.times(sorted.length - 1);
  const low = rank.floor().toNumber();
  if (low >= sorted.length - 1) return sorted[sorted.length - 1];
  return sorted[low].plus(rank.minus(low).times(sorted[low + 1].minus(sorted[low])));
}

/** A demand column: tokens per second, one sample a row, at least one. */
function demandArg(cells: unknown[][]): Dec[] {
  const demand = series("demand", cells);
  const values = numbers(demand, demand.filled, { min: 0 });
  if (values.length === 0) throw valueError("demand", "needs at least one sample");
  return values;
}

export interface CapacityPlan {
  readonly units: Dec;
  readonly capacity: Dec;
  readonly utilisation: Dec;
  readonly samplesOver: number;
  readonly unservedShare: Dec;
}

/** Units for the demand's percentile plus headroom, and how the demand fits them. */
export function capacityPlan(demand: readonly Dec[], unitTps: Dec, percentile: Dec, headroom: Dec): CapacityPlan {
  const units = percentileInc(demand, percentile).times(ONE.plus(headroom)).div(unitTps).ceil();
  const capacity = units.times(unitTps);
  const served = sum(demand.map((d) => Dec.min(d, capacity)));
  const total = sum(demand);
  return {
    units,
    capacity,
    utilisation: capacity.isZero() ? ZERO : served.div(capacity.times(demand.length)),
    samplesOver: demand.filter((d) => d.gt(capacity)).length,
    // No demand leaves nothing unserved.
    unservedShare: total.isZero() ? ZERO : total.minus(served).div(total),
  };
}

export const CAPACITY_PLAN = defineFunction(
  "CAPACITY_PLAN",
  {
    description:
      "Spills a fleet sized to a demand curve: units = ceiling(PERCENTILE.INC(demand, percentile) × (1 + headroom) ÷ unit throughput), then capacity, utilisation, samples over capacity and the share of demand unserved.",
    result: "spill",
    returns: "Label/value rows: units, capacity, utilisation, samples_over, unserved_share.",
    help: {
      demand: "Column of demand samples in tokens per second (hourly, say). Blank cells at the end are ignored.",
      unit_tokens_per_second: "Measured throughput of one unit (GPU or node) in tokens per second, above 0.",
      percentile: "Percentile of demand to size for, 0 to 1. Default 0.95.",
      headroom: "Spare capacity over that percentile (0.2 = 20%). Default 0.2.",
    },
  },
  [
    range("demand"),
    positive("unit_tokens_per_second"),
    optional(fraction("percentile"), new Dec("0.95")),
    optional(nonNegative("headroom"), new Dec("0.2")),
  ],
  (demandCells, unitTps, percentile, headroom) => {
    const plan = capacityPlan(demandArg(demandCells), unitTps, percentile, headroom);
    return [
      ["units", plan.units],
      ["capacity", plan.capacity],
      ["utilisation", plan.utilisation],
      ["samples_over", new Dec(plan.samplesOver)],
      ["unserved_share", plan.unservedShare],
    ];
  },
);

/** USD of owning `units` for the demand's period and sending what they cannot serve to an API. */
export function hybridCost(
  demand: readonly Dec[],
  units: Dec,
  unitTps: Dec,
  unitHourly: Dec,
  apiUsdPerMTok: Dec,
  hoursPerSample: Dec,
): Dec {
  const owned = units.times(unitTps);
  const overflowTps = sum(demand.map((d) => Dec.max(ZERO, d.minus(owned))));
  const fleet = units.times(unitHourly).times(hoursPerSample).times(demand.length);
  // Overflow tokens: tokens/s × 3,600 s × hours a sample; priced per 1M.
  const api = overflowTps.times(SECONDS_PER_HOUR).times(hoursPerSample).times(apiUsdPerMTok).div(MILLION);
  return fleet.plus(api);
}

/** HYBRID_COST's decimal path, from the cells and doubles the worksheet hands over. */
export function hybridCostOf(
  cells: unknown[][],
  units: number,
  unitTps: number,
  unitHourly: number,
  apiUsdPerMTok: number,
  hoursPerSample: number,
): Dec {
  return hybridCost(
    demandArg(cells),
    fromNumber(units),
    fromNumber(unitTps),
    fromNumber(unitHourly),
    fromNumber(apiUsdPerMTok),
    fromNumber(hoursPerSample),
  );
}

/** The scalar fast paths' working registers (module-wide: a call allocates none, and nothing runs between filling and reading them). */
const OWNED = new WideAcc();
const SAMPLE = new WideAcc();
const OVERFLOW = new WideAcc();
const FLEET = new WideAcc();
const API = new WideAcc();
const UNITS = new WideAcc();
/**
 * A unit's cost over the period, unit_hourly_cost × hours_per_sample × samples, and an overflow
 * token a second's, 3,600 × hours_per_sample × api_price_per_m ÷ 10^6, remembered: a GRID along
 * units or throughput shares them. Multiplied in another order than the decimal path's, the same
 * exact product: a partial product's integer units divide the whole's (or the whole is 0, which
 * the decimal path reaches too), so when the whole is a Wide each of the decimal path's partial
 * products was one as well.
 */
const UNIT_PERIODS = new Recent<Wide>(4);
const OVERFLOW_PRICES = new Recent<Wide>(4);
const PRODUCT = new WideAcc();

function unitPeriod(unitHourly: number, hours: number, samples: number): Wide | undefined {
  return wideOfAcc(PRODUCT.setDouble(unitHourly).timesDouble(hours).timesDouble(samples));
}

function overflowPrice(hours: number, apiUsdPerMTok: number): Wide | undefined {
  return wideOfAcc(PRODUCT.setDouble(3600).timesDouble(hours).timesDouble(apiUsdPerMTok).times(PER_MILLION));
}

function wideOfAcc(a: WideAcc): Wide | undefined {
  return a.ok ? new Wide(a.hi, a.lo, a.scale) : undefined;
}
/** ÷ 10^6, exactly: × 1 at six more places. */
const PER_MILLION = new Wide(1, 0, 6);
/**
 * A sheet double is within 2^−53 of the decimal it reads as, relatively, and a product of two
 * doubles within 3 × 2^−53 of theirs: so a sample this far (relatively) from units × throughput as
 * doubles lies on the same side of the exact owned throughput.
 */
const SIDE_MARGIN = 1e-15;

/** A demand range's samples, sorted, and the exact sum of the samples from each on (Wides). */
interface Demand {
  readonly sorted: Float64Array;
  readonly from: readonly Wide[];
}

/** Demand ranges as read, by the range handed over: a GRID hands one to every cell. Null: no fast path (the decimal path's error, or no exact sums). */
const demands = new WeakMap<unknown[][], Demand | null>();

function demandOf(cells: unknown[][]): Demand | null {
  let d = demands.get(cells);
  if (d === undefined) demands.set(cells, (d = readDemand(cells)));
  return d;
}

function readDemand(cells: unknown[][]): Demand | null {
  const demand = series("demand", cells);
  const values: number[] = [];
  for (let i = 0; i < demand.filled; i++) {
    const d = demand.cells[i];
    if (typeof d !== "number" || !(d >= 0)) return null;
    values.push(d);
  }
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  const from: Wide[] = new Array(sorted.length);
  const sum = OVERFLOW.setDouble(0);
  for (let i = sorted.length - 1; i >= 0; i--) {
    const w = wideOfAcc(sum.plusDouble(sorted[i]));
    if (!w) return null;
    from[i] = w;
  }
  return { sorted, from };
}

/** The first index whose sample is at least x (the length when none is). */
function firstAtLeast(sorted: Float64Array, x: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (sorted[mid] < x) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * HYBRID_COST without a decimal: every step the decimal path takes in exact integers, checked to
 * stay Wides (fewer than 34 digits), so each of its decimal steps was exact too and the answers
 * agree: a Fixed when the total has one, else its nearest double. Fill-series inputs (1.07 + float
 * noise, 17 digits) stay on this path. With k samples above owned (S_k their sum) the total is
 * fleet + API = units × period + (S_k − k × owned) × price = units × C_k + D_k, C_k = period −
 * k × throughput × price, D_k = S_k × price (hybridTerms): a cell works out only units × C_k + D_k.
 * When that total is a Wide, so was each of the decimal path's steps: fleet and API are at most
 * the total and at no finer scale (C_k's scale is at least the period's and the throughput's and
 * price's together, D_k's S_k's and the price's), so each is a Wide; a product's partial products
 * have integer units dividing the whole's, and the overflow Σ max(0, d − owned) has positive terms
 * and partial sums at most itself, at no finer scale. When a step leaves the Wides (two 17-digit
 * factors), the fleet and API are taken apart, and past those roughHybrid answers. The range is
 * read once (demandOf), so a cell finds k by bisection. A demand cell that is not a number ≥ 0, or
 * no sample at all, falls back to the decimal path's error.
 */
function fastHybridCost(
  cells: unknown[][],
  units: number,
  unitTps: number,
  unitHourly: number,
  apiUsdPerMTok: number,
  hoursPerSample: number,
): Fixed | number | undefined {
  const demand = demandOf(cells);
  // Owned exactly, as the decimal path's must be for its differences with the samples to be.
  if (!demand || !OWNED.set(UNITS.setDouble(units)).timesDouble(unitTps).ok) return undefined;
  const n = demand.sorted.length;
  const k = samplesAbove(demand, units * unitTps);
  const period = UNIT_PERIODS.answer(unitPeriod, unitHourly, hoursPerSample, n);
  const price = OVERFLOW_PRICES.answer(overflowPrice, hoursPerSample, apiUsdPerMTok);
  if (k < 0) return undefined;
  if (period && price && sameTerms(demand, unitTps, period, price)) {
    const terms = hybridTerms(demand, unitTps, period, price, k);
    const total = terms && FLEET.set(UNITS).times(terms.perUnit).plus(terms.rest);
    if (total?.ok) return fixedOfWide(total) ?? nearestOf(total, 0);
  }
  // The fleet and the API apart (C_k may leave the Wides where they do not), then roughHybrid.
  const overflow = k === 0 ? OVERFLOW.setDouble(0) : OVERFLOW.set(demand.from[n - k]).minus(SAMPLE.set(OWNED).timesDouble(k));
  if (!overflow.ok) return undefined;
  const total = FLEET.set(UNITS)
    .times(period ?? FAILED)
    .plus(API.set(overflow).times(price ?? FAILED));
  if (total.ok) return fixedOfWide(total) ?? nearestOf(total, 0);
  return roughHybrid(overflow, units, unitHourly, apiUsdPerMTok, hoursPerSample, n);
}

/**
 * How many samples lie above owned (OWNED, near it as a double): past those clearly below it,
 * those near it are decided exactly (a Wide's sign is its high part's). −1 past the Wides.
 */
function samplesAbove(demand: Demand, ownedNear: number): number {
  const { sorted } = demand;
  const n = sorted.length;
  let i = firstAtLeast(sorted, ownedNear * (1 - SIDE_MARGIN));
  for (; i < n && sorted[i] <= ownedNear * (1 + SIDE_MARGIN); i++) {
    const over = SAMPLE.setDouble(sorted[i]).minus(OWNED);
    if (!over.ok) return -1;
    if (over.hi > 0) break;
  }
  return n - i;
}

/** C_k and D_k: what a unit adds to the total, and the rest. */
interface HybridTerms {
  readonly perUnit: WideValue;
  readonly rest: WideValue;
}

/**
 * C_k and D_k by k, for the demand range, throughput, unit period and overflow price of the calls
 * before: a GRID's row shares them (and mostly a few k), each worked out when first asked. A call
 * that changes them (each cell of a GRID along the throughput) takes the fleet and API apart instead.
 */
let termsByK: (HybridTerms | null | undefined)[] = [];
const TERMS_FOR = new LastKeys();

function sameTerms(demand: Demand, unitTps: number, period: Wide, price: Wide): boolean {
  if (!TERMS_FOR.changed(demand, unitTps, period, price)) return true;
  if (termsByK.length > 0) termsByK = [];
  return false;
}

/** Null past the Wides. */
function hybridTerms(demand: Demand, unitTps: number, period: Wide, price: Wide, k: number): HybridTerms | null {
  let terms = termsByK[k];
  if (terms === undefined) {
    const perUnit = wideOfAcc(PRODUCT.setDouble(unitTps).timesDouble(k).times(price).times(WIDE_MINUS_ONE).plus(period));
    const rest = k === 0 ? WIDE_ZERO : wideOfAcc(PRODUCT.set(demand.from[demand.sorted.length - k]).times(price));
    termsByK[k] = terms = perUnit && rest ? { perUnit, rest } : null;
  }
  return terms;
}

const WIDE_MINUS_ONE = new Wide(-1, 0, 0);

/**
 * HYBRID_COST's total in double-double from the exact overflow (a Wide), when a product left the
 * Wides. The decimal path rounds the fleet's three products and the API's three (÷ 10^6 only moves
 * the exponent), then adds the two, positive (so within the larger term's relative error): within
 * 4 DECIMAL_STEPs. This path makes each input a double-double within 7u² (mulPow10; the sample
 * count and 3,600 are exact), each term's three products within 7u² each (a unit's period and an
 * overflow token's price taken first, kept for a GRID's row), the API's division 3.5u²: each term
 * within 46u², the sum 3u² more.
 */
function roughHybrid(overflow: WideValue, units: number, unitHourly: number, apiUsdPerMTok: number, hours: number, samples: number) {
  if (ROUGH_FACTORS_FOR.changed(unitHourly, hours, samples, apiUsdPerMTok)) roughFactors(unitHourly, hours, samples, apiUsdPerMTok);
  const fleet = FLEET.setDouble(units);
  if (!fleet.ok || Number.isNaN(ROUGH_FACTORS[0])) return undefined;
  dd.mulPow10(fleet.hi, fleet.lo, -fleet.scale);
  dd.mul(dd.out.hi, dd.out.lo, ROUGH_FACTORS[0], ROUGH_FACTORS[1]);
  const fleetHi = dd.out.hi;
  const fleetLo = dd.out.lo;
  dd.mulPow10(overflow.hi, overflow.lo, -overflow.scale);
  dd.mul(dd.out.hi, dd.out.lo, ROUGH_FACTORS[2], ROUGH_FACTORS[3]);
  dd.add(dd.out.hi, dd.out.lo, fleetHi, fleetLo);
  const hi = dd.out.hi;
  const bound = 1.01 * (4 * DECIMAL_STEP + 49 * U2) * hi;
  return hi > 1 / HUGE && hi < HUGE && dd.roundsTo(hi, dd.out.lo, bound) ? hi : undefined;
}

/**
 * A unit's period (hourly × hours × samples) and an overflow token's price (3,600 × hours × USD per
 * 1M ÷ 10^6) as double-doubles (NaN: an input with no exact form), for the inputs last asked.
 */
const ROUGH_FACTORS = new Float64Array(4);
const ROUGH_FACTORS_FOR = new LastKeys();

function roughFactors(unitHourly: number, hours: number, samples: number, apiUsdPerMTok: number): void {
  ROUGH_FACTORS[0] = Number.NaN;
  const hoursWide = SAMPLE.setDouble(hours);
  const hourly = API.setDouble(unitHourly);
  if (!hoursWide.ok || !hourly.ok) return;
  dd.mulPow10(hoursWide.hi, hoursWide.lo, -hoursWide.scale);
  const hHi = dd.out.hi;
  const hLo = dd.out.lo;
  dd.mulPow10(hourly.hi, hourly.lo, -hourly.scale);
  dd.mul(dd.out.hi, dd.out.lo, hHi, hLo);
  dd.mul(dd.out.hi, dd.out.lo, samples, 0);
  const periodHi = dd.out.hi;
  const periodLo = dd.out.lo;
  const price = API.setDouble(apiUsdPerMTok);
  if (!price.ok) return;
  dd.mulPow10(price.hi, price.lo, -price.scale);
  dd.mul(dd.out.hi, dd.out.lo, 3600, 0);
  dd.mul(dd.out.hi, dd.out.lo, hHi, hLo);
  dd.divFp(dd.out.hi, dd.out.lo, 1e6);
  ROUGH_FACTORS[0] = periodHi;
  ROUGH_FACTORS[1] = periodLo;
  ROUGH_FACTORS[2] = dd.out.hi;
  ROUGH_FACTORS[3] = dd.out.lo;
}

export const HYBRID_COST = defineFunction(
  "HYBRID_COST",
  {
    description:
      "USD over the period a demand column covers when units_owned units serve the base and an API takes the overflow. GRID or SOLVE over units_owned finds the cheapest fleet.",
    result: "number",
    returns: "USD over the period.",
    help: {
      demand: "Column of demand samples in tokens per second (hourly, say). Blank cells at the end are ignored.",
      units_owned: "Units (GPUs or nodes) owned, ≥ 0; fractions allowed.",
      unit_tokens_per_second: "Measured throughput of one unit in tokens per second.",
      unit_hourly_cost: "USD per unit-hour (GPU_HOURLY, or a rental rate).",
      api_price_per_m: "USD per 1M tokens on the API that takes the overflow.",
      hours_per_sample: "Hours each demand sample covers. Default 1.",
    },
  },
  [
    range("demand"),
    double("units_owned", { min: 0 }),
    double("unit_tokens_per_second", { min: 0 }),
    double("unit_hourly_cost", { min: 0 }),
    double("api_price_per_m", { min: 0 }),
    optional(double("hours_per_sample", { above: 0 }), 1),
  ],
  (demandCells, units, unitTps, unitHourly, apiPrice, hoursPerSample) => {
    const fast = fastHybridCost(demandCells, units, unitTps, unitHourly, apiPrice, hoursPerSample);
    if (fast instanceof Fixed) return fast;
    const slow = () => hybridCostOf(demandCells, units, unitTps, unitHourly, apiPrice, hoursPerSample);
    return fast === undefined ? slow() : nearest(fast, slow);
  },
);

// --- memory and throughput ---------------------------------------------------------------------

/** Layers, heads, head dimension: whole counts ≥ 1. */
const dimension = (name: string) => double(name, { min: 1, whole: true });

/** K and V, for every layer and KV head, for every token: 2 × layers × kv_heads × head_dim × bytes × tokens. */
export function kvCacheBytes(layers: number, kvHeads: number, headDim: number, tokenCount: number, bytes: number): Dec {
  const [l, h, d, b, t] = [layers, kvHeads, headDim, bytes, tokenCount].map(fromNumber);
  return new Dec(2).times(l).times(h).times(d).times(b).times(t);
}

const KV_BYTES = new WideAcc();

/**
 * KVCACHE_BYTES past the safe integers (a fill series' 17-digit bytes_per_element): the same product
 * in an exact Wide. Each partial product's units are at most the whole's, so when the whole is a
 * Wide (fewer than 31 digits) every decimal step was exact too: its Fixed, or its double.
 */
function wideKvBytes(layers: number, kvHeads: number, headDim: number, tokenCount: number, bytes: number): Fixed | Nearest | undefined {
  const kv = KV_BYTES.setDouble(2).timesDouble(layers).timesDouble(kvHeads).timesDouble(headDim).timesDouble(bytes).timesDouble(tokenCount);
  return exactOfWide(kv, kvCacheBytes, [layers, kvHeads, headDim, tokenCount, bytes] as const);
}

export const KVCACHE_BYTES = defineFunction(
  "KVCACHE_BYTES",
  {
    description: "Bytes of KV cache: 2 × layers × kv_heads × head_dim × bytes_per_element × tokens.",
    result: "number",
    returns: "Bytes.",
    help: {
      layers: "Transformer layers.",
      kv_heads: "Key/value heads (fewer than query heads with GQA).",
      head_dim: "Dimension of one head.",
      tokens: "Tokens held (context × concurrent sequences).",
      bytes_per_element: "2 for FP16/BF16 (default), 1 for FP8/INT8.",
    },
  },
  [
    dimension("layers"),
    dimension("kv_heads"),
    dimension("head_dim"),
    count("tokens"),
    optional(double("bytes_per_element", { above: 0 }), 2),
  ],
  // The same products in exact integers while they stay safe (each decimal step then was exact too).
  (layers, kvHeads, headDim, tokenCount, bytes) =>
    timesDouble(timesDouble(timesDouble(timesDouble(timesDouble(FIXED_TWO, layers), kvHeads), headDim), bytes), tokenCount) ??
    wideKvBytes(layers, kvHeads, headDim, tokenCount, bytes) ??
    kvCacheBytes(layers, kvHeads, headDim, tokenCount, bytes),
);

/** A hardware argument that is a catalogue id only. */
function hardwareArg(name: string): Param<CompiledHardware> {
  return textAs(name, (id) => hardwareIn(name, id));
}

export interface Workload {
  readonly paramsBillion: Dec;
  readonly bytesPerParam: Dec;
  readonly batch: Dec;
  readonly contextTokens: Dec;
  readonly kvBytesPerToken: Dec;
  readonly efficiency: Dec;
}

/**
 * Roofline decode throughput of a node, tokens per second over the batch. A step reads the
 * weights once plus every sequence's KV cache (memory roof) and does 2 × params FLOPs per
 * sequence (compute roof); it takes the longer of the two, so throughput = batch ÷ step time =
 * the lesser of batch × bandwidth ÷ bytes and FLOP/s ÷ (2 × params) (the batch cancels).
 */
export function decodeTps(hw: CompiledHardware, w: Workload): Dec {
  const params = w.paramsBillion.times(BILLION);
  const bytesPerStep = params.times(w.bytesPerParam).plus(w.batch.times(w.contextTokens).times(w.kvBytesPerToken));
  const bytesPerSecond = w.efficiency.times(hw.gpus).times(hw.bandwidthTbs).times(TERA);
  // FP8 weights run on the FP8 tensor cores where the hardware has them.
  const tflops = w.bytesPerParam.lte(ONE) && hw.fp8Tflops !== null ? hw.fp8Tflops : hw.bf16Tflops;
  const flopsPerSecond = w.efficiency.times(hw.gpus).times(tflops).times(TERA);
  const memoryBound = w.batch.times(bytesPerSecond).div(bytesPerStep);
  const computeBound = flopsPerSecond.div(params.times(2));
  return Dec.min(memoryBound, computeBound);
}

/** A hardware entry's roofline figures as exact Wides (undefined where one has none), once per compiled entry. */
interface WideRoofline {
  readonly gpus?: Wide;
  readonly bandwidthTbs?: Wide;
  readonly bf16Tflops?: Wide;
  readonly fp8Tflops?: Wide;
}

const rooflines = new WeakMap<CompiledHardware, WideRoofline>();

function wideRoofline(hw: CompiledHardware): WideRoofline {
  let r = rooflines.get(hw);
  if (!r) {
    r = {
      gpus: wideOfFixed(fixedOfDec(hw.gpus)),
      bandwidthTbs: wideOfFixed(fixedOfDec(hw.bandwidthTbs)),
      bf16Tflops: wideOfFixed(fixedOfDec(hw.bf16Tflops)),
      fp8Tflops: hw.fp8Tflops === null ? undefined : wideOfFixed(fixedOfDec(hw.fp8Tflops)),
    };
    rooflines.set(hw, r);
  }
  return r;
}

function wideOfFixed(f: Fixed | undefined): Wide | undefined {
  return f && new Wide(f.units, 0, f.scale);
}

const PARAMS = new WideAcc();
const BYTES_PER_STEP = new WideAcc();
const SHARE_OF_GPUS = new WideAcc();
const TWICE_PARAMS = new WideAcc();

/**
 * What DECODE_TPS works out from all but the model's size and bytes a parameter, each exact or
 * failed: a sheet's cells (a GRID over those two) mostly share it. Two, reused in place: a call
 * allocates none.
 */
class Roofs {
  hw: CompiledHardware | undefined;
  batch = Number.NaN;
  contextTokens = Number.NaN;
  kvBytesPerToken = Number.NaN;
  efficiency = Number.NaN;
  /** batch × context × KV bytes a token. */
  readonly cache = new WideAcc();
  /** batch × efficiency × GPUs × bandwidth (× 10^12 B/s, in the scale). */
  readonly memory = new WideAcc();
  /** efficiency × GPUs × TFLOPS (× 10^12 FLOP/s, in the scale), BF16 and FP8. */
  readonly bf16 = new WideAcc();
  readonly fp8 = new WideAcc();
}

const roofs = [new Roofs(), new Roofs()];
let roofsNext = 0;

function roofsFor(hw: CompiledHardware, batch: number, contextTokens: number, kvBytesPerToken: number, efficiency: number): Roofs {
  for (let i = 0; i < roofs.length; i++) {
    const m = roofs[i];
    if (
      m.hw === hw &&
      m.batch === batch &&
      m.contextTokens === contextTokens &&
      m.kvBytesPerToken === kvBytesPerToken &&
      m.efficiency === efficiency
    )
      return m;
  }
  const m = roofs[roofsNext];
  roofsNext = (roofsNext + 1) % roofs.length;
  m.hw = hw;
  m.batch = batch;
  m.contextTokens = contextTokens;
  m.kvBytesPerToken = kvBytesPerToken;
  m.efficiency = efficiency;
  const r = wideRoofline(hw);
  m.cache.setDouble(batch).timesDouble(contextTokens).timesDouble(kvBytesPerToken);
  const units = SHARE_OF_GPUS.setDouble(efficiency).times(r.gpus ?? FAILED);
  const bandwidth = m.memory.set(units).times(r.bandwidthTbs ?? FAILED);
  teraOf(bandwidth.timesDouble(batch));
  teraOf(m.bf16.set(units).times(r.bf16Tflops ?? FAILED));
  teraOf(m.fp8.set(units).times(r.fp8Tflops ?? FAILED));
  return m;
}

/** A value that fails any step it enters. */
const FAILED = new WideAcc().set(undefined);

/** × 10^12 (tera), in the scale. */
function teraOf(acc: WideAcc): void {
  acc.scale -= 12;
}

/**
 * DECODE_TPS without a decimal. Every product and sum of the decimal path (parameters, bytes a
 * step, bytes and FLOPs a second) is exact when it stays a Wide here (fewer than 34 digits), and
 * each bound then ends in one correctly rounded division: so within DECIMAL_STEP of the exact
 * quotient, which nearestQuotient decides. Correct rounding is monotone, so the lesser double is
 * the lesser bound's. The powers of ten (giga, tera) move the scale, not the units, so fill-series
 * inputs (2.0599999999999996 bytes a parameter, 17 digits) keep the products within the Wides.
 */
function fastDecodeTps(
  hw: CompiledHardware,
  paramsBillion: number,
  bytesPerParam: number,
  batch: number,
  contextTokens: number,
  kvBytesPerToken: number,
  efficiency: number,
): number | undefined {
  const m = roofsFor(hw, batch, contextTokens, kvBytesPerToken, efficiency);
  // As decodeTps chooses: FP8 weights on the FP8 tensor cores where the hardware has them.
  const compute = bytesPerParam <= 1 && hw.fp8Tflops !== null ? m.fp8 : m.bf16;
  const params = PARAMS.setDouble(paramsBillion);
  // × 10^9 (giga), in the scale.
  params.scale -= 9;
  const step = BYTES_PER_STEP.set(params).timesDouble(bytesPerParam).plus(m.cache);
  const memoryBound = quotientOf(m.memory, step);
  const computeBound = quotientOf(compute, TWICE_PARAMS.set(params).timesDouble(2));
  return memoryBound === undefined || computeBound === undefined ? undefined : Math.min(memoryBound, computeBound);
}

/** The double nearest num ÷ den when the decimal path's one division is all it rounds, or undefined. */
function quotientOf(num: WideAcc, den: WideAcc): number | undefined {
  if (!num.ok || !den.ok) return undefined;
  // Safe integers brought to one scale: one IEEE division, as `quotient` (decimal.ts) proves.
  const k = den.scale - num.scale;
  if (num.lo === 0 && den.lo === 0 && num.hi >= 0 && den.hi > 0 && Math.abs(k) <= MAX_FIXED_SCALE) {
    const n = k > 0 ? num.hi * POW10[k] : num.hi;
    const d = k < 0 ? den.hi * POW10[-k] : den.hi;
    if (n <= Number.MAX_SAFE_INTEGER && d <= Number.MAX_SAFE_INTEGER) return n / d + 0;
  }
  // nearestQuotient takes scales that differ by at most 44 (a Wide's finest).
  return Math.abs(k) <= 2 * MAX_FIXED_SCALE ? nearestQuotient(num, den, DECIMAL_STEP) : undefined;
}

export const DECODE_TPS = defineFunction(
  "DECODE_TPS",
  {
    description:
      "Roofline upper bound on a node's decode throughput, tokens per second over the batch. Compute money from measured throughput (HARDWARE's measured columns, or your own), not from this.",
    result: "number",
    returns: "Tokens per second, an upper bound.",
    help: {
      hardware: 'Catalogue id ("8xh100-sxm"): bandwidth and TFLOPS come from it.',
      params_billion: "Model parameters in billions.",
      bytes_per_param: "2 for BF16 (default), 1 for FP8 (uses the FP8 tensor cores where the hardware has them).",
      batch: "Sequences decoded together, a whole number. Default 1.",
      context_tokens: "Tokens of context each sequence reads from its KV cache every step. Default 0.",
      kv_bytes_per_token: "KV cache bytes per token (KVCACHE_BYTES with tokens = 1). Default 0.",
      efficiency: "Fraction of peak bandwidth and FLOPS achieved, above 0 and at most 1. Default 0.6.",
    },
  },
  [
    hardwareArg("hardware"),
    double("params_billion", { above: 0 }),
    optional(double("bytes_per_param", { above: 0 }), 2),
    optional(double("batch", { min: 1, whole: true }), 1),
    optional(count("context_tokens"), 0),
    optional(double("kv_bytes_per_token", { min: 0 }), 0),
    optional(share("efficiency"), 0.6),
  ],
  (hw, paramsBillion, bytesPerParam, batch, contextTokens, kvBytesPerToken, efficiency) => {
    const fast = fastDecodeTps(hw, paramsBillion, bytesPerParam, batch, contextTokens, kvBytesPerToken, efficiency);
    if (fast === undefined) return decodeTpsOf(hw, paramsBillion, bytesPerParam, batch, contextTokens, kvBytesPerToken, efficiency);
    // Its arguments kept, not a closure made on every call.
    return nearest(fast, decodeTpsOf, [hw, paramsBillion, bytesPerParam, batch, contextTokens, kvBytesPerToken, efficiency] as const);
  },
);

/** DECODE_TPS's decimal path, from the doubles the worksheet hands over. */
function decodeTpsOf(
  hw: CompiledHardware,
  paramsBillion: number,
  bytesPerParam: number,
  batch: number,
  contextTokens: number,
  kvBytesPerToken: number,
  efficiency: number,
): Dec {
  return decodeTps(hw, {
    paramsBillion: fromNumber(paramsBillion),
    bytesPerParam: fromNumber(bytesPerParam),
    batch: fromNumber(batch),
    contextTokens: fromNumber(contextTokens),
    kvBytesPerToken: fromNumber(kvBytesPerToken),
    efficiency: fromNumber(efficiency),
  });
}
