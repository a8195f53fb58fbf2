import { FUNCTIONS } from "@tokenledger/core";
import { type CompiledCatalogue, type CompiledModel, FLAG_FACTOR, findModel } from "@tokenledger/core/catalogue";

/**
 * Before a proposed catalogue is accepted: the workbook's TL formulas whose model argument would
 * stop resolving, or whose model's input or output price would move by more than ×10. A model
 * argument is a text literal, or a reference to a cell of the same sheet holding the name.
 */

/** A TL formula of the workbook, with the model names its calls take. */
export interface TlCell {
  /** "Sheet1!B2". */
  readonly address: string;
  readonly formula: string;
  readonly models: readonly string[];
}

export interface AtRisk {
  readonly address: string;
  readonly formula: string;
  readonly why: string;
}

/** The TL functions whose first argument is a model. */
const MODEL_FIRST = new Set(
  Object.values(FUNCTIONS)
    .filter((f) => f.params[0]?.name === "model")
    .map((f) => f.name),
);

/** Excel's longest formula; a longer text is not one. */
const FORMULA_CAP = 8192;
const CALL = /\bTL\.([A-Z_]+)\(\s*("(?:[^"]|"")*"|\$?[A-Z]{1,3}\$?\d+)/gi;

/**
 * The model arguments of a formula's TL calls: literals as written, references through `valueAt`
 * (the value of a same-sheet cell, by its address without `$`; undefined when unknown).
 */
export function modelArguments(formula: string, valueAt: (ref: string) => unknown): string[] {
  const out: string[] = [];
  for (const [, name, arg] of formula.slice(0, FORMULA_CAP).matchAll(CALL)) {
    if (!MODEL_FIRST.has(name.toUpperCase())) continue;
    const value = arg.startsWith('"') ? arg.slice(1, -1).replace(/""/g, '"') : valueAt(arg.replace(/\$/g, "").toUpperCase());
    if (typeof value === "string" && value.trim()) out.push(value);
  }
  return out;
}

function resolves(catalogue: CompiledCatalogue, name: string): CompiledModel | Error {
  try {
    return findModel(catalogue, name);
  } catch (e) {
    return e as Error;
  }
}

/** Why a name that resolves today would break under `proposed`, or undefined when it would not. */
function breakage(name: string, current: CompiledCatalogue, proposed: CompiledCatalogue): string | undefined {
  const before = resolves(current, name);
  if (before instanceof Error) return undefined; // broken already: not this refresh's doing
  const after = resolves(proposed, name);
  if (after instanceof Error) return `"${name}" would no longer resolve (${after.message})`;
  for (const component of ["input", "output"] as const) {
    const a = before.rates[0].get("")![component];
    const b = after.rates[0].get("")![component];
    if (!a || !b || a.isZero()) continue;
    const ratio = b.div(a);
    if (ratio.gt(FLAG_FACTOR) || ratio.times(FLAG_FACTOR).lt(1)) {
      return `the ${component} price of "${name}" would go from ${a.toString()} to ${b.toString()} per 1M tokens (more than ×10)`;
    }
  }
  return undefined;
}

/** The formulas the proposed catalogue would break, each with why. */
export function formulasAtRisk(cells: readonly TlCell[], current: CompiledCatalogue, proposed: CompiledCatalogue): AtRisk[] {
  const out: AtRisk[] = [];
  for (const cell of cells) {
    const why = cell.models.map((name) => breakage(name, current, proposed)).filter((w): w is string => w !== undefined);
    if (why.length) out.push({ address: cell.address, formula: cell.formula, why: why.join("; ") });
  }
  return out;
}
