import type { z } from "zod";
import { Dec, MILLION } from "../../decimal";
import { scanDecimal, shortText } from "../decimal-text";
import { idKey, shownName } from "../ids";
import { type Catalogue, type Component, type Hardware, Model, type Overlay, type Prices } from "../schema";
import { FeedError, type Json, JsonNumber } from "./json";

export { FeedError };

/**
 * What every importer shares: the one-sentence error that refuses a whole feed, the per-entry
 * rejection that refuses one model and keeps the rest, exact price conversion, and the collector
 * that validates each entry against the schema and keeps the first of duplicate ids.
 */

/** Refuses one entry of a feed; the rest still import. */
export class EntryRejected extends Error {
  override name = "EntryRejected";
}

export interface Rejection {
  /** The entry as the feed names it (its key or id). */
  readonly entry: string;
  readonly reason: string;
}

export interface ImportResult {
  readonly catalogue: Catalogue;
  /** Entries refused, each with why; the rest imported. */
  readonly rejected: readonly Rejection[];
  /** Entries no meter prices, counted by kind ("video_generation (no meter prices it)", …). */
  readonly skipped: Readonly<Record<string, number>>;
  /** Imported entries with something worth a look (a float artefact kept exact, a zero component dropped). */
  readonly notes: readonly Rejection[];
  /** The negotiated prices an organisation's catalogue carries: accepting the catalogue applies them. */
  readonly overlay?: Overlay;
}

export interface ImportContext {
  /** YYYY-MM-DD: the catalogue's date when the feed carries none. */
  readonly today: string;
}

export type ModelInput = z.input<typeof Model>;
export type Importer = (doc: Json, context: ImportContext) => ImportResult;

/**
 * How a feed states prices: USD per token or character (LiteLLM, OpenRouter) or per 1M
 * (genai-prices); USD per request, call or page (LiteLLM) or per 1,000 (genai-prices'
 * `requests_kcount`); per second of audio (LiteLLM; the catalogue's is per minute); per image.
 */
export type Unit = "per_token" | "per_mtok" | "per_request" | "per_krequest" | "per_second" | "per_image";

/** More digits than prices are written with: a float artefact such as 0.6000000000000001, or a rounded fraction. */
const SUSPICIOUS_DIGITS = 15;

/** The exact decimal of a price as the feed wrote it, and its significant digits; bounded (decimal-text.ts). */
function feedDecimal(raw: Json, what: string): { price: Dec; significant: number } {
  const text = raw instanceof JsonNumber ? raw.text : typeof raw === "string" ? raw.trim() : undefined;
  const scan = text === undefined ? "not a number" : scanDecimal(text, true);
  if (typeof scan === "string") {
    const shown =
      text !== undefined ? shortText(text) : Array.isArray(raw) ? "a list" : typeof raw === "object" && raw ? "an object" : String(raw);
    throw new EntryRejected(`${what} price ${shown} is ${scan === "not a decimal number" ? "not a number" : scan}`);
  }
  return { price: new Dec(text!), significant: scan.significant };
}

const THOUSAND = new Dec(1000);
const SIXTY = new Dec(60);

/**
 * The catalogue's unit in plain notation ("3", "0.6000000000000001"): per-token prices move the
 * point six places, per-request three; a price per second is sixty times that per minute (exact).
 */
function inCatalogueUnit(price: Dec, unit: Unit): string {
  if (unit === "per_token") return price.times(MILLION).toString();
  if (unit === "per_request") return price.times(THOUSAND).toString();
  if (unit === "per_second") return price.times(SIXTY).toString();
  return price.toString();
}

/** One entry being built: collects notes, and throws EntryRejected for what refuses it. */
export class Entry {
  readonly notes: string[] = [];

  /**
   * A price list from the feed's raw values (undefined or null: not given). A zero or negative
   * required component refuses the entry; a zero or negative optional one is dropped with a note,
   * since feeds write 0 for "not billed separately" as often as for "unknown".
   */
  prices(raw: Partial<Record<Component, Json | undefined>>, unit: Unit, required: readonly Component[] = []): Prices {
    const out: Prices = {};
    for (const [component, value] of Object.entries(raw) as [Component, Json | undefined][]) {
      if (value === undefined || value === null) continue;
      const { price, significant } = feedDecimal(value, component);
      const shown = value instanceof JsonNumber ? value.text : String(value);
      if (price.lte(0)) {
        const what = price.isZero() ? "0 (free or unpriced)" : `${shown} (a placeholder, not a price)`;
        if (required.includes(component)) throw new EntryRejected(`${component} price is ${what}`);
        this.notes.push(`${component} price ${what} dropped`);
        continue;
      }
      const text = inCatalogueUnit(price, unit);
      if (significant > SUSPICIOUS_DIGITS) {
        this.notes.push(`${component} ${text} per 1M kept as published (${significant} significant digits: a float artefact?)`);
      }
      out[component] = text;
    }
    return out;
  }

