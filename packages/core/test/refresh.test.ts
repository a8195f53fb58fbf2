import { referenceCatalogue } from "../../../test/reference";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { FUNCTIONS, invoke } from "../src";
import {
  type Catalogue,
  CatalogueStore,
  type Fetch,
  MemoryStorage,
  SOURCES,
  acceptProposal,
  activeCatalogue,
  compileCatalogue,
  mergeCatalogue,
  onCatalogueChange,
  pricesOn,
  propose,
  refreshCatalogue,
  rollbackTo,
  setActiveCatalogue,
} from "../src/catalogue";
import { importFeed } from "../src/catalogue/refresh";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const DATA = path.resolve(repoRoot, "../shared/data");
const LITELLM = readFileSync(path.join(DATA, "litellm-model-prices-2026-07-24.json"), "utf8");
const OPENROUTER = readFileSync(path.join(DATA, "openrouter-models-2026-08-01.json"), "utf8");
const URL_LITELLM = SOURCES.litellm.url!;
const today = "2026-08-25";

const serve =
  (body: BodyInit | null, init?: ResponseInit): Fetch =>
  async () =>
    new Response(body, init);

/** Answers only when aborted, as a server that never replies. */
const silent: Fetch = (_url, { signal }) =>
  new Promise((_, reject) => signal.addEventListener("abort", () => reject(new DOMException("This operation was aborted", "AbortError"))));

/** Node's fetch on a name that does not resolve. */
const unreachable: Fetch = async () => {
  throw new TypeError("fetch failed", { cause: Object.assign(new Error("getaddrinfo ENOTFOUND example.invalid"), { code: "ENOTFOUND" }) });
};

function stream(chunks: Uint8Array[], then: "end" | "error" | "hang"): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (i < chunks.length) controller.enqueue(chunks[i++]);
      else if (then === "end") controller.close();
      else if (then === "error") controller.error(new Error("socket hang up"));
      // "hang": never enqueue again
    },
  });
}

function call(name: string, ...args: unknown[]): string {
  return String(invoke(FUNCTIONS[name], args));
}

afterEach(() => setActiveCatalogue(referenceCatalogue()));

describe("a refresh that fails", () => {
  const bundled = () => referenceCatalogue().data;
  const cases: [string, Fetch, string, RegExp | string][] = [
    ["network", unreachable, URL_LITELLM, "raw.githubusercontent.com could not be reached (ENOTFOUND)"],
    ["timeout", silent, URL_LITELLM, "raw.githubusercontent.com did not answer within 0.05 s"],
    [
      "a body that stalls",
      serve(stream([new TextEncoder().encode('{"a":')], "hang")),
      URL_LITELLM,
      "raw.githubusercontent.com did not answer within 0.05 s",
    ],
    [
      "HTTP 404",
      serve("Not Found", { status: 404, statusText: "Not Found" }),
      URL_LITELLM,
      "raw.githubusercontent.com answered HTTP 404 Not Found",
    ],
    ["HTTP 503", serve("", { status: 503 }), URL_LITELLM, "raw.githubusercontent.com answered HTTP 503"],
    [
      "not JSON",
      serve("<!DOCTYPE html><title>Rate limited</title>"),
      URL_LITELLM,
      "the response is not JSON (it begins “<!DOCTYPE html><title>Rate limited</titl…”)",
    ],
    ["truncated", serve(LITELLM.slice(0, 100_000)), URL_LITELLM, "the response ends early (truncated after 100,000 characters)"],
    [
      "a dropped connection",
      serve(stream([new TextEncoder().encode(LITELLM.slice(0, 1000))], "error")),
      URL_LITELLM,
      /^the connection broke while reading the response \(socket hang up\)$/,
    ],
    ["the wrong shape", serve(OPENROUTER), URL_LITELLM, "the response is not a LiteLLM price map (no entry names a litellm_provider)"],
    [
      "too large, declared",
      serve("{}", { headers: { "content-length": "60000000" } }),
      URL_LITELLM,
      "the response is larger than the 50 MB limit",
    ],
    [
      "too large, streamed",
      serve(
        stream(
          Array.from({ length: 51 }, () => new Uint8Array(1_000_000)),
          "end",
        ),
      ),
      URL_LITELLM,
      "the response is larger than the 50 MB limit",
    ],
    [
      "plain http",
      serve(LITELLM),
      "http://example.com/prices.json",
      "only https addresses are fetched, not “http://example.com/prices.json”",
    ],
    ["not an address", serve(LITELLM), "prices.json", "“prices.json” is not a web address"],
  ];

  it.each(cases)("on %s says so in one sentence and leaves the active catalogue in force", async (_, fetch, url, what) => {
    const before = activeCatalogue();
    const storage = new MemoryStorage();
    const outcome = await refreshCatalogue("litellm", url, bundled(), { fetch, timeoutMs: 50, today });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    const match = /^Refreshing from the LiteLLM price map failed: (.+); the active catalogue stays in force\.$/.exec(outcome.reason);
    expect(match, outcome.reason).not.toBeNull();
    if (typeof what === "string") expect(match![1]).toBe(what);
    else expect(match![1]).toMatch(what);
    expect(outcome.reason.split(/[.!?]\s/)).toHaveLength(1); // one sentence
    expect(activeCatalogue()).toBe(before);
    expect(storage.data.size).toBe(0);
  });

  it("refuses a result with far fewer models than the same source supplied last time", async () => {
    const full = importFeed("litellm", LITELLM, { today }).catalogue; // 2,596 models, and no record: its size counts
    // The first 400 keys of the map, a partial file that still parses: 365 models a meter prices.
    const doc = JSON.parse(LITELLM) as Record<string, unknown>;
    const partial = JSON.stringify(Object.fromEntries(Object.entries(doc).slice(0, 400)));
    const outcome = await refreshCatalogue("litellm", URL_LITELLM, full, { fetch: serve(partial), today });
    expect(outcome).toEqual({
      ok: false,
      reason:
        "Refreshing from the LiteLLM price map failed: the result has only 365 models where the same source supplied 2,596 last time, so it looks incomplete; the active catalogue stays in force.",
    });
  });

  it("allows plain http to this machine only, for a local test server", async () => {
    const outcome = await refreshCatalogue("openrouter", "http://127.0.0.1:8123/models", bundled(), { fetch: serve(OPENROUTER), today });
    expect(outcome.ok).toBe(true);
  });
});

