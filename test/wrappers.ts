import { functionFiles } from "../addin/functions-files.js";
import { FUNCTIONS } from "../packages/core/src";

export type Wrapper = (...args: unknown[]) => unknown;

/** The add-in's worksheet wrappers by function name, loaded from the same files the build reads. */
export async function loadWrappers(): Promise<Map<string, Wrapper>> {
  const wrappers = new Map<string, Wrapper>();
  for (const file of functionFiles()) {
    const mod = (await import(file)) as Record<string, unknown>;
    for (const [name, value] of Object.entries(mod)) {
      if (typeof value === "function" && FUNCTIONS[name]) wrappers.set(name, value as Wrapper);
    }
  }
  return wrappers;
}