  /** Says which of the feed's priced keys this catalogue has no meter for, so nothing priced is dropped silently. */
  notImported(keys: readonly string[]): void {
    if (keys.length) this.notes.push(`not imported (no such meter in this catalogue): ${keys.join(", ")}`);
  }
}

/** The first schema problem of an entry, in one line: "id: an id written provider/model". */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message;
}

/** A decimal text with no non-zero digit before its exponent ("0", "0.00", "0e5"). */
const ZERO_TEXT = /^[0.]*(?:[eE].*)?$/;

/**
 * Why a model cannot be priced, if it cannot: a chat model needs input and output prices above 0;
 * a model of another kind (embedding, image, …) at least one price above 0 on some meter.
 */
function unpriced(model: Model): string | undefined {
  if ((model.kind ?? "chat") !== "chat") {
    return Object.values(model.prices).some((p) => !ZERO_TEXT.test(p)) ? undefined : `no price above 0 for a ${model.kind} model`;
  }
  for (const component of ["input", "output"] as const) {
    const price = model.prices[component];
    if (price === undefined) return `no ${component} price (not priced per token)`;
    if (ZERO_TEXT.test(price)) return `${component} price is 0 (free or unpriced)`;
  }
  return undefined;
}

/** Gathers a feed's models: each validated alone, duplicates after the first refused. */
export class Collector {
  private readonly models: Model[] = [];
  private readonly firstEntry = new Map<string, string>();
  private readonly rejected: Rejection[] = [];
  private readonly notes: Rejection[] = [];
  private readonly skipped: Record<string, number> = {};
  private readonly aliases: { entry: string; target: string; alias: string }[] = [];

  /** Counts an entry that is not a chat model, by kind. */
  skip(kind: string): void {
    this.skipped[kind] = (this.skipped[kind] ?? 0) + 1;
  }

  /** Entry names and reasons are shortened: a feed's key may be any size. */
  reject(entry: string, reason: string): void {
    this.rejected.push({ entry: shownName(entry), reason: shownName(reason, 300) });
  }

  /** An alias entry (OpenRouter's `~…-latest`): added to its target's aliases at the end. */
  alias(entry: string, target: string, alias: string): void {
    this.aliases.push({ entry, target, alias });
  }

  /** Builds, validates and keeps one model; any problem refuses this entry only. */
  add(entry: string, build: (e: Entry) => ModelInput): void {
    const e = new Entry();
    let draft: ModelInput;
    try {
      draft = build(e);
      // One spelling per id: "café" decomposed is the same id as "café" composed.
      if (typeof draft.id === "string") draft = { ...draft, id: draft.id.normalize("NFC") };
    } catch (error) {
      this.reject(entry, error instanceof Error ? error.message : String(error));
      return;
    }
    const parsed = Model.safeParse(draft);
    if (!parsed.success) return this.reject(entry, firstIssue(parsed.error));
    const model = parsed.data;
    const problem = unpriced(model);
    if (problem) return this.reject(entry, problem);
    const first = this.firstEntry.get(idKey(model.id));
    if (first !== undefined) return this.reject(entry, `duplicate of ${model.id} (the first entry, ${first}, is kept)`);
    this.firstEntry.set(idKey(model.id), entry);
    this.models.push(model);
    for (const note of e.notes) this.notes.push({ entry, reason: note });
  }

  result(header: Pick<Catalogue, "version" | "source" | "as_of">, hardware: Hardware[] = []): ImportResult {
    const byId = new Map(this.models.map((m) => [m.id, m]));
    for (const { entry, target, alias } of this.aliases) {
      const model = byId.get(target);
      if (model) model.aliases.push(alias);
      else this.reject(entry, `an alias of ${target}, which is not imported`);
    }
    if (this.models.length === 0) {
      throw new FeedError(`no entry is a usable chat model (${this.rejected.length.toLocaleString("en-US")} rejected)`);
    }
    return {
      catalogue: { format: "tokenledger-catalogue/1", ...header, models: this.models, hardware },
      rejected: this.rejected,
      skipped: this.skipped,
      notes: this.notes,
    };
  }
}
