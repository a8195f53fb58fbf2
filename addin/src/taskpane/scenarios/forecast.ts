import { abs, area, cell } from "./a1";
import { type Cell, DECIMAL, LayoutBuilder, PERCENT, type SheetLayout, USD_FINE, WHOLE, f, putInputs, tl, tlCall } from "./layout";

/**
 * The forecast sheet a CFO reads: three scenarios (conservative, expected, aggressive) side by
 * side, in a currency of the user's choice, from one assumptions block of live inputs. Each
 * scenario has its own user growth, annual price change, cache hit rate and model mix (a share of
 * requests on a second model); the workload and the currency are shared. Month m (from 0) of a
 * scenario costs users × (1+growth)^m × requests per user × cost per request × (1+price
 * change)^(m/12) × TL.FX(currency), as FORECAST compounds; costs are USD until that last factor,
 * so the sheet converts with a formula, never a pasted rate. Below the year totals, the expected
 * scenario's request as a conversation that resends its history (CONVERSATION_COST) and as a
 * routed mix with reasoning models (ROUTECOST).
 */

export const SCENARIOS = ["Conservative", "Expected", "Aggressive"] as const;

export interface ScenarioInputs {
  readonly monthlyGrowth: number;
  readonly annualPriceChange: number;
  readonly cacheHitRate: number;
  readonly model: string;
  /** Where the rest of the traffic goes: a cheaper model, say. */
  readonly secondModel: string;
  /** Share of requests on `secondModel`, 0 to 1. */
  readonly secondShare: number;
}

/** A route besides the expected scenario's model, which takes the share the routes leave. */
export interface Route {
  readonly model: string;
  /** Share of requests, 0 to 1. */
  readonly share: number;
  /** An effort word, a number of thinking tokens, or "" for none. */
  readonly thinking: string | number;
}

export interface ForecastInputs {
  /** ISO 4217 code the costs are shown in ("USD", "EUR"). */
  readonly currency: string;
  readonly users: number;
  readonly requestsPerUser: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly retryRate: number;
  readonly months: 24 | 36;
  readonly scenarios: readonly [ScenarioInputs, ScenarioInputs, ScenarioInputs];
  /** Turns of a conversation whose every turn is a request of the tokens above plus the history. */
  readonly turns: number;
  readonly routes: readonly Route[];
  /** USD per request for the routing decision. */
  readonly routerCost: number;
}

export const FORECAST_DEFAULTS = {
  currency: "USD",
  users: 1000,
  requestsPerUser: 20,
  inputTokens: 1500,
  outputTokens: 300,
  retryRate: 0.02,
  months: 24 as const,
  turns: 10,
  // Seed 002's support-agent mix: 70% easy (the expected scenario's model), 25% medium, 5% hard
  // reasoning, and a classifier call at $0.0005.
  routes: [
    { model: "deepseek/deepseek-r1", share: 0.25, thinking: "medium" },
    { model: "openai/o3", share: 0.05, thinking: "high" },
  ],
  routerCost: 0.0005,
};

/** Conservative to aggressive: slower to faster adoption, smaller to larger price cuts, caching and routing. */
const SCENARIO_DEFAULTS = [
  { monthlyGrowth: 0.03, annualPriceChange: -0.1, cacheHitRate: 0.2, secondShare: 0.1 },
  { monthlyGrowth: 0.05, annualPriceChange: -0.2, cacheHitRate: 0.3, secondShare: 0.3 },
  { monthlyGrowth: 0.08, annualPriceChange: -0.3, cacheHitRate: 0.4, secondShare: 0.5 },
] as const;

/** The three scenarios' default inputs on a pair of models. */
export function defaultScenarios(model: string, secondModel: string): ForecastInputs["scenarios"] {
  const [c, e, a] = SCENARIO_DEFAULTS.map((s) => ({ ...s, model, secondModel }));
  return [c, e, a];
}

/** Costs in the chosen currency: no symbol, since the currency is an input. */
const MONEY = "#,##0.00";
const RATE = "0.0000";

/** Columns: the monthly table from F, quarters from K, the chart from P. */
const MONTH = 6;
const QUARTER = 11;

/** Where the exchange rate sits (units of the sheet's currency per USD). */
const RATE_ROW = 8;

/**
 * Month `m` (from 1) of the expected scenario in USD, blank past the forecast's months, as a
 * formula: for sheets that compare actual cost with the plan (the forecast is in its own currency).
 */
