import { valueError } from "@tokenledger/core";
import { abs, area, cell, column } from "./a1";
import { type ArgValue, argFormat, argLabel, argList, offered } from "./functions";
import { type Cell, LayoutBuilder, type SheetLayout, tl } from "./layout";

/**
 * The sensitivity grid: what a Data Table would show, as plain formulas. Row 1 names the
 * function's arguments and row 2 holds their values; the grid's column values run across row 4
 * and its row values down column A, and each cell is the function with the two varied arguments
 * pointing at its headers: =TL.LLMCOST($B$2,$A5,B$4).
 */

export interface SensitivityInputs {
  readonly fn: string;
  /** Base arguments in order; the two varied ones may be blank. */
  readonly args: readonly ArgValue[];
  /** Positions (from 0) of the arguments that vary down the rows and across the columns. */
  readonly rowArg: number;
  readonly colArg: number;
  readonly rowValues: readonly ArgValue[];
  readonly colValues: readonly ArgValue[];
}

/** Far more than anyone reads; Excel itself would cope with more. */
const MAX_GRID_ROWS = 200;
const MAX_GRID_COLUMNS = 50;

const ARGS_ROW = 1;
const VALUES_ROW = 2;
const HEADER_ROW = 4;

export function sensitivityLayout(x: SensitivityInputs): SheetLayout {
  const { fn, result, higherIsBetter } = offered(x.fn);
  const rowParam = fn.params[x.rowArg];
  const colParam = fn.params[x.colArg];
  if (!rowParam) throw valueError("row argument", `${fn.name} has no argument ${x.rowArg + 1}`);
  if (!colParam) throw valueError("column argument", `${fn.name} has no argument ${x.colArg + 1}`);
  if (x.rowArg === x.colArg) throw valueError("column argument", "must differ from the row argument");
  if (x.rowValues.length === 0 || x.rowValues.length > MAX_GRID_ROWS) {
    throw valueError(rowParam.name, `list 1 to ${MAX_GRID_ROWS} values`);
  }
  if (x.colValues.length === 0 || x.colValues.length > MAX_GRID_COLUMNS) {
    throw valueError(colParam.name, `list 1 to ${MAX_GRID_COLUMNS} values`);
  }
  // The varied arguments take their first value for the check, so they may be left blank.
  const base = [...x.args];
  base[x.rowArg] = x.rowValues[0];
  base[x.colArg] = x.colValues[0];
  const args = argList(
    fn,
    Array.from(base, (v) => v ?? ""),
  );

  const b = new LayoutBuilder("TL Sensitivity");
  const params = fn.params.slice(0, args.length);
  const shown = (i: number): Cell => (i === x.rowArg ? "↓ (rows)" : i === x.colArg ? "→ (columns)" : args[i]);
  b.put(ARGS_ROW, 1, [
    [`TL.${fn.name}`, ...params.map(argLabel)],
    ["value", ...params.map((_, i) => shown(i))],
  ]);
  params.forEach((p, i) => {
    if (i === x.rowArg || i === x.colArg) return;
    b.style(cell(VALUES_ROW, i + 2), "input").format(cell(VALUES_ROW, i + 2), argFormat(p));
  });

  const top = HEADER_ROW + 1;
  const rows = x.rowValues.length;
  const cols = x.colValues.length;
  const grid: Cell[][] = x.rowValues.map((v, i) => [
    v,
    ...x.colValues.map((_, j) => {
      const refs = args.map((_, k) => abs(VALUES_ROW, k + 2));
      refs[x.rowArg] = `$A${top + i}`;
      refs[x.colArg] = `${column(j + 2)}$${HEADER_ROW}`;
      return tl(fn.name, refs);
    }),
  ]);
  b.put(HEADER_ROW, 1, [[`${argLabel(rowParam)} ↓  ${argLabel(colParam)} →`, ...x.colValues], ...grid]);

  const results = area(top, 2, rows, cols);
  b.style(area(HEADER_ROW, 2, 1, cols), "input")
    .style(area(top, 1, rows, 1), "input")
    .format(area(HEADER_ROW, 2, 1, cols), argFormat(colParam))
    .format(area(top, 1, rows, 1), argFormat(rowParam))
    .format(results, result)
    .colorScale(results, higherIsBetter)
    .results(2, cols + 1)
    .style(area(ARGS_ROW, 1, 1, params.length + 1), "header")
    .style(cell(HEADER_ROW, 1), "header");
  return b.build({ rows: HEADER_ROW, columns: 1 });
}
