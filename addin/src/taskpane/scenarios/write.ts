import { area, size } from "./a1";
import { type Block, type Cell, type ChartSpec, type Role, type SheetLayout, isFormula } from "./layout";

/**
 * Applies a layout through the Excel JS API: one sync to find a free sheet name, one to write
 * everything. Nothing here decides what goes where; the layout functions do.
 */

/** "TL Forecast", then "TL Forecast (2)", "TL Forecast (3)"… */
export function sheetName(base: string, n: number): string {
  return n === 1 ? base : `${base} (${n})`;
}

/** Names asked about per sync while looking for a free one. */
const NAMES_PER_SYNC = 20;

/** The first of base, "base (2)"… that no sheet has (Excel compares names case-insensitively). */
export async function freeSheetName(context: Excel.RequestContext, base: string): Promise<string> {
  for (let first = 1; ; first += NAMES_PER_SYNC) {
    const names = Array.from({ length: NAMES_PER_SYNC }, (_, i) => sheetName(base, first + i));
    const sheets = names.map((name) => context.workbook.worksheets.getItemOrNullObject(name).load("isNullObject"));
    await context.sync();
    const free = sheets.findIndex((s) => s.isNullObject);
    if (free >= 0) return names[free];
  }
}

/**
 * Text goes in behind an apostrophe, Excel's mark for "this is text", so that nothing typed or
 * taken from the catalogue is read as a number, a date or a formula.
 */
function excelCell(c: Cell): string | number {
  if (isFormula(c)) return c.formula;
  return typeof c === "string" && c !== "" ? `'${c}` : c;
}

function filled(address: string, value: string): string[][] {
  const { rows, cols } = size(address);
  return Array.from({ length: rows }, () => new Array<string>(cols).fill(value));
}

const INPUT_FILL = "#FFF2CC";
const INPUT_FONT = "#1F4E79";
const HEADER_FILL = "#E7E6E6";

function styleRange(range: Excel.Range, role: Role): void {
  if (role === "header") {
    range.format.font.bold = true;
    range.format.fill.color = HEADER_FILL;
  } else {
    range.format.font.color = INPUT_FONT;
    range.format.fill.color = INPUT_FILL;
  }
}

const GOOD = "#63BE7B";
const MIDDLE = "#FFEB84";
const BAD = "#F8696B";

/** Green at the best end, yellow at the median, red at the worst. */
function addColorScale(range: Excel.Range, higherIsBetter: boolean): void {
  range.conditionalFormats.add("ColorScale").colorScale.criteria = {
    minimum: { type: "LowestValue", color: higherIsBetter ? BAD : GOOD },
    midpoint: { type: "Percentile", formula: "50", color: MIDDLE },
    maximum: { type: "HighestValue", color: higherIsBetter ? GOOD : BAD },
  };
}

function addChart(sheet: Excel.Worksheet, spec: ChartSpec): void {
  const chart = sheet.charts.add(spec.type, sheet.getRange(spec.source), "Columns");
  chart.title.text = spec.title;
  chart.legend.position = "Bottom";
  chart.axes.valueAxis.title.text = spec.valueAxisTitle;
  chart.axes.categoryAxis.title.text = spec.categoryAxisTitle;
  const categories = sheet.getRange(spec.categories);
  for (let i = 0; i < size(spec.source).cols; i++) {
    const series = chart.series.getItemAt(i);
    series.setXAxisValues(categories);
    if (spec.tornado) {
      series.overlap = 100;
      series.gapWidth = 50;
    }
  }
  if (spec.tornado) {
    // Largest spread on top, and the labels clear of bars that run left of zero.
    chart.axes.categoryAxis.reversePlotOrder = true;
    chart.axes.categoryAxis.tickLabelPosition = "Low";
  }
  chart.setPosition(spec.from, spec.to);
}

function writeBlock(sheet: Excel.Worksheet, block: Block): void {
  sheet.getRange(block.address).formulas = block.cells.map((row) => row.map(excelCell));
}

/** Writes the layout to a new sheet, activates it, and answers the sheet's name. */
export async function writeSheet(context: Excel.RequestContext, layout: SheetLayout): Promise<string> {
  const name = await freeSheetName(context, layout.name);
  const sheet = context.workbook.worksheets.add(name);
  for (const block of layout.blocks) writeBlock(sheet, block);
  for (const { address, format } of layout.numberFormats) sheet.getRange(address).numberFormat = filled(address, format);
  for (const { address, role } of layout.styles) styleRange(sheet.getRange(address), role);
  for (const { address, higherIsBetter } of layout.colorScales) addColorScale(sheet.getRange(address), higherIsBetter);
  sheet.getUsedRange().format.autofitColumns();
  for (const { column, points } of layout.columnWidths) sheet.getRange(column).format.columnWidth = points;
  for (const chart of layout.charts) addChart(sheet, chart);
  const { rows, columns } = layout.freeze;
  if (columns > 0) sheet.freezePanes.freezeAt(sheet.getRange(area(1, 1, rows, columns)));
  else sheet.freezePanes.freezeRows(rows);
  sheet.activate();
  await context.sync();
  return name;
}
