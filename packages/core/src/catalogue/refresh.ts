import { Dec } from "../decimal";
import { setActiveCatalogue } from "./active";
import { type CompiledCatalogue, compileCatalogue, normalise, today as todayIso } from "./compile";
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
import { MAPPING } from "./mapping";
import type { Catalogue, Component, Model, Overlay, Prices, Tier } from "./schema";
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
/** A source listing fewer than this share of the models it supplied last time is refused as probably incomplete. */
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
  /** Remove the models the source does not list (otherwise they are kept). */
  readonly prune?: boolean;
}

export interface Proposal extends ImportResult {
  readonly diff: CatalogueDiff;
  /** Models the source does not list, kept (or, with prune, removed: then in diff.removed), and fields kept. */
  readonly kept: readonly Kept[];
  /** How many models of the catalogue in force the source updated. */
  readonly updated: number;
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
 * The prices worth keeping: where the provider bills cache writes as input, a write price equal to
 * the input price is that rule written out ("= input"), and must follow a new input price, so it goes.
 */
function inForce(prices: Prices, writesAsInput: boolean): Prices {
  const { cache_write, ...rest } = prices;
  return writesAsInput && cache_write !== undefined && prices.input !== undefined && new Dec(cache_write).eq(prices.input) ? rest : prices;
}

const sameTiers = (a: readonly Tier[], b: readonly Tier[]) => JSON.stringify(a) === JSON.stringify(b);

/** A kept model or field, for the diff: "kept openai/gpt-4o: cache_write, batch variant". */
export interface Kept {
  readonly id: string;
  /** The fields kept from the catalogue in force, or null when the source does not list the model at all. */
  readonly fields: readonly string[] | null;
}

/**
 * One model after a source updated it: the source's prices over the ones in force (components,
 * variants, tiers and defaults it does not give are kept); a changed list keeps the old one, with
 * its tiers, as a dated price change, the new one in force from the feed's date. A feed that dates
 * its own prices (genai-prices, llm-prices) brings its own history.
 */
function mergeModel(old: Model, next: Model, source: string, asOf: string, writesAsInput: boolean): { model: Model; kept: string[] } {
  const keep = inForce(old.prices, writesAsInput);
  // Kept prices keep their provenance, written out now that the entry's source is the new one.
  const keptFrom = Object.fromEntries(Object.keys(keep).map((c) => [c, old.price_sources?.[c as Component] ?? old.source!]));
  const prices: Prices = { ...keep, ...next.prices };
  const tiers = next.tiers.length ? next.tiers : old.tiers;
  const kept = [
    ...(Object.keys(keep) as Component[]).filter((c) => next.prices[c] === undefined),
    ...(next.tiers.length || !old.tiers.length ? [] : ["long-context tiers"]),
    ...Object.keys(old.variants)
      .filter((v) => next.variants[v] === undefined)
      .map((v) => `${v} variant`),
  ];
  const setBy = Object.fromEntries(Object.keys(next.prices).map((c) => [c, source]));
  const base: Model = {
    ...old,
    aliases: [...new Set([...old.aliases, ...next.aliases])],
    context_window: next.context_window ?? old.context_window,
    source,
    as_of: asOf,
    prices,
    tiers,
    variants: { ...old.variants, ...next.variants },
    reasoning_effort: old.reasoning_effort ?? next.reasoning_effort,
    image_tokens: old.image_tokens ?? next.image_tokens,
    price_sources: { ...keptFrom, ...setBy },
  };
  if (next.effective_from !== undefined || next.price_changes.length > 0) {
    return { model: { ...base, effective_from: next.effective_from, price_changes: next.price_changes }, kept };
  }
  if (samePrices(old.prices, prices) && sameTiers(old.tiers, tiers)) return { model: base, kept };
  const earlier = [
    ...old.price_changes,
    { effective_from: old.effective_from, prices: old.prices, ...(old.tiers.length ? { tiers: old.tiers } : {}) },
  ];
  const model = {
    ...base,
    effective_from: asOf,
    price_changes: earlier.filter((c) => c.effective_from === undefined || c.effective_from < asOf),
  };
  return { model, kept };
}

/** An entry that names its own source and date, so that a new header cannot claim its prices. */
function provenance(m: Model, from: Catalogue): Model {
  return m.source && m.as_of ? m : { ...m, source: m.source ?? from.source, as_of: m.as_of ?? from.as_of };
}

export interface Merged {
  readonly catalogue: Catalogue;
  /** Models the source did not list (kept, or removed with prune) and fields it did not give. */
  readonly kept: readonly Kept[];
  /** How many models of the catalogue in force the source updated. */
  readonly updated: number;
}

/**
 * A source's import merged into the catalogue in force: what it lists is updated (matched by id,
 * else by the normalised id when that names one model), everything else stays, unless `prune`
 * removes the models it does not list. The header records the source's refresh; hardware, the
 * overlay and the cache-write rule of the catalogue in force carry over.
 */
export function mergeCatalogue(active: Catalogue, fresh: Catalogue, options: { prune?: boolean } = {}): Merged {
  const byId = new Map(active.models.map((m, i) => [m.id, i]));
  const byName = new Map<string, number | null>();
  for (const [i, m] of active.models.entries()) {
    const key = normalise(m.id);
    byName.set(key, byName.has(key) ? null : i);
  }
  const cacheWriteAsInput = active.cache_write_as_input ?? fresh.cache_write_as_input ?? MAPPING.cache_write_as_input;
  const asInput = new Set(cacheWriteAsInput);
  const models: (Model | undefined)[] = [...active.models];
  const listed = new Set<number>();
  const added: Model[] = [];
  const kept: Kept[] = [];
  for (const m of fresh.models) {
    const at = byId.get(m.id) ?? byName.get(normalise(m.id)) ?? undefined;
    if (at === undefined || listed.has(at)) {
      if (at === undefined) added.push(provenance(m, fresh));
      continue;
    }
    listed.add(at);
    const old = provenance(active.models[at], active);
    const next = old.id === m.id ? m : { ...m, id: old.id, aliases: [...m.aliases, m.id] };
    const merged = mergeModel(old, next, fresh.source, fresh.as_of, asInput.has(old.provider));
    models[at] = merged.model;
    if (merged.kept.length) kept.push({ id: old.id, fields: merged.kept });
  }
  for (const [i, m] of active.models.entries()) {
    if (listed.has(i)) continue;
    kept.push({ id: m.id, fields: null });
    models[i] = options.prune ? undefined : provenance(m, active);
  }
  const catalogue: Catalogue = {
    ...active,
    version: fresh.version,
    source: fresh.source,
    as_of: fresh.as_of > active.as_of ? fresh.as_of : active.as_of,
    models: [...models.filter((m): m is Model => m !== undefined), ...added],
    hardware: fresh.hardware.length ? fresh.hardware : active.hardware,
    cache_write_as_input: cacheWriteAsInput,
    supplied: { ...active.supplied, [fresh.source]: { as_of: fresh.as_of, models: fresh.models.length } },
  };
  return { catalogue, kept: options.prune ? kept.filter((k) => k.fields) : kept, updated: listed.size };
}

function summarise(p: Omit<Proposal, "summary">): string {
  const { diff } = p;
  const skipped = Object.values(p.skipped).reduce((a, b) => a + b, 0);
  const parts = [
    `${count(p.catalogue.models.length)} models`,
    `${count(p.updated)} updated, ${count(diff.added.length)} added, ${count(diff.removed.length)} removed, ${count(diff.changed.length)} changed` +
      (diff.flagged ? ` (${count(diff.flagged)} by more than ×10)` : ""),
    `${count(p.kept.filter((k) => k.fields === null).length)} not listed by the source kept`,
    `${count(p.rejected.length)} entries rejected`,
    `${count(skipped)} skipped (no meter prices them)`,
    ...(p.overlay ? [`organisation prices: ${p.overlay.name}`] : []),
  ];
  return parts.join("; ");
}

/** The catalogue as it prices, with the organisation's overlay on top. */
const priced = (c: Catalogue, overlay: Overlay | undefined) => (overlay ? applyOverlay(c, overlay).catalogue : c);

/**
 * How many models this source supplied at its last refresh into `active`: recorded in the
 * catalogue; for a catalogue from before that record, its size when it came from the same source.
 */
export function suppliedBefore(active: Catalogue, source: string): number | undefined {
  return active.supplied?.[source]?.models ?? (active.source === source && !active.supplied ? active.models.length : undefined);
}

export interface ProposeOptions {
  /** The organisation prices in force: the diff compares the prices paid before and after accepting. */
  readonly overlay?: Overlay;
  /** YYYY-MM-DD: the date whose prices the diff compares. */
  readonly today?: string;
  /** Remove the models the source does not list. */
  readonly prune?: boolean;
}

/**
 * Checks an import against the active catalogue and merges it in for the user's decision.
 * `active` is the public catalogue in force (without an organisation's overlay); the diff compares
 * the prices paid before and after accepting, the overlay the import carries included. Throws a
 * FeedError when the result is refused: a source listing under half of what it supplied last time.
 */
export function propose(active: Catalogue, imported: ImportResult, options: ProposeOptions = {}): Proposal {
  const fresh = imported.catalogue;
  const before = suppliedBefore(active, fresh.source);
  if (before !== undefined && fresh.models.length < MIN_SHARE * before) {
    throw new FeedError(
      `the result has only ${count(fresh.models.length)} models where the same source supplied ${count(before)} last time, so it looks incomplete`,
    );
  }
  const merged = mergeCatalogue(active, fresh, options);
  // Exchange rates are not prices: a price feed keeps them, an organisation's catalogue adds to them.
  const catalogue = { ...merged.catalogue, fx: mergeFx(active.fx, fresh.fx) };
  const after = imported.overlay ?? options.overlay;
  const diff = diffCatalogues(priced(active, options.overlay), priced(catalogue, after), options.today ?? todayIso());
  const proposal = { ...imported, catalogue, kept: merged.kept, updated: merged.updated, diff };
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
    return {
      ok: true,
      proposal: propose(active, importFeed(kind, text, { today }), { overlay: options.overlay, today, prune: options.prune }),
    };
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
