import { OfficeMockObject } from "office-addin-mock";
import { describe, expect, it } from "vitest";
import { FORECAST_DEFAULTS, defaultScenarios, forecastLayout } from "../src/taskpane/scenarios/forecast";
import type { SheetLayout } from "../src/taskpane/scenarios/layout";
import { SELFHOST_DEFAULTS, selfHostLayout } from "../src/taskpane/scenarios/selfhost";
import { sensitivityLayout } from "../src/taskpane/scenarios/sensitivity";
import { TORNADO_SWING, tornadoLayout } from "../src/taskpane/scenarios/tornado";
import { sheetName, writeSheet } from "../src/taskpane/scenarios/write";

/**
 * The scenario builders' writes, against a mocked Excel (office-addin-mock): the new sheet's
 * name, the formulas and number formats each range gets, the colour scale, the charts, the
 * frozen header, and that the sheet is activated. Ranges are recorded by the address asked for.
 */

const SONNET = "anthropic/claude-sonnet-4-6";
const FORECAST = { ...FORECAST_DEFAULTS, scenarios: defaultScenarios(SONNET, "anthropic/claude-haiku-4-5") };

interface MockRange {
  formulas?: unknown[][];
  numberFormat?: string[][];
  format: { font: { bold?: boolean; color?: string }; fill: { color?: string }; columnWidth?: number };
  conditionalFormats: { added: { type: string; colorScale: { criteria?: unknown } }[] };
}

interface MockChart {
  type: string;
  source: string;
  seriesBy: string;
  title: { text?: string };
  legend: { position?: string };
  axes: {
    valueAxis: { title: { text?: string } };
    categoryAxis: { title: { text?: string }; reversePlotOrder?: boolean; tickLabelPosition?: string };
  };
  series: { index: number; xValues?: string; overlap?: number; gapWidth?: number }[];
  position?: [string, string];
}

interface MockSheet {
  name: string;
  ranges: Map<string, MockRange[]>;
  charts: MockChart[];
  autofitted: number;
  frozen?: { rows: number } | { at: string };
  activated: boolean;
}

/**
 * A workbook with sheets named `existing`. getItemOrNullObject answers a mock whose isNullObject
 * reads as office-addin-mock's "not loaded" error string until loaded and synced, as the real
 * proxy would refuse to answer.
 */
function mockExcel(existing: string[]) {
  const added: MockSheet[] = [];
  const pending: OfficeMockObject[] = [];
  const addresses = new WeakMap<object, string>();
  let syncs = 0;

  function range(sheet: MockSheet, address: string): OfficeMockObject {
    const conditionalFormats: MockRange["conditionalFormats"]["added"] = [];
    const r = new OfficeMockObject({
      format: { font: {}, fill: {}, autofitColumns: () => sheet.autofitted++ },
      conditionalFormats: {
        add(type: string) {
          const cf = { type, colorScale: {} };
          conditionalFormats.push(cf);
          return cf;
        },
      },
    });
    // Recorded beside the mock: office-addin-mock keeps arrays as unloaded properties.
    r.conditionalFormats.added = conditionalFormats;
    addresses.set(r, address);
    sheet.ranges.set(address, [...(sheet.ranges.get(address) ?? []), r as unknown as MockRange]);
    return r;
  }

  function worksheet(name: string): OfficeMockObject {
    const sheet: MockSheet = { name, ranges: new Map(), charts: [], autofitted: 0, activated: false };
    added.push(sheet);
    return new OfficeMockObject({
      getRange: (address: string) => range(sheet, address),
      getUsedRange: () => range(sheet, "(used)"),
      charts: {
        add(type: string, source: object, seriesBy: string) {
          const chart: MockChart = {
            type,
            source: addresses.get(source)!,
            seriesBy,
            title: {},
            legend: {},
            axes: { valueAxis: { title: {} }, categoryAxis: { title: {} } },
            series: [],
          };
          sheet.charts.push(chart);
          return {
            ...chart,
            title: chart.title,
            legend: chart.legend,
            axes: chart.axes,
            series: {
              getItemAt(index: number) {
                const s: MockChart["series"][number] = { index };
                chart.series.push(s);
                return Object.assign(s, { setXAxisValues: (r: object) => (s.xValues = addresses.get(r)) });
              },
            },
            setPosition: (from: string, to: string) => (chart.position = [from, to]),
          };
        },
      },
      freezePanes: {
        freezeRows: (rows: number) => (sheet.frozen = { rows }),
        freezeAt: (r: object) => (sheet.frozen = { at: addresses.get(r)! }),
      },
      activate: () => (sheet.activated = true),
    });
  }

  const context = new OfficeMockObject({
    workbook: {
      worksheets: {
        getItemOrNullObject(name: string) {
          const taken = existing.some((e) => e.toLowerCase() === name.toLowerCase());
          const item = new OfficeMockObject({ isNullObject: !taken });
          pending.push(item);
          return item;
        },
        add: (name: string) => worksheet(name),
      },
    },
    async sync() {
      syncs++;
      for (const item of pending.splice(0)) await item.sync();
    },
  });
  return { context: context as unknown as Excel.RequestContext, added, syncs: () => syncs };
}

