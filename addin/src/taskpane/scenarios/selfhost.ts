import { abs, area, cell } from "./a1";
import {
  type Cell,
  DECIMAL,
  LayoutBuilder,
  PERCENT,
  type SheetLayout,
  USD,
  USD_FINE,
  WHOLE,
  f,
  putInputs,
  str,
  tl,
  tlCall,
} from "./layout";

/**
 * Self-host against the API: the node's cost of ownership by line and year (GPU_TCO_LINES), the
 * all-in node-hour (GPU_HOURLY), USD per 1M tokens at several utilisations (SELFHOST_COSTPERM),
 * the break-even volume (SELFHOST_BREAKEVEN), API spend against self-hosting cost over token
 * volume, and a day's demand curve: the fleet it needs (CAPACITY_PLAN) and what a day costs
 * owning some nodes and sending the overflow to the API (HYBRID_COST). The node's kW comes from
 * the catalogue entry (the kw argument is left out).
 */

export interface SelfHostInputs {
  readonly hardware: string;
  readonly years: number;
  readonly powerPriceKwh: number;
  readonly pue: number;
  readonly coloPerKwMonth: number;
  readonly maintenancePerYear: number;
  readonly opsPerYear: number;
  /** The node's measured throughput, tokens per second. */
  readonly tokensPerSecond: number;
  /** Share of hours the node is busy, for USD per 1M tokens and for sizing the fleet. */
  readonly utilisation: number;
  readonly apiModel: string;
  readonly outputShare: number;
  /** A day's demand, tokens per second, one sample an hour: the user pastes their own over it. */
  readonly demand: readonly number[];
  /** CAPACITY_PLAN's percentile and headroom. */
  readonly percentile: number;
  readonly headroom: number;
}

/** The contract's defaults where it has them (power 0.10, PUE 1.4, the rest 0). */
export const SELFHOST_DEFAULTS = {
  years: 3,
  powerPriceKwh: 0.1,
  pue: 1.4,
  coloPerKwMonth: 0,
  maintenancePerYear: 0,
  opsPerYear: 0,
  utilisation: 0.5,
  outputShare: 0.3,
  // A consumer day with seed 002's "4× peak-to-trough" (20,000 at night, 80,000 mid-afternoon).
  demand: [
    25000, 22000, 20000, 20000, 20000, 22000, 28000, 36000, 46000, 56000, 64000, 70000, 74000, 76000, 78000, 80000, 78000, 74000, 68000,
    60000, 50000, 42000, 34000, 28000,
  ],
  // Seed 002's "P95 + 20%" for steady traffic, CAPACITY_PLAN's defaults.
  percentile: 0.95,
  headroom: 0.2,
} as const satisfies Partial<SelfHostInputs>;

const UTILISATIONS = [0.1, 0.25, 0.5, 0.75, 1];
/** The volume axis, as multiples of the break-even volume. */
const MULTIPLES = Array.from({ length: 11 }, (_, k) => k / 5);
const HOURS_PER_YEAR = 8760;
const TCO = 5; // E: GPU_TCO_LINES spills here, a column a year to the right
/** The hybrid table's fleets: 0 to twice the plan's nodes, in quarters of it (rounded up). */
const PLAN_QUARTERS = 8;
/** The units of CAPACITY_PLAN's rows: units, capacity, utilisation, samples_over, unserved_share. */
const PLAN_UNITS = ["nodes", "tokens per second", "of capacity, on average", "hours over capacity", "of tokens, to the API"];

