import { ZodError } from "zod";
import { valueError } from "../errors";
import { shortText } from "./decimal-text";
import { COMPONENTS, type Catalogue, type Component, parseCatalogue } from "./schema";

/**
 * The catalogue a workbook was computed with, as one string to keep inside the workbook (the
 * add-in stores it in a custom XML part) or in the catalogue history. Canonical JSON: the schema's
 * key order, no whitespace, values equal to their schema default left out. So
 * serialise(deserialise(s)) === s for every s serialise wrote, in every runtime.
 *
 * Not compressed: a LiteLLM-sized catalogue is about 0.7 MB of this JSON and the .xlsx container
 * already deflates its parts (to about 7 %), so compressing here would save nothing on disk, make
 * the string base64 and serialise asynchronous (CompressionStream), and tie the bytes to one zlib.
 */

/** Lists the schema defaults to empty (not an overlay rule's `components`, where empty is not absent). */
const EMPTY_BY_DEFAULT = new Set(["aliases", "price_changes", "tiers", "hardware", "measured"]);

/** Values the schema fills in by default: leaving them out changes nothing on reading back. */
function isDefault(key: string, value: unknown): boolean {
  if (Array.isArray(value)) return value.length === 0 && EMPTY_BY_DEFAULT.has(key);
  if (value === null) return key === "context_window";
  return typeof value === "object" && key === "variants" && Object.keys(value as object).length === 0;
}

/** Record keys in one order: price components as the schema lists them, variant names and currency codes sorted. */
function ordered(record: Record<string, unknown>, order: (a: string, b: string) => number): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => order(a, b)));
}

const byComponent = (a: string, b: string) => COMPONENTS.indexOf(a as Component) - COMPONENTS.indexOf(b as Component);
const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function serialise(catalogue: Catalogue): string {
  // Parsing puts object keys in schema order and fills defaults; records are ordered here.
  return JSON.stringify(parseCatalogue(catalogue), (key, value) => {
    if (isDefault(key, value)) return undefined;
    if (key === "prices") return ordered(value, byComponent);
    if (key === "variants" || key === "per_eur" || key === "per_usd") return ordered(value, byName);
    return value;
  });
}

/** Throws `#VALUE!` naming the first problem when the text is not a catalogue. */
export function deserialise(text: string): Catalogue {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw valueError("catalogue", "the pinned catalogue is not JSON (damaged or cut short)");
  }
  const format = (json as { format?: unknown } | null)?.format;
  if (typeof format === "string" && format !== "tokenledger-catalogue/1" && format.startsWith("tokenledger-catalogue/")) {
    throw valueError("catalogue", `the pinned catalogue is in a newer format (${shortText(format)}) than this version reads`);
  }
  try {
    return parseCatalogue(json);
  } catch (e) {
    if (!(e instanceof ZodError)) throw e;
    const issue = e.issues[0];
    throw valueError("catalogue", `the pinned catalogue is invalid (${issue.path.join(".")}: ${issue.message})`);
  }
}