describe("a refresh that succeeds", () => {
  it("proposes the import merged into the catalogue in force, with its diff, and changes nothing until accepted", async () => {
    const before = activeCatalogue();
    const outcome = await refreshCatalogue("litellm", URL_LITELLM, before.data, { fetch: serve(LITELLM), today });
    if (!outcome.ok) throw new Error(outcome.reason);
    const { proposal } = outcome;
    // LiteLLM lists all 38 reference ids under its own names (mapping.json): 38 updated, the other
    // 2,558 of its 2,596 models added, none removed. 20 of the 38 change: 16 priced differently (o3's
    // cache read 7.50 → 0.5 is a ×15 cut, flagged), and 4 gain only meters or variants the fixture
    // lacks (Opus 4 and the Gemini Flashes web search, GPT-4o explicit batch prices, embeddings' batch).
    expect(proposal.catalogue.models).toHaveLength(2596);
    expect(proposal.updated).toBe(38);
    expect(proposal.diff.added).toHaveLength(2558);
    expect(proposal.diff.removed).toHaveLength(0);
    expect(proposal.diff.changed).toHaveLength(20);
    expect(proposal.diff.flagged).toBe(1);
    expect(proposal.summary).toBe(
      "2,596 models; 38 updated, 2,558 added, 0 removed, 20 changed (1 by more than ×10); 0 not listed by the source kept; 329 entries rejected; 59 skipped (no meter prices them)",
    );
    // Google's storage price and the batch variant are fields LiteLLM does not give: kept, and the diff says so.
    expect(proposal.kept).toContainEqual({ id: "google/gemini-2.5-pro", fields: ["cache_storage_hour", "batch variant"] });
    expect(activeCatalogue()).toBe(before);
  });

  it("on accept makes it active, recalculates, keeps the old prices for old dates, and can roll back", async () => {
    const outcome = await refreshCatalogue("litellm", URL_LITELLM, referenceCatalogue().data, { fetch: serve(LITELLM), today });
    if (!outcome.ok) throw new Error(outcome.reason);
    const store = new CatalogueStore(new MemoryStorage());
    let recalculations = 0;
    const stop = onCatalogueChange(() => recalculations++);
    acceptProposal(outcome.proposal, store, undefined, new Date("2026-08-25T10:00:00Z"));
    expect(recalculations).toBe(1);
    expect(activeCatalogue().models).toHaveLength(2596);
    // GPT-5 input: 5.00 in the bundled catalogue, 1.25e-06/token (1.25 per 1M) in LiteLLM of 2026-07-24.
    expect(call("PRICE", "openai/gpt-5", "input")).toBe("1.25");
    expect(call("PRICE", "openai/gpt-5", "input", 0, "2026-07-24")).toBe("1.25");
    expect(call("PRICE", "openai/gpt-5", "input", 0, "2026-07-23")).toBe("5");
    expect(store.current()?.source).toBe(SOURCES.litellm.catalogueSource);

    const next = await refreshCatalogue("openrouter", SOURCES.openrouter.url!, store.current()!, { fetch: serve(OPENROUTER), today });
    if (!next.ok) throw new Error(next.reason);
    acceptProposal(next.proposal, store);
    // OpenRouter's 304 models merge in: 96 update models in force (5 more now that LiteLLM's other kinds import), 208 are new; none is removed.
    expect(activeCatalogue().models).toHaveLength(2596 + 208);
    rollbackTo(store, store.history()[1].id);
    expect(recalculations).toBe(3);
    expect(activeCatalogue().models).toHaveLength(2596);
    stop();
  });
});

