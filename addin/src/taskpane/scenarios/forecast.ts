import { area, cell } from "./a1";
import { type Cell, LayoutBuilder, PERCENT, type SheetLayout, USD, WHOLE, f, putInputs, tl } from "./layout";

/**
 * The forecast sheet: an assumptions block and one row a month of live formulas. Users grow by
 * `monthlyGrowth` a month and prices move by `annualPriceChange` a year, compounded monthly, as
 * FORECAST does: month m (from 0) costs MONTHLYCOST × (1+growth)^m × (1+price change)^(m/12).
 */

export interface ForecastInputs {
  readonly model: string;
  readonly users: number;
  readonly monthlyGrowth: number;
  readonly requestsPerUser: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheHitRate: number;
  readonly retryRate: number;
  readonly annualPriceChange: number;
  readonly months: 24 | 36;
}

export const FORECAST_DEFAULTS: Omit<ForecastInputs, "model"> = {
  users: 1000,
  monthlyGrowth: 0.05,
  requestsPerUser: 20,
  inputTokens: 1500,
  outputTokens: 300,
  cacheHitRate: 0.3,
  retryRate: 0.02,
  annualPriceChange: -0.2,
  months: 24,
};

/** Columns of the monthly table, E onwards. */
const MONTH = 5;
const USERS = 6;
const REQUESTS = 7;
const PRICE_FACTOR = 8;
const AT_TODAYS_PRICES = 9;
const COST = 10;
/** Quarter totals, L:M. */
const QUARTER = 12;
const FACTOR_FORMAT = "0.0000";

/** The cell of month `m` (from 1) in a forecast sheet's cost column, for sheets that compare against the plan. */
export function forecastCostCell(m: number): string {
  return cell(m + 1, COST);
}

export function forecastLayout(x: ForecastInputs): SheetLayout {
  const b = new LayoutBuilder("TL Forecast");
  b.put(1, 1, [["Assumption", "Value", "Unit"]]);
  const a = putInputs(b, 2, {
    model: { label: "Model", value: x.model, unit: "catalogue id" },
    users: { label: "Users in month 1", value: x.users, unit: "users", format: WHOLE },
    growth: { label: "Monthly user growth", value: x.monthlyGrowth, unit: "per month", format: PERCENT },
    requests: { label: "Requests per user", value: x.requestsPerUser, unit: "per month", format: WHOLE },
    input: { label: "Input tokens", value: x.inputTokens, unit: "per request", format: WHOLE },
    output: { label: "Output tokens", value: x.outputTokens, unit: "per request", format: WHOLE },
    cacheHit: { label: "Cache hit rate", value: x.cacheHitRate, unit: "of input tokens", format: PERCENT },
    retry: { label: "Retry rate", value: x.retryRate, unit: "extra requests", format: PERCENT },
    priceChange: { label: "Annual price change", value: x.annualPriceChange, unit: "per year", format: PERCENT },
  });

  const first = 2;
  const last = x.months + 1;
  const months: Cell[][] = [];
  for (let r = first; r <= last; r++) {
    const m = `(${cell(r, MONTH)}-1)`;
    months.push([
      r - 1,
      f(`=${a.users}*(1+${a.growth})^${m}`),
      f(`=${cell(r, USERS)}*${a.requests}`),
      f(`=(1+${a.priceChange})^(${m}/12)`),
      tl("MONTHLYCOST", [a.model, cell(r, REQUESTS), a.input, a.output, a.cacheHit, a.retry]),
      f(`=${cell(r, AT_TODAYS_PRICES)}*${cell(r, PRICE_FACTOR)}`),
    ]);
  }
  b.put(1, MONTH, [["Month", "Users", "Requests", "Price factor", "Cost at today's prices (USD)", "Cost (USD)"], ...months]);
  b.format(area(first, USERS, x.months, 2), WHOLE)
    .format(area(first, PRICE_FACTOR, x.months, 1), FACTOR_FORMAT)
    .format(area(first, AT_TODAYS_PRICES, x.months, 2), USD)
    .results(USERS, COST);

  const costs = (from: number, n: number) => `=SUM(${area(from, COST, n, 1)})`;
  const quarters = x.months / 3;
  b.put(1, QUARTER, [["Quarter", "Cost (USD)"], ...Array.from({ length: quarters }, (_, q) => [`Q${q + 1}`, f(costs(first + 3 * q, 3))])]);
  b.format(area(first, QUARTER + 1, quarters, 1), USD).results(QUARTER + 1);

  // Years under the assumptions, where the answer sits beside the inputs that drive it.
  const yearsAt = 13;
  const years = x.months / 12;
  b.put(yearsAt, 1, [
    ["Year", "Cost (USD)"],
    ...Array.from({ length: years }, (_, y) => [`Year ${y + 1}`, f(costs(first + 12 * y, 12))]),
    ["Total", f(costs(first, x.months))],
  ]);
  b.format(area(yearsAt + 1, 2, years + 1, 1), USD).results(2);

  b.chart({
    type: "Line",
    source: area(1, AT_TODAYS_PRICES, x.months + 1, 2),
    categories: area(first, MONTH, x.months, 1),
    title: "LLM cost per month",
    valueAxisTitle: "USD per month",
    categoryAxisTitle: "Month",
    from: "O2",
    to: "X22",
  });

  for (const header of ["A1:C1", area(1, MONTH, 1, 6), area(1, QUARTER, 1, 2), area(yearsAt, 1, 1, 2)]) b.style(header, "header");
  return b.build({ rows: 1, columns: 0 });
}
