import type { DateSystem } from "@tokenledger/core";
import type { CompiledCatalogue, CompiledModel, Component } from "@tokenledger/core/catalogue";
import { type TlCell, modelArguments } from "./at-risk";
import { cell } from "./scenarios/a1";

/**
 * What the task pane does to the workbook, each step a small function of an Excel request
 * context (so tests drive them with office-addin-mock): insert a price table or a formula, keep a
 * text in a custom XML part (the pinned catalogue, the organisation's prices), recalculate.
 */

export type Cell = string | number;

/** Custom XML namespaces of the parts the add-in keeps in a workbook. */
export const PIN_NAMESPACE = "urn:tokenledger:pinned-catalogue:1";
export const OVERLAY_NAMESPACE = "urn:tokenledger:overlay:1";

const PRICE_COLUMNS: readonly [Component, string][] = [
  ["input", "Input $/1M tokens"],
  ["output", "Output $/1M tokens"],
  ["cache_read", "Cache read $/1M tokens"],
  ["cache_write", "Cache write $/1M tokens"],
];

/** Text Excel would take for a formula (=, +, -, @ first) is entered as text. */
export function textCell(text: string): string {
  return /^[=+\-@]/.test(text) ? `'${text}` : text;
}

const formulaText = (t: string) => `"${t.replace(/"/g, '""')}"`;

/**
 * The selection as table cells, header first. `values`: today's prices as numbers (the nearest
 * double, at the Excel boundary) with each price's as-of date and source; `formulas`: live
 * `=TL.PRICE(id, component)` cells that follow the active catalogue. A component the model has no
 * price for stays blank rather than an error.
 */
export function priceTableCells(models: readonly CompiledModel[], catalogue: CompiledCatalogue, kind: "values" | "formulas"): Cell[][] {
  const live = kind === "formulas";
  const header = ["Model", "Provider", ...PRICE_COLUMNS.map(([, label]) => label), "Context tokens", ...(live ? [] : ["As of", "Source"])];
  const rows = models.map((m): Cell[] => {
    const rates = m.rates[0].get("")!;
    const prices = PRICE_COLUMNS.map(([c]): Cell => {
      const rate = rates[c];
      if (rate === undefined) return "";
      return live ? `=TL.PRICE(${formulaText(m.id)},${formulaText(c)})` : rate.toNumber();
    });
    const context = m.entry.context_window ?? "";
    const provenance = live ? [] : [m.entry.as_of ?? catalogue.data.as_of, textCell(m.entry.source ?? catalogue.data.source)];
    return [textCell(m.id), textCell(m.entry.provider), ...prices, context, ...provenance];
  });
  return [header, ...rows];
}

/** Writes `cells` from the active cell down and right, as an Excel table with a header row. */
export async function insertTable(context: Excel.RequestContext, cells: Cell[][]): Promise<string> {
  const anchor = context.workbook.getActiveCell();
  const range = anchor.getResizedRange(cells.length - 1, cells[0].length - 1);
  // `formulas` takes constants as well, so values and live formulas go in by one path.
  range.formulas = cells;
  const table = range.worksheet.tables.add(range, true);
  table.getRange().format.autofitColumns();
  range.load("address");
  await context.sync();
  return range.address;
}

/** Puts one formula into the active cell. */
export async function insertFormula(context: Excel.RequestContext, formula: string): Promise<string> {
  const cell = context.workbook.getActiveCell();
  cell.formulas = [[formula]];
  cell.load("address");
  await context.sync();
  return cell.address;
}

/**
 * The workbook's date system, which `as_of` serials count in: 1 January 1904 is serial 0 in a
 * 1904 workbook and 1,462 in a 1900 one. Asked of Excel's own DATE (ExcelApi 1.2, every host
 * that runs custom functions), with no cell written.
 */
export async function readDateSystem(context: Excel.RequestContext): Promise<DateSystem> {
  const day = context.workbook.functions.date(1904, 1, 1);
  day.load("value");
  await context.sync();
  return day.value === 0 ? 1904 : 1900;
}

/** Recalculates every formula, so TL functions price with the catalogue now active. */
export async function recalculate(context: Excel.RequestContext): Promise<void> {
  context.workbook.application.calculate(Excel.CalculationType.full);
  await context.sync();
}

// --- TL formulas ------------------------------------------------------------------------------