export function selfHostLayout(x: SelfHostInputs): SheetLayout {
  const b = new LayoutBuilder("TL Self-host");
  b.put(1, 1, [["Assumption", "Value", "Unit"]]);
  const a = putInputs(b, 2, {
    hardware: { label: "Hardware", value: x.hardware, unit: "catalogue id" },
    years: { label: "Years of ownership", value: x.years, unit: "years", format: WHOLE },
    power: { label: "Power price", value: x.powerPriceKwh, unit: "USD per kWh", format: USD_FINE },
    pue: { label: "PUE", value: x.pue, unit: "cooling overhead", format: DECIMAL },
    colo: { label: "Colocation", value: x.coloPerKwMonth, unit: "USD per kW per month", format: USD },
    maintenance: { label: "Maintenance", value: x.maintenancePerYear, unit: "USD per year", format: USD },
    ops: { label: "Operations", value: x.opsPerYear, unit: "USD per year", format: USD },
    tps: { label: "Throughput", value: x.tokensPerSecond, unit: "tokens per second per node", format: WHOLE },
    utilisation: { label: "Utilisation", value: x.utilisation, unit: "share of hours busy", format: PERCENT },
    model: { label: "API model", value: x.apiModel, unit: "catalogue id" },
    outputShare: { label: "Output share", value: x.outputShare, unit: "of tokens", format: PERCENT },
  });
  // GPU_TCO's arguments, kw (the third) omitted so the catalogue's applies.
  const tco = [a.hardware, a.years, "", a.power, a.pue, a.colo, a.maintenance, a.ops];

  const resultsAt = 14;
  const hourly = `B${resultsAt + 1}`;
  const annual = `B${resultsAt + 2}`;
  const apiPrice = `B${resultsAt + 4}`;
  const breakeven = `B${resultsAt + 5}`;
  const capacity = `(${a.tps}*3600*${HOURS_PER_YEAR})`;
  b.put(resultsAt, 1, [
    ["Result", "Value", "Unit"],
    ["All-in node-hour", tl("GPU_HOURLY", tco), "USD per node-hour"],
    ["Self-hosting per year", f(`=${tlCall("GPU_TCO", tco)}/${a.years}`), "USD per year, one node"],
    ["Self-hosted, per 1M tokens", tl("SELFHOST_COSTPERM", [hourly, a.tps, a.utilisation]), "USD per 1M tokens"],
    [
      "API price, blended",
      f(`=(1-${a.outputShare})*${tlCall("PRICE", [a.model, str("input")])}+${a.outputShare}*${tlCall("PRICE", [a.model, str("output")])}`),
      "USD per 1M tokens",
    ],
    ["Break-even volume", tl("SELFHOST_BREAKEVEN", [annual, a.model, a.outputShare]), "tokens per year"],
    ["Break-even utilisation", f(`=${breakeven}/${capacity}`), "of one node's hours"],
  ]);
  b.format(area(resultsAt + 1, 2, 2, 1), USD)
    .format(area(resultsAt + 3, 2, 2, 1), USD_FINE)
    .format(cell(resultsAt + 5, 2), WHOLE)
    .format(cell(resultsAt + 6, 2), PERCENT)
    .results(2);

  const perMAt = resultsAt + 8;
  b.put(perMAt, 1, [
    ["Utilisation", "Self-hosted (USD per 1M tokens)", "API (USD per 1M tokens)"],
    ...UTILISATIONS.map((u, i) => [u, tl("SELFHOST_COSTPERM", [hourly, a.tps, `A${perMAt + 1 + i}`]), f(`=${apiPrice}`)]),
  ]);
  b.style(area(perMAt + 1, 1, UTILISATIONS.length, 1), "input")
    .format(area(perMAt + 1, 1, UTILISATIONS.length, 1), PERCENT)
    .format(area(perMAt + 1, 2, UTILISATIONS.length, 2), USD_FINE)
    .results(3);

  // API spend grows with volume; self-hosting is a whole number of nodes, each serving its
  // throughput at the utilisation above.
  const volumeAt = perMAt + UTILISATIONS.length + 2;
  const volumes: Cell[][] = MULTIPLES.map((m, i) => {
    const r = volumeAt + 1 + i;
    return [
      m,
      f(`=A${r}*${breakeven}`),
      f(`=B${r}*${apiPrice}/1000000`),
      f(`=${annual}*MAX(1,CEILING(B${r}/(${capacity}*${a.utilisation}),1))`),
    ];
  });
  b.put(volumeAt, 1, [["× break-even", "Tokens per year", "API spend (USD per year)", "Self-hosting (USD per year)"], ...volumes]);
  b.style(area(volumeAt + 1, 1, MULTIPLES.length, 1), "input")
    .format(area(volumeAt + 1, 1, MULTIPLES.length, 1), "0.0")
    .format(area(volumeAt + 1, 2, MULTIPLES.length, 1), WHOLE)
    .format(area(volumeAt + 1, 3, MULTIPLES.length, 2), USD)
    .results(4);

  // GPU_TCO_LINES: a header row, then capex, power, colo, maintenance, ops, total.
  const lines = 7;
  b.put(1, TCO, [[tl("GPU_TCO_LINES", tco)]]);
  b.format(area(2, TCO + 1, lines - 1, x.years + 1), USD)
    .results(TCO, TCO, "maintenance".length)
    .results(TCO + 1, TCO + x.years + 1);

  b.chart({
    type: "Line",
    source: area(volumeAt, 3, MULTIPLES.length + 1, 2),
    categories: area(volumeAt + 1, 2, MULTIPLES.length, 1),
    title: "API spend against self-hosting",
    valueAxisTitle: "USD per year",
    categoryAxisTitle: "Tokens per year",
    from: cell(lines + 2, TCO),
    to: cell(lines + 22, TCO + 8),
  });

  const demandAt = volumeAt + MULTIPLES.length + 2;
  demandCurve(b, demandAt, x, { tps: a.tps, hourly, apiPrice });

  for (const header of ["A1:C1", `A${resultsAt}:C${resultsAt}`, `A${perMAt}:C${perMAt}`, `A${volumeAt}:D${volumeAt}`])
    b.style(header, "header");
  b.style(area(1, TCO, 1, x.years + 2), "header");
  return b.build({ rows: 1, columns: 0 });
}