export function forecastPlanUsd(sheet: string, m: number): string {
  const planned = `${sheet}!${cell(m + 1, MONTH + 2)}`;
  return `IF(${planned}="","",${planned}/${sheet}!${abs(RATE_ROW, 2)})`;
}

export function forecastLayout(x: ForecastInputs): SheetLayout {
  const b = new LayoutBuilder("TL Forecast");
  b.put(1, 1, [["Assumption", "Value", "Unit"]]);
  const a = putInputs(b, 2, {
    currency: { label: "Currency", value: x.currency, unit: "ISO 4217 code" },
    users: { label: "Users in month 1", value: x.users, unit: "users", format: WHOLE },
    requests: { label: "Requests per user", value: x.requestsPerUser, unit: "per month", format: WHOLE },
    input: { label: "Input tokens", value: x.inputTokens, unit: "per request", format: WHOLE },
    output: { label: "Output tokens", value: x.outputTokens, unit: "per request", format: WHOLE },
    retry: { label: "Retry rate", value: x.retryRate, unit: "extra requests", format: PERCENT },
  });
  // Computed, not an input: units of the currency per USD, today (a planning rate where the catalogue has one).
  const rateRow = RATE_ROW;
  b.put(rateRow, 1, [["Exchange rate", f(`=${tlCall("FX", [a.currency])}`), "per USD"]]);
  b.format(cell(rateRow, 2), RATE);
  const rate = abs(rateRow, 2);

  // One column of inputs per scenario, B to D.
  const top = 10;
  const rows = { growth: top + 1, price: top + 2, cacheHit: top + 3, model: top + 4, second: top + 5, share: top + 6, perRequest: top + 7 };
  const scenarioColumns = [2, 3, 4];
  const perScenario = (pick: (s: ScenarioInputs) => Cell) => x.scenarios.map(pick);
  b.put(top, 1, [
    ["Scenario", ...SCENARIOS, "Unit"],
    ["Monthly user growth", ...perScenario((s) => s.monthlyGrowth), "per month"],
    ["Annual price change", ...perScenario((s) => s.annualPriceChange), "per year"],
    ["Cache hit rate", ...perScenario((s) => s.cacheHitRate), "of input tokens"],
    ["Model", ...perScenario((s) => s.model), "catalogue id"],
    ["Second model", ...perScenario((s) => s.secondModel), "catalogue id"],
    ["Share on second model", ...perScenario((s) => s.secondShare), "of requests"],
    [
      "Cost per request",
      ...scenarioColumns.map((c) => {
        const at = (row: number) => abs(row, c);
        // MONTHLYCOST of one request: the per-request cost with cache hits and retries.
        const perRequest = (modelRow: number) => tlCall("MONTHLYCOST", [at(modelRow), "1", a.input, a.output, at(rows.cacheHit), a.retry]);
        return f(`=(1-${at(rows.share)})*${perRequest(rows.model)}+${at(rows.share)}*${perRequest(rows.second)}`);
      }),
      "USD, retries included",
    ],
  ]);
  b.style(area(rows.growth, 2, 6, 3), "input");
  b.format(area(rows.growth, 2, 3, 3), PERCENT)
    .format(area(rows.share, 2, 1, 3), PERCENT)
    .format(area(rows.perRequest, 2, 1, 3), USD_FINE);

  const first = 2;
  const months = Array.from({ length: x.months }, (_, k) => {
    const r = first + k;
    const m = `(${cell(r, MONTH)}-1)`;
    return [
      k + 1,
      ...scenarioColumns.map((c) => {
        const at = (row: number) => abs(row, c);
        return f(`=${a.users}*(1+${at(rows.growth)})^${m}*${a.requests}*${at(rows.perRequest)}*(1+${at(rows.price)})^(${m}/12)*${rate}`);
      }),
    ];
  });
  const heading = ["Month", ...SCENARIOS];
  b.put(1, MONTH, [heading, ...months]);
  b.format(area(first, MONTH + 1, x.months, 3), MONEY).results(MONTH + 1, MONTH + 3);

  const sums = (from: number, n: number) => [1, 2, 3].map((k) => f(`=SUM(${area(from, MONTH + k, n, 1)})`));
  const quarters = x.months / 3;
  b.put(1, QUARTER, [["Quarter", ...SCENARIOS], ...Array.from({ length: quarters }, (_, q) => [`Q${q + 1}`, ...sums(first + 3 * q, 3)])]);
  b.format(area(first, QUARTER + 1, quarters, 3), MONEY).results(QUARTER + 1, QUARTER + 3);

  // Years under the assumptions, where the answer sits beside the inputs that drive it.
  const yearsAt = rows.perRequest + 2;
  const years = x.months / 12;
  b.put(yearsAt, 1, [
    ["Year", ...SCENARIOS],
    ...Array.from({ length: years }, (_, y) => [`Year ${y + 1}`, ...sums(first + 12 * y, 12)]),
    ["Total", ...sums(first, x.months)],
  ]);
  b.format(area(yearsAt + 1, 2, years + 1, 3), MONEY).results(2, 4);
  // The currency the totals are in, read from the input so it follows an edit.
  b.put(yearsAt + years + 2, 1, [["Costs in", f(`=${a.currency}`)]]);

  conversationAndRoutes(b, yearsAt + years + 4, x, { ...a, model: abs(rows.model, 3), rate });

  b.chart({
    type: "Line",
    source: area(1, MONTH + 1, x.months + 1, 3),
    categories: area(first, MONTH, x.months, 1),
    title: "LLM cost per month, three scenarios",
    // Not the code itself: the currency is an input and the title would not follow an edit.
    valueAxisTitle: "Cost per month (currency in B2)",
    categoryAxisTitle: "Month",
    from: "P2",
    to: "Z22",
  });

  for (const header of ["A1:C1", area(top, 1, 1, 5), area(1, MONTH, 1, 4), area(1, QUARTER, 1, 4), area(yearsAt, 1, 1, 4)]) {
    b.style(header, "header");
  }
  return b.build({ rows: 1, columns: 0 });
}