/** The one range written at an address (a failure if none or several). */
function only(sheet: MockSheet, address: string): MockRange {
  const ranges = sheet.ranges.get(address) ?? [];
  expect(ranges.length, address).toBe(1);
  return ranges[0];
}

/** The number formats given to an address (which may also have been styled through another range object). */
function numberFormatAt(sheet: MockSheet, address: string): string[][] | undefined {
  return (sheet.ranges.get(address) ?? []).find((r) => r.numberFormat)?.numberFormat;
}

/** What a range's formulas hold after writing, keyed by address, for the blocks of a layout. */
function formulasWritten(sheet: MockSheet, layout: SheetLayout): unknown[][][] {
  return layout.blocks.map((b) => sheet.ranges.get(b.address)!.find((r) => r.formulas)!.formulas!);
}

async function write(layout: SheetLayout, existing: string[] = []) {
  const excel = mockExcel(existing);
  const name = await writeSheet(excel.context, layout);
  expect(excel.added).toHaveLength(1);
  return { name, sheet: excel.added[0], syncs: excel.syncs() };
}

describe("sheet names", () => {
  it("numbers a name already taken, case-insensitively, and finds one past the first batch", async () => {
    expect(sheetName("TL Forecast", 1)).toBe("TL Forecast");
    expect(sheetName("TL Forecast", 3)).toBe("TL Forecast (3)");
    const layout = forecastLayout(FORECAST);
    expect((await write(layout)).name).toBe("TL Forecast");
    expect((await write(layout, ["Sheet1", "tl forecast"])).name).toBe("TL Forecast (2)");
    expect((await write(layout, ["TL Forecast", "TL Forecast (2)", "TL Forecast (4)"])).name).toBe("TL Forecast (3)");
    const taken = Array.from({ length: 25 }, (_, i) => sheetName("TL Forecast", i + 1));
    const far = await write(layout, taken);
    expect(far.name).toBe("TL Forecast (26)");
    // Two lookups of 20 names, then the write.
    expect(far.syncs).toBe(3);
  });
});

