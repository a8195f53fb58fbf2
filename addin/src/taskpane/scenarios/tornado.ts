import { valueError } from "@tokenledger/core";
import { abs, area, cell } from "./a1";
import { type ArgValue, argFormat, argLabel, argList, offered } from "./functions";
import { type Cell, LayoutBuilder, PERCENT, type SheetLayout, f, str, tl } from "./layout";

/**
 * The tornado sheet: a TL function's arguments as inputs, TORNADO's table of each numeric
 * argument swung down and up, and a bar chart of how far each swing moves the result from its
 * value at the inputs, largest first (TORNADO sorts by spread).
 */

export interface TornadoInputs {
  readonly fn: string;
  readonly args: readonly ArgValue[];
  /** How far each argument moves, as a fraction (0.2 = ±20%). */
  readonly swing: number;
}

export const TORNADO_SWING = 0.2;

const SPILL = 4; // D: TORNADO's table, D:G
const CHART_DATA = 9; // I: the bars, I:K

export function tornadoLayout(x: TornadoInputs): SheetLayout {
  const { fn, result } = offered(x.fn);
  const args = argList(fn, x.args);
  const params = fn.params.slice(0, args.length);
  const swung = params.filter((_, i) => typeof args[i] === "number");
  if (swung.length === 0) throw valueError("args", `${fn.name} needs a numeric argument to swing`);

  const b = new LayoutBuilder("TL Tornado");
  const last = args.length + 1;
  const swingRow = last + 1;
  const resultRow = last + 2;
  const base = abs(resultRow, 2);
  b.put(1, 1, [
    ["Argument", "Value"],
    ...params.map((p, i) => [argLabel(p), args[i]]),
    ["swing", x.swing],
    [
      `TL.${fn.name} at these values`,
      tl(
        fn.name,
        params.map((_, i) => abs(i + 2, 2)),
      ),
    ],
  ]);
  b.style("A1:B1", "header").style(area(2, 2, args.length + 1, 1), "input");
  params.forEach((p, i) => b.format(cell(i + 2, 2), argFormat(p)));
  b.format(cell(swingRow, 2), PERCENT).format(base, result).results(2);

  // One row per numeric argument under TORNADO's header row.
  const rows = swung.length;
  b.put(1, SPILL, [[f(`=TL.TORNADO(${str(fn.name)},${abs(2, 2)}:${abs(last, 2)},${abs(swingRow, 2)})`)]]);
  b.format(area(2, SPILL + 1, rows, 3), result)
    .style(area(1, SPILL, 1, 4), "header")
    .results(SPILL, SPILL, Math.max(...swung.map((p) => p.name.length)))
    .results(SPILL + 1, SPILL + 3);

  const bars: Cell[][] = Array.from({ length: rows }, (_, i) => {
    const r = i + 2;
    return [f(`=${cell(r, SPILL)}`), f(`=${cell(r, SPILL + 1)}-${base}`), f(`=${cell(r, SPILL + 2)}-${base}`)];
  });
  b.put(1, CHART_DATA, [["Argument", "Argument lowered", "Argument raised"], ...bars]);
  b.format(area(2, CHART_DATA + 1, rows, 2), result)
    .style(area(1, CHART_DATA, 1, 3), "header")
    .results(CHART_DATA, CHART_DATA, Math.max(...swung.map((p) => p.name.length)))
    .results(CHART_DATA + 1, CHART_DATA + 2);

  const chartTop = Math.max(resultRow, rows + 1) + 2;
  b.chart({
    type: "BarClustered",
    source: area(1, CHART_DATA + 1, rows + 1, 2),
    categories: area(2, CHART_DATA, rows, 1),
    title: `What moves TL.${fn.name} most`,
    valueAxisTitle: `Change from TL.${fn.name} at the inputs`,
    categoryAxisTitle: "Argument",
    from: cell(chartTop, SPILL),
    to: cell(chartTop + 18, CHART_DATA + 2),
    tornado: true,
  });
  return b.build({ rows: 1, columns: 0 });
}
