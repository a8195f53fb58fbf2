import { type PlainCell, type SheetFunction, type TlError, asTlError, invoke, toPlain } from "@tokenledger/core";

/**
 * The one place where the engine meets Excel: arguments go to core as Excel handed them (core
 * reads an omitted argument, null, as its default), and a core error becomes an Excel error
 * carrying the message that names the argument and the rule.
 */

const CODES = {
  NA: "#N/A",
  VALUE: "#VALUE!",
  NUM: "#NUM!",
} as const satisfies Record<TlError["kind"], `${CustomFunctions.ErrorCode}`>;

export function excelError(e: TlError): CustomFunctions.Error {
  return new CustomFunctions.Error(CODES[e.kind] as CustomFunctions.ErrorCode, e.message);
}

/** A blank of a spill is empty text: Excel shows a null cell of an array as 0. */
function cell(c: PlainCell): unknown {
  if (c === null) return "";
  return typeof c === "object" ? excelError(c) : c;
}

function evaluate(fn: SheetFunction, args: unknown[]): unknown {
  let plain;
  try {
    plain = toPlain(invoke(fn, args));
  } catch (e) {
    throw excelError(asTlError(e));
  }
  return Array.isArray(plain) ? plain.map((row) => row.map(cell)) : plain;
}

/** A function that answers one number. */
export const numberResult = (fn: SheetFunction, args: unknown[]) => evaluate(fn, args) as number;
/** A function that answers text. */
export const textResult = (fn: SheetFunction, args: unknown[]) => evaluate(fn, args) as string;
/** A function that spills. */
export const spillResult = (fn: SheetFunction, args: unknown[]) => evaluate(fn, args) as unknown[][];
