import { type CellValue, DetailedCellError, HyperFormula } from "hyperformula";
import { MAX_COLUMNS, MAX_ROWS, type SheetResult } from "@tokenledger/core";
import { ROOT, registerTlFunctions, takeRootResult } from "./plugin";

/**
 * Evaluates one formula with HyperFormula, as if typed into a cell of an empty sheet, and reads
 * its value without spilling it into the sheet (`calculateFormula`): a million-cell spill is
 * read as one array instead of being written into a million cells first.
 */

export interface ErrorValue {
  /** Excel's spelling: `#N/A`, `#VALUE!`, `#NUM!`, `#NAME?`, `#DIV/0!`, `#ERROR!` … */
  readonly error: string;
  readonly message: string;
}
export type Cell = number | string | boolean | null | ErrorValue;

export interface Outcome {
  /** The formula as given. */
  readonly formula: string;
  /** A single value (an error when the formula errs) or the rows of a spilled result. */
  readonly value: Cell | Cell[][];
  /**
   * What core computed, when the whole formula is one TL call (in parentheses or not): the
   * decimals behind the doubles of `value`.
   */
  readonly computed?: SheetResult;
}

const CONFIG = {
  licenseKey: "gpl-v3",
  // Excel 365: array arithmetic everywhere ({1,2}*2 spills), its grid size (SEQUENCE up to
  // 1,048,576 rows), and values as computed, not rounded to 14 digits for display.
  useArrayArithmetic: true,
  maxRows: MAX_ROWS,
  maxColumns: MAX_COLUMNS,
  smartRounding: false,
};

let engine: HyperFormula | undefined;

function sheetEngine(): HyperFormula {
  registerTlFunctions();
  engine ??= HyperFormula.buildFromArray([[]], CONFIG);
  return engine;
}

function cell(v: CellValue): Cell {
  return v instanceof DetailedCellError ? { error: v.value, message: v.message } : v;
}

/** calculateFormula's rows are new arrays: its errors become ours in place (a spill may be huge). */
function inPlace(rows: CellValue[][]): Cell[][] {
  const cells: (CellValue | Cell)[][] = rows;
  for (const row of cells) {
    for (let c = 0; c < row.length; c++) {
      const v = row[c];
      if (v instanceof DetailedCellError) row[c] = cell(v);
    }
  }
  return cells as Cell[][];
}

export function isErrorValue(v: unknown): v is ErrorValue {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

const PARSE_ERROR: ErrorValue = { error: "#ERROR!", message: "Parsing error: not a valid formula" };

export function evaluate(formula: string): Outcome {
  const text = formula.trim();
  const body = text.startsWith("=") ? text.slice(1) : text;
  try {
    const hf = sheetEngine();
    if (!hf.validateFormula(`=${body}`)) return { formula, value: PARSE_ERROR };
    const value = hf.calculateFormula(`=${ROOT}(${body})`, 0);
    const computed = takeRootResult();
    return { formula, value: Array.isArray(value) ? inPlace(value) : cell(value), computed };
  } catch (e) {
    // HyperFormula failed inside (a formula nested past the stack, say): start over with a new engine.
    engine = undefined;
    takeRootResult();
    const message = e instanceof Error ? e.message : String(e);
    return { formula, value: { error: "#ERROR!", message: `cannot evaluate: ${message}` } };
  }
}
