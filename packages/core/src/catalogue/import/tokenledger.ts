import { Fx } from "../fx";
import { Catalogue, Hardware, Overlay } from "../schema";
import { Collector, FeedError, type ImportResult, type ModelInput, firstIssue } from "./common";
import { type Json, isObject, toPlain } from "./json";

/**
 * A catalogue in our own schema served at a URL (an organisation's curated catalogue). Its header
 * must be valid; each model and hardware entry is validated alone, so one bad entry is listed and
 * the rest import. Prices are decimal text already, so plain numbers are only counts and sizes.
 * Its overlay (the organisation's negotiated prices) is lifted out of the catalogue into the
 * result. A malformed overlay is a rejected entry, not a refused refresh: the prices still import,
 * and since the result carries no overlay, the negotiated prices already in force stay.
 */

const Header = Catalogue.pick({ format: true, version: true, source: true, as_of: true });

function idOf(entry: unknown, fallback: string): string {
  const id = (entry as { id?: unknown } | null)?.id;
  return typeof id === "string" ? id : fallback;
}

export function importTokenledger(doc: Json): ImportResult {
  const plain = toPlain(doc) as { format?: unknown; models?: unknown; hardware?: unknown; overlay?: unknown; fx?: unknown };
  if (!isObject(doc) || plain.format !== "tokenledger-catalogue/1") {
    throw new FeedError("the response is not a TokenLedger catalogue (its format is not tokenledger-catalogue/1)");
  }
  const header = Header.safeParse(plain);
  if (!header.success) {
    throw new FeedError(`the catalogue's header is invalid (${firstIssue(header.error)})`);
  }
  if (!Array.isArray(plain.models)) throw new FeedError("the catalogue has no models list");
  const collector = new Collector();
  plain.models.forEach((m, i) => collector.add(idOf(m, `model ${i + 1}`), () => m as ModelInput));
  const hardware: Hardware[] = [];
  (Array.isArray(plain.hardware) ? plain.hardware : []).forEach((h, i) => {
    const parsed = Hardware.safeParse(h);
    if (parsed.success) hardware.push(parsed.data);
    else collector.reject(idOf(h, `hardware ${i + 1}`), firstIssue(parsed.error));
  });
  const overlay = plain.overlay === undefined ? undefined : Overlay.safeParse(plain.overlay);
  if (overlay?.success === false) collector.reject("overlay", firstIssue(overlay.error));
  const { version, source, as_of } = header.data;
  // Its exchange rates (planning rates, say) go whole or not at all, like its overlay.
  const fx = plain.fx === undefined ? undefined : Fx.safeParse(plain.fx);
  if (fx?.success === false) collector.reject("fx", firstIssue(fx.error));
  const imported = collector.result({ version, source, as_of }, hardware);
  const result = fx?.success ? { ...imported, catalogue: { ...imported.catalogue, fx: fx.data } } : imported;
  return overlay?.success ? { ...result, overlay: overlay.data } : result;
}