describe("merging a refresh into the catalogue in force", () => {
  const base: Catalogue = {
    format: "tokenledger-catalogue/1",
    version: "1",
    source: "test",
    as_of: "2026-01-01",
    models: [],
    hardware: referenceCatalogue().data.hardware,
  };
  const m = (id: string, input: string, extra: object = {}) =>
    ({
      id,
      provider: "p",
      name: id,
      aliases: [],
      context_window: null,
      prices: { input, output: "1" },
      price_changes: [],
      variants: {},
      tiers: [],
      ...extra,
    }) as Catalogue["models"][number];

  it("dates a changed price from the feed's date and keeps every earlier list", () => {
    const old = {
      ...base,
      models: [m("p/a", "3", { effective_from: "2026-01-01", price_changes: [{ prices: { input: "4", output: "1" } }] })],
    };
    const next = mergeCatalogue(old, { ...base, as_of: "2026-03-01", hardware: [], models: [m("p/a", "2")] }).catalogue;
    expect(next.models[0]).toMatchObject({
      prices: { input: "2" },
      effective_from: "2026-03-01",
      price_changes: [{ prices: { input: "4" } }, { effective_from: "2026-01-01", prices: { input: "3" } }],
    });
    // And the feed has no hardware, so the active catalogue's stays.
    expect(next.hardware).toBe(base.hardware);
    const compiled = compileCatalogue(next, "2026-08-25").models[0];
    expect(["2025-12-31", "2026-01-01", "2026-03-01"].map((d) => pricesOn(compiled, d)?.input?.toString())).toEqual(["4", "3", "2"]);
  });

  it("keeps the dates of an unchanged price ('3.00' is '3'), and reasoning-effort defaults the feed lacks", () => {
    const effort = { low: 1, medium: 2, high: 3 };
    const old = { ...base, models: [m("p/a", "3.00", { effective_from: "2025-05-05", reasoning_effort: effort })] };
    const next = mergeCatalogue(old, { ...base, as_of: "2026-03-01", models: [m("p/a", "3")] }).catalogue;
    expect(next.models[0]).toMatchObject({ effective_from: "2025-05-05", price_changes: [], reasoning_effort: effort });
  });

  it("takes a feed's own dated prices as they are", () => {
    const dated = m("p/a", "2", { effective_from: "2026-02-02", price_changes: [{ prices: { input: "9", output: "1" } }] });
    const next = mergeCatalogue({ ...base, models: [m("p/a", "3")] }, { ...base, as_of: "2026-03-01", models: [dated] }).catalogue;
    expect(next.models[0]).toMatchObject({ prices: dated.prices, effective_from: "2026-02-02", price_changes: dated.price_changes });
  });

  it("is what propose() hands to the diff", () => {
    const old = { ...base, models: [m("p/a", "3")] };
    const proposal = propose(old, {
      catalogue: { ...base, as_of: "2026-03-01", models: [m("p/a", "33")] },
      rejected: [],
      skipped: {},
      notes: [],
    });
    expect(proposal.catalogue.models[0].price_changes).toEqual([{ effective_from: undefined, prices: { input: "3", output: "1" } }]);
    expect(proposal.diff.changed[0].changes[0]).toMatchObject({ field: "input", old: "3", new: "33", flagged: true });
  });
});
