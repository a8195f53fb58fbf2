import { type Actuals, METERS } from "@tokenledger/core/actuals";
import type { Dec } from "@tokenledger/core/decimal";
import { area, cell } from "../scenarios/a1";
import { forecastPlanUsd } from "../scenarios/forecast";
import { type Cell, LayoutBuilder, PERCENT, type SheetLayout, USD_FINE, WHOLE, f } from "../scenarios/layout";

/**
 * The sheets the Actuals tab writes, computed without Excel: Actuals (month × model × team, as
 * an Excel table) and Variance (plan from a forecast sheet against actual cost, by month).
 * Decimals become numbers here, at the Excel boundary; unknown amounts are blank cells.
 */

const HEADER = [
  "Month",
  "Model",
  "Team",
  "Requests",
  "Uncached input",
  "Cache read",
  "Cache write 5m",
  "Cache write 1h",
  "Output",
  "Reasoning",
  "Web searches",
  "Cost (USD)",
  "Billed (USD)",
  "Difference (USD)",
];
const COST = 12;
const BILLED = 13;

const num = (d: Dec | null): Cell => (d === null ? "" : d.toNumber());

export function actualsLayout(a: Actuals): SheetLayout {
  const b = new LayoutBuilder("TL Actuals");
  const rows = a.rows.map((r, i): Cell[] => {
    const row = i + 2;
    const [cost, billed] = [cell(row, COST), cell(row, BILLED)];
    return [
      r.month,
      r.model,
      r.team,
      ...[r.requests, ...METERS.map((m) => r.tokens[m]), r.webSearches].map(num),
      num(r.cost),
      num(r.billed),
      f(`=IF(OR(${cost}="",${billed}=""),"",${billed}-${cost})`),
    ];
  });
  b.put(1, 1, [HEADER, ...rows]);
  if (rows.length) b.format(area(2, 4, rows.length, 8), WHOLE).format(area(2, COST, rows.length, 3), USD_FINE);
  b.style(area(1, 1, 1, HEADER.length), "header").results(COST, COST + 2);
  return b.build({ rows: 1, columns: 0 });
}

/** The address of the Actuals table: header and rows. */
export function actualsTableAddress(a: Actuals): string {
  return area(1, 1, a.rows.length + 1, HEADER.length);
}

/** Months from `from` to `to` ("YYYY-MM"), counting `from` as 1. */
function monthNumber(from: string, to: string): number {
  const [y0, m0] = from.split("-").map(Number);
  const [y, m] = to.split("-").map(Number);
  return (y - y0) * 12 + (m - m0) + 1;
}

/**
 * Plan against actual by month. The plan is the forecast sheet's cost, live, with its month 1 at
 * `start`; the actual is the cost at catalogue prices (as the plan is), billed beside it.
 */
export function varianceLayout(a: Actuals, forecastSheet: string, start: string): SheetLayout {
  const b = new LayoutBuilder("TL Variance");
  const byMonth = new Map<string, { cost: Dec | null; billed: Dec | null }>();
  for (const r of a.reconciled) {
    const m = byMonth.get(r.month);
    const plus = (x: Dec | null, y: Dec | null) => (x === null ? y : y === null ? x : x.plus(y));
    byMonth.set(
      r.month,
      m
        ? { cost: m.cost === null || r.cost === null ? null : m.cost.plus(r.cost), billed: plus(m.billed, r.billed) }
        : { cost: r.cost, billed: r.billed },
    );
  }
  const sheet = `'${forecastSheet.replaceAll("'", "''")}'`;
  const rows = [...byMonth].map(([month, { cost, billed }], i): Cell[] => {
    const r = i + 2;
    const k = monthNumber(start, month);
    return [
      month,
      k,
      k >= 1 ? f(`=${forecastPlanUsd(sheet, k)}`) : "",
      num(cost),
      num(billed),
      f(`=IF(OR(C${r}="",D${r}=""),"",D${r}-C${r})`),
      f(`=IF(OR(C${r}="",C${r}=0,D${r}=""),"",F${r}/C${r})`),
    ];
  });
  const n = rows.length;
  b.put(1, 1, [["Month", "Forecast month", "Plan (USD)", "Actual (USD)", "Billed (USD)", "Variance (USD)", "Variance %"], ...rows]);
  if (n) b.format(area(2, 3, n, 4), USD_FINE).format(area(2, 7, n, 1), PERCENT);
  b.style("A1:G1", "header").results(3, 7);
  b.put(1, 9, [
    ["Forecast sheet", forecastSheet],
    ["Its month 1", start],
    ["Actual", "cost at catalogue prices, as the plan"],
  ]);
  b.style("I1:I3", "header");
  if (n) {
    b.chart({
      type: "Line",
      source: area(1, 3, n + 1, 2),
      categories: area(2, 1, n, 1),
      title: "Plan against actual",
      valueAxisTitle: "USD per month",
      categoryAxisTitle: "Month",
      from: "I5",
      to: "P22",
    });
  }
  return b.build({ rows: 1, columns: 0 });
}