describe("writeSheet: forecast", async () => {
  const layout = forecastLayout({ ...FORECAST, currency: "EUR" });
  const { name, sheet, syncs } = await write(layout);

  it("writes each block in one assignment, text behind an apostrophe, formulas live", () => {
    expect(name).toBe("TL Forecast");
    expect(syncs).toBe(2);
    const [header, shared, rate, scenarios, months] = formulasWritten(sheet, layout);
    expect(header).toEqual([["'Assumption", "'Value", "'Unit"]]);
    expect(shared[0]).toEqual(["'Currency", "'EUR", "'ISO 4217 code"]);
    expect(shared[1]).toEqual(["'Users in month 1", 1000, "'users"]);
    // The exchange rate is a formula, never a converted constant.
    expect(rate).toEqual([["'Exchange rate", "=TL.FX($B$2)", "'per USD"]]);
    expect(scenarios[0]).toEqual(["'Scenario", "'Conservative", "'Expected", "'Aggressive", "'Unit"]);
    expect(scenarios[4]).toEqual(["'Model", `'${SONNET}`, `'${SONNET}`, `'${SONNET}`, "'catalogue id"]);
    expect(scenarios[7][3]).toBe(
      "=(1-$D$16)*TL.MONTHLYCOST($D$14,1,$B$5,$B$6,$D$13,$B$7)+$D$16*TL.MONTHLYCOST($D$15,1,$B$5,$B$6,$D$13,$B$7)",
    );
    expect(only(sheet, "F1:I25").formulas![1]).toEqual([
      1,
      "=$B$3*(1+$B$11)^(F2-1)*$B$4*$B$17*(1+$B$12)^((F2-1)/12)*$B$8",
      "=$B$3*(1+$C$11)^(F2-1)*$B$4*$C$17*(1+$C$12)^((F2-1)/12)*$B$8",
      "=$B$3*(1+$D$11)^(F2-1)*$B$4*$D$17*(1+$D$12)^((F2-1)/12)*$B$8",
    ]);
    expect(months[24][3]).toBe("=$B$3*(1+$D$11)^(F25-1)*$B$4*$D$17*(1+$D$12)^((F25-1)/12)*$B$8");
    expect(only(sheet, "A19:D22").formulas).toEqual([
      ["'Year", "'Conservative", "'Expected", "'Aggressive"],
      ["'Year 1", "=SUM(G2:G13)", "=SUM(H2:H13)", "=SUM(I2:I13)"],
      ["'Year 2", "=SUM(G14:G25)", "=SUM(H14:H25)", "=SUM(I14:I25)"],
      ["'Total", "=SUM(G2:G25)", "=SUM(H2:H25)", "=SUM(I2:I25)"],
    ]);
    expect(only(sheet, "K1:N9").formulas![1]).toEqual(["'Q1", "=SUM(G2:G4)", "=SUM(H2:H4)", "=SUM(I2:I4)"]);
    expect(only(sheet, "A23:B23").formulas).toEqual([["'Costs in", "=$B$2"]]);
  });

  it("writes the conversation and the routing mix as inputs beside live CONVERSATION_COST and ROUTECOST", () => {
    expect(only(sheet, "A25:C29").formulas!.map((r) => r[1])).toEqual([
      "'Value",
      10,
      "=TL.CONVERSATION_COST($C$14,$B$26,$B$5,$B$6,0,FALSE)",
      "=TL.CONVERSATION_COST($C$14,$B$26,$B$5,$B$6,0,TRUE)",
      "=$B$27/TL.LLMCOST($C$14,$B$5,$B$6)",
    ]);
    expect(only(sheet, "A31:C37").formulas).toEqual([
      ["'Routing mix", "'Share", "'Thinking"],
      ["=$C$14", "=1-SUM(B33:B34)", ""],
      ["'deepseek/deepseek-r1", 0.25, "'medium"],
      ["'openai/o3", 0.05, "'high"],
      ["'Router cost", 0.0005, "'USD per request"],
      ["'Routed request", "=TL.ROUTECOST($A$32:$A$34,$B$32:$B$34,$B$5,$B$6,$C$32:$C$34,$B$35)", "'USD per request"],
      // In the sheet's currency through the exchange-rate cell, never a converted constant.
      ["'Routed month 1", "=$B$36*$B$3*$B$4*(1+$B$7)*$B$8", "'currency in B2, retries included"],
    ]);
    // Turns and the router cost are also number-formatted, through another range object.
    for (const input of ["B26", "A33:C34", "B35"]) {
      expect(
        sheet.ranges.get(input)!.some((r) => r.format.fill.color === "#FFF2CC"),
        input,
      ).toBe(true);
    }
    expect(numberFormatAt(sheet, "B37")).toEqual([["#,##0.00"]]);
  });

  it("formats rates as percentages and costs in the chosen currency, cell by cell", () => {
    expect(only(sheet, "B7").numberFormat).toEqual([["0.0%"]]);
    expect(only(sheet, "B11:D13").numberFormat).toEqual([
      ["0.0%", "0.0%", "0.0%"],
      ["0.0%", "0.0%", "0.0%"],
      ["0.0%", "0.0%", "0.0%"],
    ]);
    const money = only(sheet, "G2:I25").numberFormat!;
    expect(money).toHaveLength(24);
    expect(money.every((row) => row.length === 3 && row.every((f) => f === "#,##0.00"))).toBe(true);
    expect(only(sheet, "L2:N9").numberFormat![7]).toEqual(["#,##0.00", "#,##0.00", "#,##0.00"]);
  });

  it("marks inputs and headers, freezes the header row and activates the sheet", () => {
    expect(only(sheet, "B2:B7").format.fill.color).toBe("#FFF2CC");
    expect(only(sheet, "B11:D16").format.fill.color).toBe("#FFF2CC");
    expect(only(sheet, "F1:I1").format.font.bold).toBe(true);
    expect(only(sheet, "A10:E10").format.font.bold).toBe(true);
    expect(sheet.frozen).toEqual({ rows: 1 });
    expect(sheet.activated).toBe(true);
  });

  it("draws one line chart with the three scenarios over the months", () => {
    expect(sheet.charts).toHaveLength(1);
    const [chart] = sheet.charts;
    expect(chart).toMatchObject({ type: "Line", source: "G1:I25", seriesBy: "Columns", position: ["P2", "Z22"] });
    expect(chart.series).toEqual([0, 1, 2].map((index) => ({ index, xValues: "F2:F25", setXAxisValues: expect.any(Function) })));
    expect(chart.title.text).toBe("LLM cost per month, three scenarios");
    expect(chart.axes.valueAxis.title.text).toBe("Cost per month (currency in B2)");
  });
});

