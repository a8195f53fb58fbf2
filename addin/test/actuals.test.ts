import { readFileSync } from "node:fs";
import { type Actuals, computeActuals } from "@tokenledger/core/actuals";
import { OfficeMockObject } from "office-addin-mock";
import { describe, expect, it } from "vitest";
import { referenceCatalogue } from "../../test/reference";
import { actualsLayout, actualsTableAddress, varianceLayout } from "../src/taskpane/actuals/layout";
import { findForecastSheet, writeActuals, writeVariance } from "../src/taskpane/actuals/write";

/**
 * The Actuals tab's sheets: their layouts from core's fixtures (OpenAI usage with its costs
 * export, priced with the reference fixture), and their writes against a mocked Excel
 * (office-addin-mock): the Actuals table, the Variance sheet against the forecast builder's sheet.
 */

const dir = new URL("../../packages/core/test/fixtures/actuals/", import.meta.url);
const read = (name: string) => ({ name, text: readFileSync(new URL(name, dir), "utf8") });
const actuals: Actuals = computeActuals([read("openai-usage.json"), read("openai-costs.json")], referenceCatalogue());

/** A workbook holding sheets named `existing`, recording what is written, added and tabled. */
function mockExcel(existing: string[]) {
  const written = new Map<string, Record<string, unknown>>();
  const tables: { sheet: string; address: string; hasHeaders: boolean }[] = [];
  const added: string[] = [];
  const pending: OfficeMockObject[] = [];
  const range = (sheet: string, address: string) => {
    const r = { format: { font: {}, fill: {}, autofitColumns: () => undefined }, conditionalFormats: { add: () => ({ colorScale: {} }) } };
    written.set(`${sheet}!${address}`, r);
    return r;
  };
  const sheet = (name: string) => ({
    getRange: (address: string) => range(name, address),
    getUsedRange: () => range(name, "(used)"),
    charts: {
      add: () => ({
        title: {},
        legend: {},
        axes: { valueAxis: { title: {} }, categoryAxis: { title: {} } },
        series: { getItemAt: () => ({ setXAxisValues: () => undefined }) },
        setPosition: () => undefined,
      }),
    },
    freezePanes: { freezeRows: () => undefined, freezeAt: () => undefined },
    activate: () => undefined,
    tables: { add: (address: string, hasHeaders: boolean) => tables.push({ sheet: name, address, hasHeaders }) },
  });
  const names = () => [...existing, ...added];
  const context = new OfficeMockObject({
    workbook: {
      worksheets: {
        getItemOrNullObject(name: string) {
          const item = new OfficeMockObject({ isNullObject: !names().some((e) => e.toLowerCase() === name.toLowerCase()) });
          pending.push(item);
          return item;
        },
        getItem: (name: string) => sheet(name),
        add: (name: string) => {
          added.push(name);
          return sheet(name);
        },
        load() {
          return { items: names().map((name) => ({ name })) };
        },
      },
    },
    async sync() {
      for (const item of pending.splice(0)) await item.sync();
    },
  });
  return { context: context as unknown as Excel.RequestContext, written, tables, added };
}

describe("the Actuals sheet", () => {
  it("lays out month × model × team with tokens, cost, billed and a live difference", () => {
    const layout = actualsLayout(actuals);
    expect(layout.name).toBe("TL Actuals");
    const [block] = layout.blocks;
    expect(block.address).toBe("A1:N4");
    expect(block.cells[0]).toEqual([
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
    ]);
    // core's actuals test works these: 800,000 uncached + 200,000 cached in, 100,000 out: $3.25, billed $3.25.
    expect(block.cells[1]).toEqual([
      "2026-05",
      "openai/gpt-4o",
      "proj_alpha",
      500,
      800000,
      200000,
      0,
      0,
      100000,
      0,
      0,
      3.25,
      3.25,
      { formula: '=IF(OR(L2="",M2=""),"",M2-L2)' },
    ]);
    // June: $1.625 computed, $1.4625 billed.
    expect(block.cells[3].slice(11, 13)).toEqual([1.625, 1.4625]);
    expect(actualsTableAddress(actuals)).toBe("A1:N4");
  });

  it("writes a new sheet and makes its rows an Excel table with headers", async () => {
    const excel = mockExcel(["Sheet1", "TL Actuals"]);
    expect(await writeActuals(excel.context, actuals)).toBe("TL Actuals (2)");
    expect(excel.tables).toEqual([{ sheet: "TL Actuals (2)", address: "A1:N4", hasHeaders: true }]);
    // Text goes in behind an apostrophe, so "2026-05" stays a month label, not a date.
    expect((excel.written.get("TL Actuals (2)!A1:N4") as { formulas: unknown[][] }).formulas[1].slice(0, 3)).toEqual([
      "'2026-05",
      "'openai/gpt-4o",
      "'proj_alpha",
    ]);
  });
});

describe("the Variance sheet", () => {
  it("takes the plan live from the forecast sheet, month 1 at the first actual month, and compares", () => {
    const layout = varianceLayout(actuals, "TL Forecast", "2026-05");
    expect(layout.blocks[0].cells).toEqual([
      ["Month", "Forecast month", "Plan (USD)", "Actual (USD)", "Billed (USD)", "Variance (USD)", "Variance %"],
      // May: 3.25 + 0.27 computed and billed; the forecast's month 1 is its row 2, cost in J.
      [
        "2026-05",
        1,
        { formula: "=IF('TL Forecast'!H2=\"\",\"\",'TL Forecast'!H2/'TL Forecast'!$B$8)" },
        3.52,
        3.52,
        { formula: '=IF(OR(C2="",D2=""),"",D2-C2)' },
        { formula: '=IF(OR(C2="",C2=0,D2=""),"",F2/C2)' },
      ],
      [
        "2026-06",
        2,
        { formula: "=IF('TL Forecast'!H3=\"\",\"\",'TL Forecast'!H3/'TL Forecast'!$B$8)" },
        1.625,
        1.4625,
        { formula: '=IF(OR(C3="",D3=""),"",D3-C3)' },
        { formula: '=IF(OR(C3="",C3=0,D3=""),"",F3/C3)' },
      ],
    ]);
    expect(layout.charts.map((c) => [c.type, c.source, c.categories])).toEqual([["Line", "C1:D3", "A2:A3"]]);
  });

  it("finds the forecast builder's sheet, and says so when there is none", async () => {
    expect(await findForecastSheet(mockExcel(["Sheet1", "TL Forecast (2)"]).context)).toBe("TL Forecast (2)");
    const excel = mockExcel(["TL Forecast"]);
    expect(await writeVariance(excel.context, actuals)).toBe("TL Variance");
    await expect(writeVariance(mockExcel(["Sheet1"]).context, actuals)).rejects.toThrow(
      "there is no forecast sheet: build one under Scenarios first",
    );
  });
});