/**
 * A day's demand (A: hour, B: tokens per second, inputs), the fleet CAPACITY_PLAN sizes for it
 * (D:F), and HYBRID_COST for a day owning 0 … twice that many nodes with the API taking the
 * overflow at the blended price, charted.
 */
function demandCurve(b: LayoutBuilder, at: number, x: SelfHostInputs, refs: { tps: string; hourly: string; apiPrice: string }): void {
  const hours = x.demand.length;
  const demand = `$B$${at + 1}:$B$${at + hours}`;
  b.put(at, 1, [["Hour", "Demand (tokens/s)"], ...x.demand.map((d, h) => [h, d])]);
  b.style(area(at + 1, 2, hours, 1), "input").format(area(at + 1, 2, hours, 1), WHOLE);

  const [percentile, headroom] = [abs(at + 1, 5), abs(at + 2, 5)];
  const planAt = at + 3;
  b.put(at, 4, [
    ["Fleet for this demand", "Value", "Unit"],
    ["Percentile", x.percentile, "of hourly demand"],
    ["Headroom", x.headroom, "over that percentile"],
  ]);
  // CAPACITY_PLAN spills its label/value rows over D:E; nothing is written where it spills.
  b.put(planAt, 4, [[tl("CAPACITY_PLAN", [demand, refs.tps, percentile, headroom])]]);
  b.put(
    planAt,
    6,
    PLAN_UNITS.map((unit) => [unit]),
  );
  b.style(area(at + 1, 5, 2, 1), "input")
    .format(area(at + 1, 5, 2, 1), PERCENT)
    .format(area(planAt, 5, 2, 1), WHOLE)
    .format(cell(planAt + 2, 5), PERCENT)
    .format(cell(planAt + 3, 5), WHOLE)
    .format(cell(planAt + 4, 5), PERCENT)
    .results(4, 4, "unserved_share".length)
    .results(5);

  const units = abs(planAt, 5);
  const hybridAt = planAt + PLAN_UNITS.length + 1;
  const fleets = Array.from({ length: PLAN_QUARTERS + 1 }, (_, k) => {
    const r = hybridAt + 1 + k;
    return [f(`=CEILING(${units}*${k}/4,1)`), tl("HYBRID_COST", [demand, `D${r}`, refs.tps, refs.hourly, refs.apiPrice])];
  });
  b.put(hybridAt, 4, [["Nodes owned", "Hybrid day (USD)"], ...fleets]);
  b.format(area(hybridAt + 1, 4, fleets.length, 1), WHOLE).format(area(hybridAt + 1, 5, fleets.length, 1), USD);
  const cheapestAt = hybridAt + fleets.length + 2;
  b.put(cheapestAt, 4, [["Cheapest day", f(`=MIN(E${hybridAt + 1}:E${hybridAt + fleets.length})`), "USD"]]);
  b.format(cell(cheapestAt, 5), USD);

  b.chart({
    type: "Line",
    source: area(hybridAt, 5, fleets.length + 1, 1),
    categories: area(hybridAt + 1, 4, fleets.length, 1),
    title: "A day's cost by nodes owned, overflow to the API",
    valueAxisTitle: "USD per day",
    categoryAxisTitle: "Nodes owned",
    from: cell(at, 7),
    to: cell(at + 20, 14),
  });
  for (const header of [area(at, 1, 1, 2), area(at, 4, 1, 3), area(hybridAt, 4, 1, 2)]) b.style(header, "header");
}
