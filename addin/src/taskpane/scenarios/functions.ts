import { Dec, FUNCTIONS, type Param, type SheetFunction, valueError } from "@tokenledger/core";
import { parseAmount } from "../amount";
import { DECIMAL, PERCENT, USD, USD_FINE, WHOLE } from "./layout";

/**
 * The TL functions the sensitivity grid and the tornado offer, with example arguments that
 * evaluate, and how arguments typed in the task pane become cell values.
 */

/** An argument as a cell holds it; "" is blank. */
export type ArgValue = number | string;

/** What the examples draw from the pickers. */
export interface ExampleContext {
  readonly model: string;
  readonly hardware: string;
  /** The hardware's kW: GPU examples give kw, since a blank before later arguments is refused (see argList). */
  readonly kw: number;
}

interface Offer {
  readonly example: (c: ExampleContext) => ArgValue[];
  /** Number format of the function's result. */
  readonly result: string;
  /** For the grid's colours: savings are good when high; costs, volumes and counts when low. */
  readonly higherIsBetter?: boolean;
}

// Whole-number arguments (years, retries) are picked so that ±20% stays whole: 5 → 4 and 6.
const OFFERS: Record<string, Offer> = {
  LLMCOST: { example: (c) => [c.model, 1500, 300], result: USD_FINE },
  TOKENCOST: { example: () => [1500, 300, 3, 15], result: USD_FINE },
  MONTHLYCOST: { example: (c) => [c.model, 20000, 1500, 300, 0.3, 0.02], result: USD },
  REASONINGCOST: { example: (c) => [c.model, 1500, 300, 8000], result: USD_FINE },
  BUDGETCOST: { example: (c) => [c.model, 1500, 300, 16000, 0.75], result: USD_FINE },
  CACHE_COST: { example: (c) => [c.model, 10000, 1000, 50], result: USD },
  CACHE_SAVINGS: { example: (c) => [c.model, 10000, 1000, 50], result: USD, higherIsBetter: true },
  CACHE_WRITES: { example: () => [1000, 1440, 5], result: DECIMAL },
  GPU_TCO: { example: (c) => [c.hardware, 5, c.kw, 0.1, 1.4], result: USD },
  GPU_HOURLY: { example: (c) => [c.hardware, 5, c.kw, 0.1, 1.4], result: USD },
  RENT_COST: { example: (c) => [c.hardware, 1, 0.6], result: USD },
  SELFHOST_COSTPERM: { example: () => [14, 30000, 0.5], result: USD_FINE },
  SELFHOST_BREAKEVEN: { example: (c) => [120000, c.model, 0.3], result: WHOLE },
  GPUS_NEEDED: { example: () => [50000, 30000, 0.3], result: WHOLE },
  RETRY_FACTOR: { example: () => [0.02, 5], result: "0.000000" },
  FREE_TIER_COST: { example: () => [0.05, 0.5], result: USD },
  FINETUNE_BREAKEVEN: { example: () => [5000, 0.009, 0.002], result: WHOLE },
};

/** The functions offered, in the order the pickers list them. */
export const OFFERED = Object.keys(OFFERS);

export function offered(name: string): Required<Offer> & { fn: SheetFunction } {
  const offer = OFFERS[name];
  if (!offer) throw valueError("function", `${name} is not offered here (choose one of ${OFFERED.join(", ")})`);
  return { fn: FUNCTIONS[name], higherIsBetter: false, ...offer };
}

/**
 * Whether an argument is a share or a rate, from what the contract's names say it is: the pane
 * takes it as a percent (30 for 30%), as the forecast does, and the sheet formats it as one.
 */
export function isPercent(p: Param<unknown>): boolean {
  return p.fraction || /rate|share|growth|change|escalation|utilisation|headroom|expected_use|efficiency/.test(p.name);
}

const WORDS: Record<string, string> = { kw: "kW", kwh: "kWh", pue: "PUE", px: "px", api: "API", gpu: "GPU" };

/** An argument as people name it: "cache_hit_rate" → "Cache hit rate". */
export function argLabel(p: Param<unknown>): string {
  const text = p.name
    .split("_")
    .map((w) => WORDS[w] ?? w)
    .join(" ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A fraction as the percent the pane shows: 0.3 → "30". */
export const percentText = (fraction: number) => new Dec(fraction).times(100).toString();

/** Number format of an argument's cells. */
export function argFormat(p: Param<unknown>): string {
  if (isPercent(p)) return PERCENT;
  if (/cost|price|capex|hourly|per_year|per_kw_month/.test(p.name)) return USD_FINE;
  if (/tokens|requests|writes|per_second|_px|minutes/.test(p.name)) return WHOLE;
  return "General";
}

/** Decimal text as people type numbers: no digit groups, no hex. */
export const DECIMAL_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * Text typed for an argument: a number where it reads as one ("1,500", "1.5k", "2M" too), a
 * percent as its fraction, else the text ("" stays blank).
 */
export function argValue(typed: string, percent = false): ArgValue {
  const t = typed.trim();
  const d = parseAmount(t) ?? (DECIMAL_TEXT.test(t) ? new Dec(t) : undefined);
  if (!d) return t;
  return (percent ? d.div(100) : d).toNumber();
}

/**
 * An argument list as cells take it: trailing blanks dropped. A blank before a given argument
 * is refused: TORNADO reads its arguments from cells, and Excel on the desktop hands an empty
 * cell to a custom function as 0, not as an omitted argument.
 */
export function argList(fn: SheetFunction, values: readonly ArgValue[]): ArgValue[] {
  let n = values.length;
  while (n > 0 && values[n - 1] === "") n--;
  const list = values.slice(0, n);
  if (list.length > fn.params.length) throw valueError("args", `${fn.name} takes at most ${fn.params.length} arguments`);
  fn.params.forEach((p, i) => {
    if (list[i] === "" || (i >= list.length && !p.optional)) {
      throw valueError(p.name, i < list.length ? "give a value, or leave every argument after it blank" : "is required");
    }
  });
  return list;
}

/** A comma-separated list of values for a grid's row or column ("1.5k" reads, "1,500" does not: commas part values). */
export function valueList(name: string, typed: string, percent = false): ArgValue[] {
  const values = typed
    .split(",")
    .map((t) => argValue(t, percent))
    .filter((v) => v !== "");
  if (values.length === 0) throw valueError(name, "list at least one value, separated by commas");
  return values;
}

const SPREAD = [0.5, 0.75, 1, 1.25, 1.5];

/** Values around a base for a grid axis: ±50% in quarter steps, kept whole or within 1 as the argument is. */
export function valuesAround(p: Param<unknown>, base: ArgValue): ArgValue[] {
  if (typeof base !== "number") return [base];
  const values = SPREAD.map((k) => Number((base * k).toPrecision(12)))
    .map((v) => (p.whole ? Math.round(v) : v))
    .filter((v) => !p.fraction || v <= 1);
  return [...new Set(values)];
}