/** "'My sheet'!B2:J4" → the sheet part as written, and the first cell's row and column (from 1). */
function origin(address: string): { sheet: string; row: number; col: number } {
  const bang = address.lastIndexOf("!");
  const m = /^\$?([A-Z]+)\$?(\d+)/.exec(address.slice(bang + 1))!;
  const col = [...m[1]].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
  return { sheet: address.slice(0, bang), row: Number(m[2]), col };
}

/** Every formula of the workbook that calls a TL function, with the model names its calls take. */
export async function readTlCells(context: Excel.RequestContext): Promise<TlCell[]> {
  const sheets = context.workbook.worksheets;
  sheets.load("items");
  await context.sync();
  const ranges = sheets.items.map((sheet) => {
    const used = sheet.getUsedRangeOrNullObject(true);
    used.load("address,formulas,values");
    return used;
  });
  await context.sync();
  const cells: TlCell[] = [];
  for (const used of ranges) {
    if (used.isNullObject) continue;
    const { sheet, row, col } = origin(used.address);
    const values = new Map<string, unknown>();
    used.values.forEach((r, i) => r.forEach((v, j) => values.set(cell(row + i, col + j), v)));
    used.formulas.forEach((r, i) =>
      r.forEach((formula, j) => {
        if (typeof formula !== "string" || !/\bTL\./i.test(formula)) return;
        cells.push({ address: `${sheet}!${cell(row + i, col + j)}`, formula, models: modelArguments(formula, (ref) => values.get(ref)) });
      }),
    );
  }
  return cells;
}

// --- custom XML parts ------------------------------------------------------------------------

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/** A text as the one element of a custom XML part in `namespace`. */
export function partXml(namespace: string, text: string): string {
  const escaped = text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  return `<?xml version="1.0" encoding="UTF-8"?><tokenledger xmlns="${namespace}">${escaped}</tokenledger>`;
}

/** A part that is there but cannot be read: the message is a clause saying why. */
export class PartUnreadable extends Error {
  override name = "PartUnreadable";
}

/**
 * The text partXml wrapped, read back from the XML Excel returns (which may re-encode it). A part
 * without that element (empty, self-closing, cut short) or with a character reference that is no
 * character throws PartUnreadable: it is not "no part".
 */
export function partText(xml: string): string {
  const body = /<(?:[\w.-]+:)?tokenledger\b[^>]*>([\s\S]*)<\/(?:[\w.-]+:)?tokenledger\s*>/.exec(xml)?.[1];
  if (body === undefined) throw new PartUnreadable("it is empty or cut short");
  return body.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, ref: string) => {
    if (ref[0] !== "#") return ENTITIES[ref] ?? whole;
    const code = ref[1].toLowerCase() === "x" ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    if (!(code <= 0x10ffff)) throw new PartUnreadable(`it holds an invalid character reference (${whole.slice(0, 16)})`);
    return String.fromCodePoint(code);
  });
}

function partsIn(context: Excel.RequestContext, namespace: string): Excel.CustomXmlPartScopedCollection {
  const parts = context.workbook.customXmlParts.getByNamespace(namespace);
  parts.load("items");
  return parts;
}

/** More than one part under a namespace: which one holds the workbook's state is unknown, so none is read or written. */
const several = (n: number) => new PartUnreadable(`the workbook holds ${n} such parts, and which one counts is unknown`);

/** The text kept in the workbook under `namespace`, or null when there is none; throws PartUnreadable. */
export async function readPart(context: Excel.RequestContext, namespace: string): Promise<string | null> {
  const parts = partsIn(context, namespace);
  await context.sync();
  if (parts.items.length > 1) throw several(parts.items.length);
  const first = parts.items[0];
  if (!first) return null;
  const xml = first.getXml();
  await context.sync();
  return partText(xml.value);
}

/** Keeps `text` in the workbook under `namespace`, replacing the one part there; never chooses among several. */
export async function writePart(context: Excel.RequestContext, namespace: string, text: string): Promise<void> {
  const parts = partsIn(context, namespace);
  await context.sync();
  if (parts.items.length > 1) throw several(parts.items.length);
  const xml = partXml(namespace, text);
  if (parts.items[0]) parts.items[0].setXml(xml);
  else context.workbook.customXmlParts.add(xml);
  await context.sync();
}

export async function removePart(context: Excel.RequestContext, namespace: string): Promise<void> {
  const parts = partsIn(context, namespace);
  await context.sync();
  for (const p of parts.items) p.delete();
  await context.sync();
}