describe("writeSheet: sensitivity grid", async () => {
  const layout = sensitivityLayout({
    fn: "LLMCOST",
    args: [SONNET, 1500, 300],
    rowArg: 1,
    colArg: 2,
    rowValues: [750, 1125, 1500, 1875, 2250],
    colValues: [150, 225, 300, 375, 450],
  });
  const { name, sheet } = await write(layout, ["TL Sensitivity"]);

  it("writes plain formulas pointing at the headers, under a second name", () => {
    expect(name).toBe("TL Sensitivity (2)");
    const grid = only(sheet, "A4:F9").formulas!;
    expect(grid[0]).toEqual(["'Input tokens ↓  Output tokens →", 150, 225, 300, 375, 450]);
    expect(grid[3]).toEqual([
      1500,
      "=TL.LLMCOST($B$2,$A7,B$4)",
      "=TL.LLMCOST($B$2,$A7,C$4)",
      "=TL.LLMCOST($B$2,$A7,D$4)",
      "=TL.LLMCOST($B$2,$A7,E$4)",
      "=TL.LLMCOST($B$2,$A7,F$4)",
    ]);
    expect(only(sheet, "A1:D2").formulas).toEqual([
      ["'TL.LLMCOST", "'Model", "'Input tokens", "'Output tokens"],
      ["'value", `'${SONNET}`, "'↓ (rows)", "'→ (columns)"],
    ]);
  });

  it("shades the results with a three-colour scale and formats them as fine-grained money", () => {
    const results = (sheet.ranges.get("B5:F9") ?? []).flatMap((r) => r.conditionalFormats.added);
    expect(results).toEqual([
      {
        type: "ColorScale",
        colorScale: {
          criteria: {
            minimum: { type: "LowestValue", color: "#63BE7B" },
            midpoint: { type: "Percentile", formula: "50", color: "#FFEB84" },
            maximum: { type: "HighestValue", color: "#F8696B" },
          },
        },
      },
    ]);
    expect(numberFormatAt(sheet, "B5:F9")![0][0]).toBe("$#,##0.00####");
    expect(numberFormatAt(sheet, "A5:A9")).toEqual([["#,##0"], ["#,##0"], ["#,##0"], ["#,##0"], ["#,##0"]]);
  });

  it("turns the scale round where higher is better (savings)", async () => {
    const savings = sensitivityLayout({
      fn: "CACHE_SAVINGS",
      args: [SONNET, 10000, 1000, 50],
      rowArg: 1,
      colArg: 2,
      rowValues: [1000, 5000],
      colValues: [500, 1000],
    });
    const written = (await write(savings)).sheet;
    const [cf] = (written.ranges.get("B5:C6") ?? []).flatMap((r) => r.conditionalFormats.added);
    expect(cf.colorScale.criteria).toMatchObject({ minimum: { color: "#F8696B" }, maximum: { color: "#63BE7B" } });
  });

  it("freezes the argument rows, the column headers and the row headers", () => {
    expect(sheet.frozen).toEqual({ at: "A1:A4" });
    expect(sheet.charts).toEqual([]);
  });
});

