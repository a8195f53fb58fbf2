import { type Dec, FUNCTIONS, type Fixed, TlError, decimalOf, invoke } from "../src";

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
