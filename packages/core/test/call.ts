import { type Dec, type Exact, FUNCTIONS, type Fixed, TlError, decimalOf, invoke, toPlain } from "../src";
import { type CompiledModel, modelArg } from "../src/catalogue";

/** Calls a worksheet function by name and answers the exact result as text, or "KIND: message". */
export function call(name: string, ...args: unknown[]): string {
  try {
    return String(invoke(FUNCTIONS[name], args));
  } catch (e) {
    if (e instanceof TlError) return `${e.kind}: ${e.message}`;
    throw e;
  }
}

/** A worksheet function's decimal result (a hot path's Fixed too), for arithmetic in properties. */
export const dec = (name: string, ...args: unknown[]): Dec => decimalOf(invoke(FUNCTIONS[name], args) as Dec | Fixed);

/**
 * A result as the double Excel gets and its exact decimal, or the message of the error it throws:
 * how a fast path is held to its decimal path (the same double, decimal and error).
 */
export function held(f: () => unknown): string {
  try {
    const r = f() as Exact;
    return `${toPlain(r)} ${decimalOf(r).toString()}`;
  } catch (e) {
    if (e instanceof TlError) return e.message;
    throw e;
  }
}

/** Resolves SELFHOST_BREAKEVEN's model argument as the function does, naming it in the error. */
export function modelNamed(id: string): CompiledModel {
  try {
    return modelArg("api_price_or_model").parse(id);
  } catch (e) {
    if (e instanceof TlError) throw new TlError(e.kind, `api_price_or_model: ${e.message}`);
    throw e;
  }
}
