import bundled from "./bundled.json";
import { type CompiledCatalogue, compileCatalogue } from "./compile";

/**
 * The catalogue every worksheet function prices with. One per runtime: the task pane and the
 * functions share it, and llmcalc sets it from `--catalog`. Replacing it is a single assignment,
 * so a failed refresh or pin can never leave half a catalogue in force.
 */

let bundledCompiled: CompiledCatalogue | undefined;
let active: CompiledCatalogue | undefined;
let pinned = false;
const listeners = new Set<() => void>();

export function bundledCatalogue(): CompiledCatalogue {
  bundledCompiled ??= compileCatalogue(bundled);
  return bundledCompiled;
}

export function activeCatalogue(): CompiledCatalogue {
  active ??= bundledCatalogue();
  return active;
}

/** Whether the active catalogue is the copy pinned inside the open workbook. */
export function isPinned(): boolean {
  return pinned;
}

export function setActiveCatalogue(catalogue: CompiledCatalogue, options: { pinned: boolean } = { pinned: false }): void {
  active = catalogue;
  pinned = options.pinned;
  for (const listener of listeners) listener();
}

/** Called after every change of the active catalogue (the add-in recalculates TL formulas). */
export function onCatalogueChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
