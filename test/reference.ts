import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { type CompiledCatalogue, compileCatalogue } from "../packages/core/src/catalogue";

/**
 * The reference fixture: the catalogue of shared/reference/catalogue-2026-06.md as a catalogue
 * file, frozen. Tests price against it (test/setup activates it), never against the shipped
 * default, whose prices move with every refresh; `llmcalc --catalog` loads it by this path.
 */
export const REFERENCE_CATALOGUE = fileURLToPath(new URL("./fixtures/reference-2026-06.json", import.meta.url));

let compiled: CompiledCatalogue | undefined;

export function referenceCatalogue(): CompiledCatalogue {
  compiled ??= compileCatalogue(JSON.parse(fs.readFileSync(REFERENCE_CATALOGUE, "utf8")));
  return compiled;
}