/** Cells the conversation and routing blocks read: the expected model, the workload and the rate. */
type SheetRef = "model" | "users" | "requests" | "input" | "output" | "retry" | "rate";

/**
 * The expected scenario's request seen two more ways, from row `at` in A:C: a conversation of
 * `turns` turns (CONVERSATION_COST, with and without its history cached) against one request, in
 * USD like the cost per request; and a routed mix (ROUTECOST, no cache hits) priced for month 1's
 * requests with retries, in the sheet's currency.
 */
function conversationAndRoutes(b: LayoutBuilder, at: number, x: ForecastInputs, a: Record<SheetRef, string>): void {
  const turns = abs(at + 1, 2);
  const conversation = (cached: string) => tlCall("CONVERSATION_COST", [a.model, turns, a.input, a.output, "0", cached]);
  b.put(at, 1, [
    ["Conversation", "Value", "Unit"],
    ["Turns", x.turns, "each resends the history"],
    ["Conversation cost", f(`=${conversation("FALSE")}`), "USD per conversation"],
    ["With history cached", f(`=${conversation("TRUE")}`), "USD per conversation"],
    ["Against one request", f(`=${abs(at + 2, 2)}/${tlCall("LLMCOST", [a.model, a.input, a.output])}`), "× one request"],
  ]);
  b.style(cell(at + 1, 2), "input")
    .format(cell(at + 1, 2), WHOLE)
    .format(area(at + 2, 2, 2, 1), USD_FINE)
    .format(cell(at + 4, 2), DECIMAL);

  const top = at + 6;
  const first = top + 1;
  const n = x.routes.length;
  const last = first + n;
  const others = n ? f(`=1-SUM(${area(first + 1, 2, n, 1)})`) : 1;
  const routeColumn = (col: number) => `${abs(first, col)}:${abs(last, col)}`;
  const router = abs(last + 1, 2);
  const routed = abs(last + 2, 2);
  b.put(top, 1, [
    ["Routing mix", "Share", "Thinking"],
    [f(`=${a.model}`), others, ""],
    ...x.routes.map((r) => [r.model, r.share, r.thinking]),
    ["Router cost", x.routerCost, "USD per request"],
    ["Routed request", tl("ROUTECOST", [routeColumn(1), routeColumn(2), a.input, a.output, routeColumn(3), router]), "USD per request"],
    ["Routed month 1", f(`=${routed}*${a.users}*${a.requests}*(1+${a.retry})*${a.rate}`), "currency in B2, retries included"],
  ]);
  if (n) b.style(area(first + 1, 1, n, 3), "input");
  b.style(cell(last + 1, 2), "input")
    .format(area(first, 2, n + 1, 1), PERCENT)
    .format(area(last + 1, 2, 2, 1), USD_FINE)
    .format(cell(last + 3, 2), MONEY);
  b.style(area(at, 1, 1, 3), "header").style(area(top, 1, 1, 3), "header");
}
