import { Dec, type SheetCell, isExact, type SheetResult } from "@tokenledger/core";
import { type Cell, type Outcome, isErrorValue } from "./evaluator";

/** How llmcalc prints an outcome: a line of text (tab-separated rows for a spill) or a JSON line. */

/** The double's shortest round-trip digits, written without an exponent as core writes decimals. */
export function numberText(n: number): string {
  const s = String(n);
  return s.includes("e") ? new Dec(s).toString() : s;
}

/** Core's exact decimal behind a number, if it computed one. */
function exactText(computed: SheetCell | SheetResult | undefined): string | undefined {
  return isExact(computed) ? computed.toString() : undefined;
}

/** Tabs and line breaks inside text would break the rows apart. */
const oneLine = (s: string) => s.replace(/[\t\n\r]/g, (c) => (c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r"));

function cellText(c: Cell, exact: SheetCell | undefined): string {
  if (c === null) return "";
  if (typeof c === "number") return exactText(exact) ?? numberText(c);
  if (typeof c === "boolean") return c ? "TRUE" : "FALSE";
  if (typeof c === "string") return oneLine(c);
  return c.message ? `${c.error} ${oneLine(c.message)}` : c.error;
}

/** The outcome as text; with `exact`, numbers core computed print as its decimals. */
export function textOf(outcome: Outcome, exact: boolean): string {
  const computed = exact ? outcome.computed : undefined;
  const { value } = outcome;
  if (!Array.isArray(value)) return cellText(value, Array.isArray(computed) ? undefined : computed);
  const lines: string[] = [];
  for (let r = 0; r < value.length; r++) {
    const row = value[r];
    const exactRow = Array.isArray(computed) ? computed[r] : undefined;
    let line = cellText(row[0], exactRow?.[0]);
    for (let c = 1; c < row.length; c++) line += `\t${cellText(row[c], exactRow?.[c])}`;
    lines.push(line);
  }
  return lines.join("\n");
}

/** `{formula, value, exact?}` or `{formula, error, message}`, on one line. */
export function jsonOf({ formula, value, computed }: Outcome): string {
  if (isErrorValue(value)) return JSON.stringify({ formula, error: value.error, message: value.message });
  if (typeof value !== "number") return JSON.stringify({ formula, value });
  return JSON.stringify({ formula, value, exact: exactText(computed) ?? numberText(value) });
}

/** Whether the formula, or any cell of its spill, is an error (what `--strict` counts). */
export function errs(outcome: Outcome): boolean {
  const { value } = outcome;
  return Array.isArray(value) ? value.some((row) => row.some(isErrorValue)) : isErrorValue(value);
}
