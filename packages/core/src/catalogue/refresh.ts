import { Dec } from "../decimal";
import { setActiveCatalogue } from "./active";
import { type CompiledCatalogue, compileCatalogue, today as todayIso } from "./compile";
import { type CatalogueDiff, diffCatalogues } from "./diff";
import { mergeFx } from "./fx";
import { type ImportContext, type ImportResult, type Importer, FeedError } from "./import/common";
import { GENAI_PRICES_SOURCE, importGenaiPrices } from "./import/genai-prices";
import { parseJson } from "./import/json";
import { LITELLM_SOURCE, importLitellm } from "./import/litellm";
import { LLM_PRICES_SOURCE, importLlmPrices } from "./import/llm-prices";
import { OPENROUTER_SOURCE, importOpenrouter } from "./import/openrouter";
import { importTokenledger } from "./import/tokenledger";
import { applyOverlay } from "./overlay";
import type { Catalogue, Model, Overlay, Prices } from "./schema";
import type { CatalogueStore } from "./store";

/**
 * The refresh pipeline, shared by the task pane and llmcalc: fetch (https, with a timeout and a
 * size limit) → parse keeping number texts → map each entry to the schema with exact decimals →
 * validate → sanity checks → carry price history → diff against the active catalogue. Nothing
 * changes until the user accepts; every failure is one sentence and leaves the active catalogue
 * in force.
 */

export type SourceKind = "litellm" | "openrouter" | "genai-prices" | "llm-prices" | "tokenledger";

export interface Source {
  /** For sentences: "Refreshing from the LiteLLM price map failed: …". */
  readonly label: string;
  /** Where the public source lives; an organisation's catalogue has no default. */
  readonly url?: string;
  /** The `source` the imported catalogue carries, to tell a refresh of the same feed. */
  readonly catalogueSource?: string;
  readonly importer: Importer;
}

export const SOURCES: Readonly<Record<SourceKind, Source>> = {
  litellm: {
    label: "the LiteLLM price map",
    url: "https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json",
    catalogueSource: LITELLM_SOURCE,
    importer: importLitellm,
  },
  openrouter: {
    label: "OpenRouter's model list",
    url: "https://openrouter.ai/api/v1/models",
    catalogueSource: OPENROUTER_SOURCE,
    importer: importOpenrouter,
  },
  "genai-prices": {
    label: "the genai-prices data",
    url: "https://raw.githubusercontent.com/pydantic/genai-prices/main/prices/new_data/v2/data.json",
    catalogueSource: GENAI_PRICES_SOURCE,
    importer: importGenaiPrices,
  },
  "llm-prices": { label: "the llm-prices data", catalogueSource: LLM_PRICES_SOURCE, importer: importLlmPrices },
  tokenledger: { label: "the organisation's catalogue", importer: importTokenledger },
};

/** 50 MB: several times the largest public source (LiteLLM's map is 1.5 MB). */
export const FEED_LIMIT_BYTES = 50_000_000;
export const FETCH_TIMEOUT_MS = 30_000;
/** A result from the same feed with fewer than this share of the active catalogue's models is refused as probably incomplete. */
export const MIN_SHARE = 0.5;

export type Fetch = (url: string, init: { signal: AbortSignal }) => Promise<Response>;

export interface RefreshOptions {
  /** Injected in tests; the runtime's fetch otherwise. */
  readonly fetch?: Fetch;
  readonly timeoutMs?: number;
  /** YYYY-MM-DD: dates a feed without one, and the start of prices that changed. */
  readonly today?: string;
  /** The organisation prices in force, so the diff shows the prices that will be paid. */
  readonly overlay?: Overlay;
}

export interface Proposal extends ImportResult {
  readonly diff: CatalogueDiff;
  /** One line for people: models, changes, rejections. */
  readonly summary: string;
}

export type RefreshOutcome = { readonly ok: true; readonly proposal: Proposal } | { readonly ok: false; readonly reason: string };

const count = (n: number) => n.toLocaleString("en-US");
const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);
const TOO_LARGE = `the response is larger than the ${FEED_LIMIT_BYTES / 1_000_000} MB limit`;

/**
 * Only https is fetched: prices decide money, and a man in the middle must not write them.
 * Plain http is allowed to this machine alone (a local test server), as browsers do.
 */
function checkedUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new FeedError(`“${url}” is not a web address`);
  }
  if (parsed.protocol === "https:" || (parsed.protocol === "http:" && LOOPBACK.has(parsed.hostname))) return parsed;
  throw new FeedError(`only https addresses are fetched, not “${url}”`);
}

