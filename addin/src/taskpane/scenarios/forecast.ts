import { abs, area, cell } from "./a1";
import { type Cell, DECIMAL, LayoutBuilder, PERCENT, type SheetLayout, USD, USD_FINE, WHOLE, f, putInputs, tl, tlCall } from "./layout";

/**
 * The forecast sheet: an assumptions block and one row a month of live formulas. Users grow by
 * `monthlyGrowth` a month and prices move by `annualPriceChange` a year, compounded monthly, as
 * FORECAST does: month m (from 0) costs MONTHLYCOST × (1+growth)^m × (1+price change)^(m/12).
 * Below the year totals, the same request as a conversation that resends its history
 * (CONVERSATION_COST) and as a routed mix with reasoning models (ROUTECOST).
 */

/** A route besides the forecast's model, which takes the share the others leave. */
export interface Route {
  readonly model: string;
  readonly share: number;
  /** An effort word, a number of thinking tokens, or "" for none. */
  readonly thinking: string | number;
}

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
  /** Turns of a conversation whose every turn is a request of the tokens above plus the history. */
  readonly turns: number;
  readonly routes: readonly Route[];
  /** USD per request for the routing decision. */
  readonly routerCost: number;
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
  turns: 10,
  // Seed 002's support-agent mix: 70% easy (the forecast's model), 25% medium, 5% hard reasoning,
  // and a classifier call at $0.0005.
  routes: [
    { model: "deepseek/deepseek-r1", share: 0.25, thinking: "medium" },
    { model: "openai/o3", share: 0.05, thinking: "high" },
  ],
  routerCost: 0.0005,
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

  conversationsAndRoutes(b, yearsAt + years + 3, x, a);

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

/**
 * Per-request views of the assumptions, from row `at` in A:C: a conversation of `turns` turns
 * (CONVERSATION_COST, with and without its history cached) against one request, and a routed
 * mix (ROUTECOST) priced for month 1's requests with retries.
 */
function conversationsAndRoutes(b: LayoutBuilder, at: number, x: ForecastInputs, a: Record<string, string>): void {
  const turns = abs(at + 1, 2);
  const conversation = (cached: string) => tlCall("CONVERSATION_COST", [a.model, turns, a.input, a.output, "0", cached]);
  b.put(at, 1, [
    ["Conversation", "Value", "Unit"],
    ["Turns", x.turns, "each resends the history"],
    ["Conversation cost", f(`=${conversation("FALSE")}`), "USD per conversation"],
    ["With history cached", f(`=${conversation("TRUE")}`), "USD per conversation"],
    ["Against one request", f(`=${cell(at + 2, 2)}/${tlCall("LLMCOST", [a.model, a.input, a.output])}`), "× a single request"],
  ]);
  b.style(cell(at + 1, 2), "input")
    .format(cell(at + 1, 2), WHOLE)
    .format(area(at + 2, 2, 2, 1), USD_FINE)
    .format(cell(at + 4, 2), DECIMAL);

  const routesAt = at + 6;
  const first = routesAt + 1;
  const last = first + x.routes.length;
  const others = x.routes.length ? area(first + 1, 2, x.routes.length, 1) : "";
  b.put(routesAt, 1, [
    ["Routed to", "Share", "Thinking"],
    [f(`=${a.model}`), others ? f(`=1-SUM(${others})`) : 1, ""],
    ...x.routes.map((r) => [r.model, r.share, r.thinking]),
  ]);
  b.style(area(first + 1, 1, x.routes.length, 3), "input").format(area(first, 2, x.routes.length + 1, 1), PERCENT);
  const routeColumn = (col: number) => `${abs(first, col)}:${abs(last, col)}`;
  const routed = cell(last + 3, 2);
  b.put(last + 2, 1, [
    ["Router", x.routerCost, "USD per request"],
    [
      "Routed request",
      tl("ROUTECOST", [routeColumn(1), routeColumn(2), a.input, a.output, routeColumn(3), cell(last + 2, 2)]),
      "USD per request",
    ],
    ["Routed month 1", f(`=${routed}*${cell(2, REQUESTS)}*(1+${a.retry})`), "USD, with retries"],
  ]);
  b.style(cell(last + 2, 2), "input")
    .format(area(last + 2, 2, 2, 1), USD_FINE)
    .format(cell(last + 4, 2), USD);
  b.style(area(at, 1, 1, 3), "header").style(area(routesAt, 1, 1, 3), "header");
}
