/**
 * The one error vocabulary of the engine. Every rule a formula enforces fails with a TlError;
 * the add-in maps `kind` to an Excel error once (addin/src/functions/excel.ts) and llmcalc
 * prints it. Messages name the argument and the rule broken, because Excel shows them in the
 * cell's tooltip and that is all a user sees.
 */
/**
 * `INTERNAL` is an exception core did not mean to throw (a bug, never a rule broken): it shows as
 * `#VALUE!` so a sheet keeps working, and the fuzz test fails on it.
 */
export type ErrorKind = "NA" | "VALUE" | "NUM" | "INTERNAL";

/** How Excel spells each kind: the add-in and llmcalc both answer these. */
export const EXCEL_ERROR = {
  NA: "#N/A",
  VALUE: "#VALUE!",
  NUM: "#NUM!",
  INTERNAL: "#VALUE!",
} as const satisfies Record<ErrorKind, string>;

export class TlError extends Error {
  readonly kind: ErrorKind;

  constructor(kind: ErrorKind, message: string) {
    // No stack: a rule broken is the sheet's, not the code's, and capturing one costs ~6 µs, which a
    // GRID whose cells mostly break a rule (success rates on the wrong side) paid in every cell.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
    this.kind = kind;
    this.name = "TlError";
  }
}

/** `#VALUE!`: an argument of the wrong kind or out of range. */
export function valueError(arg: string, rule: string): TlError {
  return new TlError("VALUE", `${arg}: ${rule}`);
}

/** `#N/A`: something looked up does not exist (model, hardware, a price on a date). */
export function notFound(message: string): TlError {
  return new TlError("NA", message);
}

/** `#NUM!`: the result does not exist (zero throughput, no break-even, no root). */
export function noResult(message: string): TlError {
  return new TlError("NUM", message);
}

/** Anything thrown that is not ours becomes an `INTERNAL` error with its message: nothing escapes raw. */
export function asTlError(e: unknown): TlError {
  if (e instanceof TlError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new TlError("INTERNAL", `internal error: ${message}`);
}