function causeOf(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (e instanceof Error ? e.message : String(e));
}

async function readLimited(response: Response, signal: AbortSignal): Promise<string> {
  const declared = Number(response.headers.get("content-length"));
  if (declared > FEED_LIMIT_BYTES) throw new FeedError(TOO_LARGE);
  if (!response.body) return "";
  const reader = response.body.getReader();
  // A timeout must also stop a body that trickles forever.
  signal.addEventListener("abort", () => void reader.cancel().catch(() => undefined), { once: true });
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let step: ReadableStreamReadResult<Uint8Array>;
    try {
      step = await reader.read();
    } catch (e) {
      if (signal.aborted) throw e;
      throw new FeedError(`the connection broke while reading the response (${causeOf(e)})`);
    }
    if (signal.aborted) throw new Error("aborted"); // fetchFeed words it as the timeout
    if (step.done) break;
    size += step.value.byteLength;
    if (size > FEED_LIMIT_BYTES) {
      await reader.cancel().catch(() => undefined);
      throw new FeedError(TOO_LARGE);
    }
    chunks.push(step.value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

/** The body of `url` as text; throws a FeedError saying in one clause what went wrong. */
export async function fetchFeed(url: string, options: RefreshOptions = {}): Promise<string> {
  const where = checkedUrl(url);
  const timeoutMs = options.timeoutMs ?? FETCH_TIMEOUT_MS;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await (options.fetch ?? fetch)(where.href, { signal: controller.signal });
    if (!response.ok) {
      throw new FeedError(`${where.host} answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`);
    }
    // Feeds come as JSON (the ECB's rates as XML), or as text/octet-stream from raw file hosts;
    // a web page (a login or rate-limit page in front of the feed) is not a price list.
    const type = response.headers.get("content-type")?.split(";")[0].trim().toLowerCase();
    if (type && !/json|^(text|application)\/xml$|^text\/plain$|^application\/octet-stream$/.test(type)) {
      throw new FeedError(`${where.host} answered with ${type}, not a JSON or XML document`);
    }
    return await readLimited(response, controller.signal);
  } catch (e) {
    if (e instanceof FeedError) throw e;
    if (controller.signal.aborted) throw new FeedError(`${where.host} did not answer within ${timeoutMs / 1000} s`);
    throw new FeedError(`${where.host} could not be reached (${causeOf(e)})`);
  } finally {
    clearTimeout(timer);
  }
}

/** Parses and maps a feed's text; throws a FeedError when the document as a whole is unusable. */
export function importFeed(kind: SourceKind, text: string, context: ImportContext): ImportResult {
  return SOURCES[kind].importer(parseJson(text), context);
}

function samePrices(a: Prices, b: Prices): boolean {
  const ka = Object.keys(a) as (keyof Prices)[];
  return ka.length === Object.keys(b).length && ka.every((c) => b[c] !== undefined && new Dec(a[c]!).eq(b[c]!));
}

/**
 * Keeps what the feed does not know: a model whose price changed keeps its old list as a dated
 * price change (so PRICE(…, as_of) answers the old price for old dates), the new list in force from
 * the feed's date; an unchanged model keeps its dates; reasoning-effort defaults and the hardware
 * list carry over. A feed that dates its own prices (genai-prices, llm-prices) is taken as is.
 */
export function carryHistory(active: Catalogue, next: Catalogue): Catalogue {
  const before = new Map(active.models.map((m) => [m.id, m]));
  const models = next.models.map((m): Model => {
    const old = before.get(m.id);
    if (!old) return m;
    const carried = { ...m, reasoning_effort: m.reasoning_effort ?? old.reasoning_effort };
    if (m.effective_from !== undefined || m.price_changes.length > 0) return carried;
    if (samePrices(old.prices, m.prices)) return { ...carried, effective_from: old.effective_from, price_changes: old.price_changes };
    const from = next.as_of;
    const earlier = [...old.price_changes, { effective_from: old.effective_from, prices: old.prices }];
    return {
      ...carried,
      effective_from: from,
      price_changes: earlier.filter((c) => c.effective_from === undefined || c.effective_from < from),
    };
  });
  return { ...next, models, hardware: next.hardware.length ? next.hardware : active.hardware };
}

function summarise(p: Omit<Proposal, "summary">): string {
  const { diff } = p;
  const skipped = Object.values(p.skipped).reduce((a, b) => a + b, 0);
  const parts = [
    `${count(p.catalogue.models.length)} models`,
    `${count(diff.added.length)} added, ${count(diff.removed.length)} removed, ${count(diff.changed.length)} changed` +
      (diff.flagged ? ` (${count(diff.flagged)} by more than ×10)` : ""),
    `${count(p.rejected.length)} entries rejected`,
    `${count(skipped)} not chat models skipped`,
    ...(p.overlay ? [`organisation prices: ${p.overlay.name}`] : []),
  ];
  return parts.join("; ");
}

/** The catalogue as it prices, with the organisation's overlay on top. */
const priced = (c: Catalogue, overlay: Overlay | undefined) => (overlay ? applyOverlay(c, overlay).catalogue : c);

/**
 * Checks an import against the active catalogue and prepares it for the user's decision.
 * `active` is the public catalogue in force (without an organisation's overlay), `overlay` the
 * organisation prices in force: the diff compares the prices paid before and after accepting,
 * the overlay the import carries included. Throws a FeedError when the result is refused.
 */
export function propose(active: Catalogue, imported: ImportResult, overlay?: Overlay, today: string = todayIso()): Proposal {
  const fresh = imported.catalogue;
  if (fresh.source === active.source && fresh.models.length < MIN_SHARE * active.models.length) {
    throw new FeedError(
      `the result has only ${count(fresh.models.length)} models where the active catalogue from the same source has ${count(active.models.length)}, so it looks incomplete`,
    );
  }
  // Exchange rates are not prices: a price feed keeps them, an organisation's catalogue adds to them.
  const catalogue = { ...carryHistory(active, fresh), fx: mergeFx(active.fx, fresh.fx) };
  const after = imported.overlay ?? overlay;
  const proposal = { ...imported, catalogue, diff: diffCatalogues(priced(active, overlay), priced(catalogue, after), today) };
  return { ...proposal, summary: summarise(proposal) };
}

/** The one sentence a failed refresh shows. */
export function failureSentence(kind: SourceKind, e: unknown): string {
  const what = e instanceof FeedError ? e.message : `an unexpected error (${e instanceof Error ? e.message : String(e)})`;
  return `Refreshing from ${SOURCES[kind].label} failed: ${what}; the active catalogue stays in force.`;
}

/**
 * The overlay in force once a proposal is accepted: the one the organisation's catalogue carries
 * (it replaces the one kept before), else the one kept (a public refresh leaves negotiated prices alone).
 */
export function overlayAfter(proposal: Proposal, kept: Overlay | undefined): Overlay | undefined {
  return proposal.overlay ?? kept;
}

/** Fetches, imports and checks a source; never throws. */
export async function refreshCatalogue(
  kind: SourceKind,
  url: string,
  active: Catalogue,
  options: RefreshOptions = {},
): Promise<RefreshOutcome> {
  try {
    const text = await fetchFeed(url, options);
    const today = options.today ?? todayIso();
    return { ok: true, proposal: propose(active, importFeed(kind, text, { today }), options.overlay, today) };
  } catch (e) {
    return { ok: false, reason: failureSentence(kind, e) };
  }
}

function compileWith(catalogue: Catalogue, overlay: Overlay | undefined): CompiledCatalogue {
  return compileCatalogue(overlay ? applyOverlay(catalogue, overlay).catalogue : catalogue);
}

/** Makes a public catalogue (with the organisation's overlay, if any) the one every formula prices with. */
export function activate(catalogue: Catalogue, overlay?: Overlay): CompiledCatalogue {
  const compiled = compileWith(catalogue, overlay);
  setActiveCatalogue(compiled); // its listeners recalculate the workbook
  return compiled;
}

/**
 * The user's "accept": compiled first (a catalogue that cannot compile changes nothing), then
 * stored atomically, then made active, with overlayAfter(proposal, overlay) on top. The store
 * keeps the public catalogue; keeping the proposal's overlay is the caller's, as for any overlay.
 */
export function acceptProposal(proposal: Proposal, store: CatalogueStore, overlay?: Overlay, now: Date = new Date()): CompiledCatalogue {
  const compiled = compileWith(proposal.catalogue, overlayAfter(proposal, overlay));
  store.accept(proposal.catalogue, now);
  setActiveCatalogue(compiled);
  return compiled;
}

/** Makes a kept version active again. */
export function rollbackTo(store: CatalogueStore, id: string, overlay?: Overlay): CompiledCatalogue {
  return activate(store.rollback(id), overlay);
}
