import { area, cell } from "./a1";
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
 * the break-even volume (SELFHOST_BREAKEVEN), and API spend against self-hosting cost over token
 * volume. The node's kW comes from the catalogue entry (the kw argument is left out).
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
} as const satisfies Partial<SelfHostInputs>;

const UTILISATIONS = [0.1, 0.25, 0.5, 0.75, 1];
/** The volume axis, as multiples of the break-even volume. */
const MULTIPLES = Array.from({ length: 11 }, (_, k) => k / 5);
const HOURS_PER_YEAR = 8760;
const TCO = 5; // E: GPU_TCO_LINES spills here, a column a year to the right

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

  for (const header of ["A1:C1", `A${resultsAt}:C${resultsAt}`, `A${perMAt}:C${perMAt}`, `A${volumeAt}:D${volumeAt}`])
    b.style(header, "header");
  b.style(area(1, TCO, 1, x.years + 2), "header");
  return b.build({ rows: 1, columns: 0 });
}
