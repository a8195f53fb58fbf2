import { EXCEL_ERROR, type PlainCell, type SheetFunction, type TlError, asTlError, invoke, toPlain } from "@tokenledger/core";

/**
 * The one place where the engine meets Excel: arguments go to core as Excel handed them (core
 * reads an omitted argument, null, as its default), and a core error becomes an Excel error
 * carrying the message that names the argument and the rule.
 */

export function excelError(e: TlError): CustomFunctions.Error {
  return new CustomFunctions.Error(EXCEL_ERROR[e.kind] as CustomFunctions.ErrorCode, e.message);
}

function cell(c: PlainCell): unknown {
  return c !== null && typeof c === "object" ? excelError(c) : c;
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