describe("writeSheet: self-host vs API", async () => {
  const layout = selfHostLayout({ hardware: "8xh200-sxm", tokensPerSecond: 31303, apiModel: SONNET, ...SELFHOST_DEFAULTS });
  const { sheet } = await write(layout);

  it("writes the TCO breakdown, node-hour, $/M, break-even and the volume table", () => {
    expect(only(sheet, "E1").formulas).toEqual([["=TL.GPU_TCO_LINES($B$2,$B$3,,$B$4,$B$5,$B$6,$B$7,$B$8)"]]);
    expect(only(sheet, "A14:C20").formulas!.map((r) => r[1])).toEqual([
      "'Value",
      "=TL.GPU_HOURLY($B$2,$B$3,,$B$4,$B$5,$B$6,$B$7,$B$8)",
      "=TL.GPU_TCO($B$2,$B$3,,$B$4,$B$5,$B$6,$B$7,$B$8)/$B$3",
      "=TL.SELFHOST_COSTPERM(B15,$B$9,$B$10)",
      '=(1-$B$12)*TL.PRICE($B$11,"input")+$B$12*TL.PRICE($B$11,"output")',
      "=TL.SELFHOST_BREAKEVEN(B16,$B$11,$B$12)",
      "=B19/($B$9*3600*8760)",
    ]);
    expect(only(sheet, "A22:C27").formulas![3]).toEqual([0.5, "=TL.SELFHOST_COSTPERM(B15,$B$9,A25)", "=B18"]);
    expect(only(sheet, "A29:D40").formulas![6]).toEqual([
      1,
      "=A35*B19",
      "=B35*B18/1000000",
      "=B16*MAX(1,CEILING(B35/(($B$9*3600*8760)*$B$10),1))",
    ]);
  });

  it("formats the breakdown as money for each year and the total", () => {
    const tco = only(sheet, "F2:I7").numberFormat!;
    expect(tco).toHaveLength(6);
    expect(tco[0]).toEqual(["$#,##0.00", "$#,##0.00", "$#,##0.00", "$#,##0.00"]);
    expect(only(sheet, "B20").numberFormat).toEqual([["0.0%"]]);
    expect(only(sheet, "B19").numberFormat).toEqual([["#,##0"]]);
  });

  it("writes the demand curve, CAPACITY_PLAN beside it and a HYBRID_COST line over nodes owned", () => {
    const demand = only(sheet, "A42:B66").formulas!;
    expect(demand[0]).toEqual(["'Hour", "'Demand (tokens/s)"]);
    expect(demand[16]).toEqual([15, 80000]);
    expect(sheet.ranges.get("B43:B66")!.find((r) => r.numberFormat)!.numberFormat![0]).toEqual(["#,##0"]);
    expect(only(sheet, "D42:F44").formulas!.map((r) => r[1])).toEqual(["'Value", 0.95, 0.2]);
    expect(only(sheet, "D45").formulas).toEqual([["=TL.CAPACITY_PLAN($B$43:$B$66,$B$9,$E$43,$E$44)"]]);
    // Nothing is written where CAPACITY_PLAN spills (E45:E49), only its units beside it.
    expect(sheet.ranges.has("E45:E49")).toBe(false);
    expect(only(sheet, "F45:F49").formulas![0]).toEqual(["'nodes"]);
    expect(only(sheet, "D51:E60").formulas![1]).toEqual(["=CEILING($E$45*0/4,1)", "=TL.HYBRID_COST($B$43:$B$66,D52,$B$9,B15,B18)"]);
    expect(only(sheet, "D62:F62").formulas).toEqual([["'Cheapest day", "=MIN(E52:E60)", "'USD"]]);
    expect(sheet.charts[1]).toMatchObject({ type: "Line", source: "E51:E60", position: ["G42", "N62"] });
    expect(sheet.charts[1].series.map((s) => s.xValues)).toEqual(["D52:D60"]);
  });

  it("charts API spend against self-hosting over token volume", () => {
    const [chart] = sheet.charts;
    expect(chart).toMatchObject({ type: "Line", source: "C29:D40", seriesBy: "Columns", position: ["E9", "M29"] });
    expect(chart.series.map((s) => s.xValues)).toEqual(["B30:B40", "B30:B40"]);
    expect(chart.axes.categoryAxis.title.text).toBe("Tokens per year");
  });
});

describe("writeSheet: tornado", async () => {
  const layout = tornadoLayout({ fn: "MONTHLYCOST", args: [SONNET, 20000, 1500, 300, 0.3, 0.02], swing: TORNADO_SWING });
  const { name, sheet } = await write(layout, ["TL Tornado", "TL Tornado (2)"]);

  it("writes TORNADO over the argument cells and the bars' offsets from the base", () => {
    expect(name).toBe("TL Tornado (3)");
    expect(only(sheet, "D1").formulas).toEqual([['=TL.TORNADO("MONTHLYCOST",$B$2:$B$7,$B$8)']]);
    expect(only(sheet, "I1:K6").formulas![1]).toEqual(["=D2", "=E2-$B$9", "=F2-$B$9"]);
    expect(only(sheet, "B8").numberFormat).toEqual([["0.0%"]]);
  });

  it("draws a bar chart, largest spread on top, bars overlapping around the base", () => {
    const [chart] = sheet.charts;
    expect(chart).toMatchObject({ type: "BarClustered", source: "J1:K6", seriesBy: "Columns", position: ["D11", "K29"] });
    expect(chart.series.map(({ xValues, overlap }) => [xValues, overlap])).toEqual([
      ["I2:I6", 100],
      ["I2:I6", 100],
    ]);
    expect(chart.axes.categoryAxis.reversePlotOrder).toBe(true);
    expect(chart.axes.categoryAxis.tickLabelPosition).toBe("Low");
    expect(sheet.frozen).toEqual({ rows: 1 });
  });
});
