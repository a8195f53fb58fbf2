/**
 * A1-style addresses for the scenario layouts. Rows and columns count from 1, as Excel's do.
 */

/** Column number → letters: 1 → A, 27 → AA. */
export function column(n: number): string {
  let letters = "";
  for (let c = n; c > 0; c = Math.floor((c - 1) / 26)) letters = String.fromCharCode(65 + ((c - 1) % 26)) + letters;
  return letters;
}

/** A relative cell address: cell(2, 3) → "C2". */
export function cell(row: number, col: number): string {
  return `${column(col)}${row}`;
}

/** An absolute cell address: abs(2, 3) → "$C$2". */
export function abs(row: number, col: number): string {
  return `$${column(col)}$${row}`;
}

/** The rectangle from (row, col) spanning `rows` × `cols` cells: "C2:D5" (or "C2" for one cell). */
export function area(row: number, col: number, rows: number, cols: number): string {
  const last = cell(row + rows - 1, col + cols - 1);
  return rows === 1 && cols === 1 ? last : `${cell(row, col)}:${last}`;
}

/** Rows and columns of an address written by `area` ("C2:D5" → 4 × 2). */
export function size(address: string): { rows: number; cols: number } {
  const [from, to = from] = address.split(":").map(parse);
  return { rows: to.row - from.row + 1, cols: to.col - from.col + 1 };
}

/** The column number of an address's first cell ("C2:D5" → 3). */
export function firstColumn(address: string): number {
  return parse(address.split(":")[0]).col;
}

function parse(ref: string): { row: number; col: number } {
  const m = /^\$?([A-Z]+)\$?(\d+)$/.exec(ref);
  if (!m) throw new Error(`not a cell address: ${ref}`);
  const col = [...m[1]].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
  return { row: Number(m[2]), col };
}
