import { abs, area, cell, column, firstColumn } from "./a1";

/**
 * What a scenario builder puts on its sheet, computed without Excel: cells, number formats,
 * styles, charts. `write.ts` applies a layout through the Excel JS API; tests read it directly.
 */

/** A live formula. Kept apart from text so no text (a catalogue id, say) can ever become a formula. */
export interface Formula {
  readonly formula: string;
}

/** A number, text ("" is blank), or a formula. */
export type Cell = number | string | Formula;

export const isFormula = (c: Cell): c is Formula => typeof c === "object";

/** A rectangle of cells written with one `range.formulas` assignment. */
export interface Block {
  readonly address: string;
  readonly cells: readonly (readonly Cell[])[];
}

/** Header cells are bold on grey; inputs, the cells the user edits, are blue on pale yellow. */
export type Role = "header" | "input";

export type ChartType = "Line" | "BarClustered";

export interface ChartSpec {
  readonly type: ChartType;
  /** The series, one a column, names in the first row. */
  readonly source: string;
  /** The x-axis labels, one a row of `source` below its first. */
  readonly categories: string;
  readonly title: string;
  readonly valueAxisTitle: string;
  readonly categoryAxisTitle: string;
  /** Cells the chart covers: top-left and bottom-right. */
  readonly from: string;
  readonly to: string;
  /** Bar charts: the first category on top (Excel draws it at the bottom), the series overlapping. */
  readonly tornado?: boolean;
}

export interface SheetLayout {
  /** The sheet's name; a workbook that has it already gets "name (2)", "name (3)"… */
  readonly name: string;
  readonly blocks: readonly Block[];
  readonly numberFormats: readonly { readonly address: string; readonly format: string }[];
  readonly styles: readonly { readonly address: string; readonly role: Role }[];
  /** Ranges shaded from green (good) to red: green at the lowest value unless higher is better. */
  readonly colorScales: readonly { readonly address: string; readonly higherIsBetter: boolean }[];
  readonly charts: readonly ChartSpec[];
  /**
   * Widths, in points, of columns that show computed numbers: autofit runs before the custom
   * functions answer, so it would size them to "#BUSY!" and money would show as ####.
   */
  readonly columnWidths: readonly { readonly column: string; readonly points: number }[];
  readonly freeze: { readonly rows: number; readonly columns: number };
}

// Number formats. Money is USD whatever the user's locale, so the symbol is literal.
export const USD = "$#,##0.00";
/** Per-request costs and prices: two to six decimals ($0.009, $3.00). */
export const USD_FINE = "$#,##0.00####";
export const PERCENT = "0.0%";
export const WHOLE = "#,##0";
export const DECIMAL = "#,##0.00##";

/** A formula cell. */
export const f = (formula: string): Formula => ({ formula });

/** Text as a formula's string literal. */
export const str = (s: string): string => `"${s.replaceAll('"', '""')}"`;

/** `=TL.NAME(a,b,…)`; an empty argument is an omitted one. */
export const tl = (name: string, args: readonly string[]): Formula => f(`=${tlCall(name, args)}`);

/** `TL.NAME(a,b,…)` for use inside a larger formula. */
export const tlCall = (name: string, args: readonly string[]): string => `TL.${name}(${args.join(",")})`;

/** Money up to $99,999,999.99. */
const MONEY_CHARS = "$99,999,999.99".length;
/** Calibri 11, Excel's default font: about 6 points a character, plus the cell's margins. */
const POINTS_PER_CHAR = 6;
const PADDING_POINTS = 8;

/** Collects a layout; each builder describes its sheet top to bottom with it. */
export class LayoutBuilder {
  private readonly blocks: Block[] = [];
  private readonly numberFormats: { address: string; format: string }[] = [];
  private readonly styles: { address: string; role: Role }[] = [];
  private readonly colorScales: { address: string; higherIsBetter: boolean }[] = [];
  private readonly charts: ChartSpec[] = [];
  /** Column → the fewest characters it must show. */
  private readonly resultColumns = new Map<number, number>();

  constructor(private readonly name: string) {}

  /** Writes rows of cells with their top-left at (row, col); answers the block's address. */
  put(row: number, col: number, cells: readonly (readonly Cell[])[]): string {
    const cols = Math.max(...cells.map((r) => r.length));
    const rect = cells.map((r) => [...r, ...new Array<Cell>(cols - r.length).fill("")]);
    const address = area(row, col, rect.length, cols);
    this.blocks.push({ address, cells: rect });
    return address;
  }

  format(address: string, format: string): this {
    this.numberFormats.push({ address, format });
    return this;
  }

  style(address: string, role: Role): this {
    this.styles.push({ address, role });
    return this;
  }

  colorScale(address: string, higherIsBetter: boolean): this {
    this.colorScales.push({ address, higherIsBetter });
    return this;
  }

  chart(spec: ChartSpec): this {
    this.charts.push(spec);
    return this;
  }

  /** Columns `first` … `last` show computed values: money, unless told how many characters. */
  results(first: number, last = first, chars = MONEY_CHARS): this {
    for (let c = first; c <= last; c++) this.resultColumns.set(c, Math.max(chars, this.resultColumns.get(c) ?? 0));
    return this;
  }

  build(freeze: { rows: number; columns: number }): SheetLayout {
    const { name, blocks, numberFormats, styles, colorScales, charts } = this;
    const columnWidths = [...this.resultColumns].map(([c, chars]) => ({
      column: `${column(c)}:${column(c)}`,
      points: this.widthOf(c, chars),
    }));
    return { name, blocks, numberFormats, styles, colorScales, charts, columnWidths, freeze };
  }

  /** Wide enough for `chars` characters and for any text or number written in the column. */
  private widthOf(col: number, min: number): number {
    let chars = min;
    for (const b of this.blocks) {
      const first = firstColumn(b.address);
      for (const row of b.cells) {
        const c = row[col - first];
        if (c !== undefined && !isFormula(c)) chars = Math.max(chars, String(c).length);
      }
    }
    return Math.ceil(chars * POINTS_PER_CHAR + PADDING_POINTS);
  }
}

export interface Input {
  readonly label: string;
  readonly value: Cell;
  readonly unit?: string;
  readonly format?: string;
}

/**
 * Labelled inputs, one a row from `row` down: label in A, value in B (styled as an input), unit
 * in C. Answers each value's absolute address ("$B$4") by key, for formulas to point at.
 */
export function putInputs<K extends string>(b: LayoutBuilder, row: number, inputs: Record<K, Input>): Record<K, string> {
  const list = Object.entries<Input>(inputs);
  b.put(
    row,
    1,
    list.map(([, i]) => [i.label, i.value, i.unit ?? ""]),
  );
  b.style(area(row, 2, list.length, 1), "input");
  list.forEach(([, i], k) => i.format && b.format(cell(row + k, 2), i.format));
  return Object.fromEntries(list.map(([key], k) => [key, abs(row + k, 2)])) as Record<K, string>;
}
