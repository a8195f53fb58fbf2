import { EXCEL_ERROR, type PlainCell, type SheetFunction, type TlError, asTlError, invoke, toPlain } from "@tokenledger/core";
import { ITEMISED, recordOutcome } from "../outcomes";

/**
 * The one place where the engine meets Excel: arguments go to core as Excel handed them (core
 * reads an omitted argument, null, as its default), and a core error becomes an Excel error
 * carrying the message that names the argument and the rule. Given the cell's address, the
 * outcome is kept for the task pane's Explain view (Excel shows no message on #NUM!).
 */

export function excelError(e: TlError): CustomFunctions.Error {
  return new CustomFunctions.Error(EXCEL_ERROR[e.kind] as CustomFunctions.ErrorCode, e.message);
}

/** A blank of a spill is empty text: Excel shows a null cell of an array as 0. */
function cell(c: PlainCell): unknown {
  if (c === null) return "";
  return typeof c === "object" ? excelError(c) : c;
}

function evaluate(fn: SheetFunction, args: unknown[], invocation?: CustomFunctions.Invocation): unknown {
  // A formula-bar preview runs the function on a formula not yet entered: not the cell's answer.
  const address = invocation?.isInValuePreview ? undefined : invocation?.address;
  const kept = address !== undefined && ITEMISED.has(fn.name) ? args : [];
  let plain;
  try {
    plain = toPlain(invoke(fn, args));
  } catch (e) {
    const error = asTlError(e);
    if (address) recordOutcome(address, { fn: fn.name, args: kept, error: { code: EXCEL_ERROR[error.kind], message: error.message } });
    throw excelError(error);
  }
  if (address) recordOutcome(address, { fn: fn.name, args: kept });
  return Array.isArray(plain) ? plain.map((row) => row.map(cell)) : plain;
}

/** A function that answers one number. */
export const numberResult = (fn: SheetFunction, args: unknown[], invocation?: CustomFunctions.Invocation) =>
  evaluate(fn, args, invocation) as number;
/** A function that answers text. */
export const textResult = (fn: SheetFunction, args: unknown[], invocation?: CustomFunctions.Invocation) =>
  evaluate(fn, args, invocation) as string;
/** A function that spills. */
export const spillResult = (fn: SheetFunction, args: unknown[], invocation?: CustomFunctions.Invocation) =>
  evaluate(fn, args, invocation) as unknown[][];
