import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { referenceCatalogue } from "../../../test/reference";
import {
  type Catalogue,
  type SourceKind,
  bundledCatalogue,
  compileCatalogue,
  findModel,
  mergeCatalogue,
  propose,
  setActiveCatalogue,
} from "../src/catalogue";
import { importFeed } from "../src/catalogue/refresh";
import { Dec } from "../src/decimal";
import { call } from "./call";

/**
 * A catalogue that survives every refresh (issue 12): each real snapshot merged into the bundled
 * catalogue alone and all four in sequence keeps every bundled id resolving, with the source's
 * prices where it lists the model, and the variants and fields it does not speak to.
 */

const DATA = path.resolve(fileURLToPath(new URL("../../../", import.meta.url)), "../shared/data");
const read = (f: string) => readFileSync(path.join(DATA, f), "utf8");
const today = "2026-08-25";

const FEEDS: [SourceKind, string][] = [
  ["litellm", read("litellm-model-prices-2026-07-24.json")],
  ["openrouter", read("openrouter-models-2026-08-01.json")],
  ["genai-prices", read("genai-prices/data-v2.json")],
  ["llm-prices", `[${readdirSync(path.join(DATA, "llm-prices")).map((f) => read(`llm-prices/${f}`))}]`],
];
const imports = new Map(FEEDS.map(([kind, text]) => [kind, importFeed(kind, text, { today })]));
const bundled = bundledCatalogue().data;
const bundledIds = bundled.models.map((m) => m.id);

/** The catalogue after refreshing `base` from each source in turn. */
function refreshed(base: Catalogue, kinds: readonly SourceKind[]): Catalogue {
  return kinds.reduce((c, kind) => propose(c, imports.get(kind)!).catalogue, base);
}

const ALL: SourceKind[] = FEEDS.map(([kind]) => kind);
const SCENARIOS: [string, SourceKind[]][] = [...ALL.map((k): [string, SourceKind[]] => [k, [k]]), ["all four in sequence", ALL]];

afterEach(() => setActiveCatalogue(referenceCatalogue()));

describe.each(SCENARIOS)("the bundled catalogue refreshed from %s", (_, kinds) => {
  const catalogue = refreshed(bundled, kinds);
  const compiled = compileCatalogue(catalogue, today);

  it("still resolves every bundled id, and carries the last listing source's prices", () => {
    for (const id of bundledIds) {
      const entry = findModel(compiled, id).entry;
      const last = [...kinds].reverse().find((k) => imports.get(k)!.catalogue.models.some((m) => m.id === id));
      if (!last) continue;
      const listed = imports.get(last)!.catalogue.models.find((m) => m.id === id)!;
      expect(entry.prices, `${id} from ${last}`).toMatchObject(listed.prices);
      const first = Object.keys(listed.prices)[0] as keyof typeof listed.prices; // input, or a non-token model's meter
      expect(entry.price_sources?.[first]).toBe(imports.get(last)!.catalogue.source);
    }
  });

  it("resolves bare names to the maker's entries; a name only hosts serve stays ambiguous", () => {
    setActiveCatalogue(compiled);
    expect(findModel(compiled, "gpt-4o").id).toBe("openai/gpt-4o");
    expect(findModel(compiled, "claude-sonnet-4-6").id).toBe("anthropic/claude-sonnet-4-6");
    expect(findModel(compiled, "gemini-2.5-pro").id).toBe("google/gemini-2.5-pro");
    expect(call("LLMCOST", "llama-3.3-70b", 1, 1)).toMatch(/^NA: model "llama-3.3-70b" is ambiguous: .*groq\/llama-3.3-70b/);
  });

  it("answers an unknown name with at most three near ids, comparing a bounded candidate set", () => {
    setActiveCatalogue(compiled);
    expect(call("PRICE", "claude-sonet-4-6")).toMatch(
      /^NA: unknown model "claude-sonet-4-6": did you mean anthropic\/claude-sonnet-4-6[,\s]/,
    );
    // A pasted paragraph is read, and quoted, by its first 64 characters only.
    const pasted = call("PRICE", `gpt-4o ${"lorem ipsum ".repeat(10_000)}`);
    expect(pasted).toMatch(/^NA: unknown model "gpt-4o (lorem ipsum ){4}lorem ips…": did you mean /);
    expect(pasted.split("did you mean ")[1].split(/, | or /).length).toBeLessThanOrEqual(3);
  });

  it("keeps Claude's batch variant and DeepSeek's off-peak variant", () => {
    setActiveCatalogue(compiled);
    expect(call("LLMCOST", "anthropic/claude-sonnet-4-6", 1500, 300, 0, 0, 0, "batch")).not.toMatch(/^VALUE/);
    expect(call("LLMCOST", "deepseek/deepseek-v3", 1500, 300, 0, 0, 0, "offpeak")).not.toMatch(/^VALUE/);
    expect(call("LLMCOST", "deepseek/deepseek-r1", 1500, 300, 0, 0, 0, "offpeak")).not.toMatch(/^VALUE/);
  });

  it("bills GPT-4o's cache writes at its input rate", () => {
    setActiveCatalogue(compiled);
    // Every source prices GPT-4o at 2.5 in, 10 out: 6,000 uncached and 4,000 written at 2.5,
    // 500 out at 10: (10,000 × 2.5 + 500 × 10) ÷ 10^6 = 0.03.
    expect(call("LLMCOST", "openai/gpt-4o", 10000, 500, 0, 4000)).toBe("0.03");
    expect(call("PRICE", "openai/gpt-4o", "cache_write")).toBe("2.5");
  });
});

describe("what each source updates", () => {
  it("counts the canonical ids each source lists (mapping.json covers every one it lists)", () => {
    const updated = Object.fromEntries(ALL.map((k) => [k, propose(bundled, imports.get(k)!).updated]));
    // Worked from the snapshots: LiteLLM lists all 38; OpenRouter no Llama host, Mistral Small 3,
    // Nemo or Grok 3, and none of the 6 non-chat entries (20 = 18 + Opus 4.7 and Sonar); genai-prices
    // no DeepInfra and no Fireworks Llama 3.3 (31 = 27 + 4 of the 8 More entries); llm-prices no host,
    // Cohere or Sonnet 4.6 (20 = 19 + 1).
    expect(updated).toEqual({ litellm: 38, openrouter: 20, "genai-prices": 31, "llm-prices": 20 });
  });

  it("prices named by the issue: Gemini 2.5 Pro from LiteLLM, Groq's Llama 3.3 70B", () => {
    const c = refreshed(bundled, ["litellm"]);
    const byId = (id: string) => c.models.find((m) => m.id === id)!;
    // LiteLLM: 1.25e-06 and 1e-05 per token; groq/llama-3.3-70b-versatile 5.9e-07 and 7.9e-07.
    expect(byId("google/gemini-2.5-pro").prices).toMatchObject({ input: "1.25", output: "10" });
    expect(byId("google/gemini-2.5-pro").aliases).toContain("gemini/gemini-2.5-pro");
    expect(byId("groq/llama-3.3-70b").prices).toMatchObject({ input: "0.59", output: "0.79" });
    expect(byId("anthropic/claude-opus-4").aliases).toContain("claude-opus-4-20250514");
  });

  it("records which source last set each price", () => {
    const opus = refreshed(bundled, ALL).models.find((m) => m.id === "anthropic/claude-opus-4")!;
    // llm-prices gives Opus 4 input and output only; genai-prices (before it) gave the cache prices.
    expect(opus.price_sources).toMatchObject({
      input: "simonw/llm-prices",
      output: "simonw/llm-prices",
      cache_read: "pydantic/genai-prices data v2",
      cache_write_1h: "pydantic/genai-prices data v2",
    });
  });
});

describe("provenance", () => {
  it("keeps the source of what a refresh did not set, where the new header would claim it", () => {
    const reference = referenceCatalogue().data;
    const c = refreshed(reference, ["llm-prices"]);
    const byId = (id: string) => c.models.find((m) => m.id === id)!;
    expect(c.source).toBe("simonw/llm-prices");
    // Not listed by llm-prices: the fixture's own source and date, written onto the entry.
    expect(byId("groq/llama-3.3-70b")).toMatchObject({ source: reference.source, as_of: "2026-06-15" });
    // Listed, with input and output only: the cache prices stay the fixture's, and say so.
    expect(byId("anthropic/claude-opus-4").price_sources).toMatchObject({
      input: "simonw/llm-prices",
      cache_read: reference.source,
      cache_write: reference.source,
    });
  });
});

describe("prune", () => {
  it("removes only on request the models the source does not list", () => {
    const llm = imports.get("llm-prices")!;
    const kept = propose(bundled, llm);
    const pruned = propose(bundled, llm, { prune: true });
    // llm-prices lists 20 of the 38 bundled ids: 18 kept, or removed with prune.
    expect(kept.diff.removed).toHaveLength(0);
    expect(kept.kept.filter((k) => k.fields === null)).toHaveLength(18);
    expect(pruned.diff.removed.map((m) => m.id).sort()).toEqual(
      kept.kept
        .filter((k) => k.fields === null)
        .map((k) => k.id)
        .sort(),
    );
    expect(pruned.catalogue.models).toHaveLength(kept.catalogue.models.length - 18);
  });
});

describe("the sanity check", () => {
  it("compares a source with what the same source supplied last time, recorded in the catalogue", () => {
    const afterLitellm = refreshed(referenceCatalogue().data, ["litellm"]);
    expect(afterLitellm.supplied?.["LiteLLM model_prices_and_context_window.json"]).toEqual({ as_of: "2026-07-24", models: 2596 });
    // Another source in between does not change what LiteLLM is compared with.
    const then = refreshed(afterLitellm, ["openrouter"]);
    const doc = JSON.parse(FEEDS[0][1]) as Record<string, unknown>;
    const partial = importFeed("litellm", JSON.stringify(Object.fromEntries(Object.entries(doc).slice(0, 400))), { today });
    expect(() => propose(then, partial)).toThrow(
      "the result has only 365 models where the same source supplied 2,596 last time, so it looks incomplete",
    );
    // OpenRouter's 304 models are not under half of LiteLLM's: a different source is not compared.
    expect(() => propose(afterLitellm, imports.get("openrouter")!)).not.toThrow();
  });
});

describe("long-context tiers belong to their price list", () => {
  // A 1 $/M model whose 2027 list tiers at 6 $/M above 200k.
  const tiered: Catalogue = {
    ...referenceCatalogue().data,
    models: [
      {
        id: "acme/m",
        provider: "acme",
        name: "m",
        aliases: [],
        context_window: null,
        prices: { input: "1", output: "1" },
        effective_from: "2027-01-01",
        price_changes: [{ prices: { input: "1", output: "1" } }],
        variants: {},
        tiers: [{ threshold_tokens: 200_000, inclusive: false, basis: "whole_request", prices: { input: "6", output: "6" } }],
      },
    ],
  };

  it("prices today with today's list and its tiers (none), the 2027 list only from 2027", () => {
    setActiveCatalogue(compileCatalogue(tiered, today));
    // 300,000 × 1 ÷ 10^6 = 0.3 (the 2027 tier would make it 300,000 × 6 ÷ 10^6 = 1.8).
    expect(call("LLMCOST", "acme/m", 300000, 0)).toBe("0.3");
    expect(call("PRICE", "acme/m", "input", 300000)).toBe("1");
    expect(call("PRICE", "acme/m", "input", 300000, "2027-02-01")).toBe("6");
    expect(call("PRICE", "acme/m", "input", 100000, "2027-02-01")).toBe("1");
  });

  it("moves a list's tiers into history with it when a refresh changes the prices", () => {
    const gemini = referenceCatalogue().data.models.find((m) => m.id === "google/gemini-2.5-pro")!;
    const newTier = { threshold_tokens: 200_000, inclusive: false, basis: "whole_request" as const, prices: { input: "4" } };
    const fresh = { ...tiered, as_of: "2026-08-01", models: [{ ...gemini, prices: { input: "2", output: "8" }, tiers: [newTier] }] };
    const merged = mergeCatalogue(referenceCatalogue().data, fresh).catalogue;
    setActiveCatalogue(compileCatalogue(merged, today));
    // Until 2026-07-31 the reference list with its own tier (2.50 above 200k); from 2026-08-01 the new one (4).
    expect(call("PRICE", "google/gemini-2.5-pro", "input", 300000, "2026-07-31")).toBe("2.5");
    expect(call("PRICE", "google/gemini-2.5-pro", "input", 100000, "2026-07-31")).toBe("1.25");
    expect(call("PRICE", "google/gemini-2.5-pro", "input", 300000)).toBe("4");
    expect(call("PRICE", "google/gemini-2.5-pro", "input", 100000)).toBe("2");
  });
});

describe("the request meter", () => {
  it("imports Perplexity's per-query search cost (LiteLLM, OpenRouter) and requests_kcount (genai-prices), added once per request", () => {
    const sonarIn = (kind: SourceKind) => imports.get(kind)!.catalogue.models.find((m) => m.id === "perplexity/sonar")!.prices;
    // LiteLLM: search_context_size_low 0.005 USD per query = 5 per 1,000; genai-prices: 12 per 1,000.
    expect(sonarIn("litellm")).toMatchObject({ input: "1", output: "1", request: "5" });
    expect(sonarIn("genai-prices")).toMatchObject({ input: "1", output: "1", request: "12" });
    // OpenRouter: web_search "0.005" per request, charged on every Perplexity request.
    expect(sonarIn("openrouter")).toMatchObject({ input: "1", output: "1", request: "5" });
    setActiveCatalogue(compileCatalogue(refreshed(referenceCatalogue().data, ["litellm"]), today));
    // 1,800 tokens × 1 ÷ 10^6 + 5 ÷ 1,000 = 0.0018 + 0.005 = 0.0068.
    expect(call("LLMCOST", "perplexity/sonar", 1500, 300)).toBe("0.0068");
    expect(call("LLMCOST", "perplexity/sonar", 1500.5, 300)).toBe("0.0068005"); // the decimal path agrees
    expect(call("MONTHLYCOST", "perplexity/sonar", 1000, 1500, 300)).toBe("6.8");
    expect(call("REASONINGCOST", "perplexity/sonar", 1500, 300, 0)).toBe("0.0068");
    expect(call("BUDGETCOST", "perplexity/sonar", 1500, 300, 0)).toBe("0.0068");
    expect(call("PRICE", "perplexity/sonar", "request")).toBe("5");
    expect(call("PRICE", "openai/gpt-4o", "request")).toBe("0");
  });

  it("keeps other priced keys out of the catalogue only with a note saying so", () => {
    const notes = imports
      .get("litellm")!
      .notes.filter((n) => n.entry === "claude-sonnet-4-6")
      .map((n) => n.reason);
    // Its search cost is now the web_search meter: nothing is left out.
    expect(notes.filter((n) => n.startsWith("not imported"))).toEqual([]);
    expect(imports.get("litellm")!.catalogue.models.find((m) => m.id === "anthropic/claude-sonnet-4-6")?.prices.web_search).toBe("10");
    // What no meter bills is still named: an embedding model's price per input image.
    expect(imports.get("litellm")!.notes).toContainEqual({
      entry: "amazon.titan-embed-image-v1",
      reason: "not imported (no such meter in this catalogue): input_cost_per_image",
    });
  });

  it("adds exactly one fee to any request (property)", () => {
    setActiveCatalogue(compileCatalogue(refreshed(referenceCatalogue().data, ["litellm"]), today));
    fc.assert(
      fc.property(fc.nat(2_000_000), fc.nat(100_000), fc.nat(9), (input, output, tenths) => {
        // Sonar: 1 per 1M tokens either way, 5 per 1,000 requests; whole counts take the integer
        // path, counts with tenths the decimal one.
        const i = input + tenths / 10;
        const expected = new Dec(i).plus(output).div(1_000_000).plus("0.005");
        expect(new Dec(call("LLMCOST", "perplexity/sonar", i, output)).eq(expected)).toBe(true);
      }),
      { numRuns: 50 },
    );
  });
});

describe("merging (property)", () => {
  it("never drops a model in force and always carries the listed prices", () => {
    const base = referenceCatalogue().data;
    const litellm = imports.get("litellm")!.catalogue;
    fc.assert(
      fc.property(fc.uniqueArray(fc.nat(litellm.models.length - 1), { maxLength: 40 }), (picked) => {
        const fresh = { ...litellm, models: picked.map((i) => litellm.models[i]) };
        const merged = mergeCatalogue(base, fresh).catalogue;
        const ids = new Set(merged.models.map((m) => m.id));
        for (const m of base.models) expect(ids.has(m.id)).toBe(true);
        for (const m of fresh.models) {
          expect(merged.models.find((x) => x.id === m.id || x.aliases.includes(m.id))?.prices).toMatchObject(m.prices);
        }
      }),
      { numRuns: 30 },
    );
  });
});

describe("the bundled default", () => {
  it("carries every reference id, each priced from the newest snapshot listing it, with its source and date", () => {
    expect(bundledIds).toEqual(referenceCatalogue().data.models.map((m) => m.id));
    for (const m of bundled.models) expect([m.id, m.source, m.as_of]).toEqual([m.id, expect.any(String), expect.stringMatching(/^2026-/)]);
    const byId = (id: string) => bundled.models.find((m) => m.id === id)!;
    // genai-prices (2026-08-21) is the newest snapshot; it lists 27 of the 30. Groq: 0.59 / 0.79.
    expect(byId("groq/llama-3.3-70b")).toMatchObject({ source: "pydantic/genai-prices data v2", as_of: "2026-08-21" });
    expect(byId("groq/llama-3.3-70b").prices).toEqual({ input: "0.59", output: "0.79" });
    // DeepInfra is in LiteLLM's map only (2026-07-24): 3e-08 / 5e-08 per token.
    expect(byId("deepinfra/llama-3.1-8b")).toMatchObject({ source: "LiteLLM model_prices_and_context_window.json", as_of: "2026-07-24" });
    expect(byId("deepinfra/llama-3.1-8b").prices).toEqual({ input: "0.03", output: "0.05" });
    // A field no snapshot gives (Google's storage price) stays the table's, and says so.
    expect(byId("google/gemini-2.5-pro").price_sources?.cache_storage_hour).toMatch(/^TokenLedger reference table/);
    expect(bundled.cache_write_as_input).toEqual(["openai", "google", "deepseek", "xai"]);
  });
});

describe("bare names (property)", () => {
  it("resolve to the maker's entry whatever hosts list the name, in any order", () => {
    const reference = referenceCatalogue().data;
    const gpt4o = reference.models.find((m) => m.id === "openai/gpt-4o")!;
    const hosts = ["azure", "openrouter", "vercel_ai_gateway", "github_copilot", "snowflake"].map((p) => ({
      ...gpt4o,
      id: `${p}/gpt-4o`,
      provider: p,
    }));
    fc.assert(
      fc.property(fc.shuffledSubarray(hosts), fc.nat(hosts.length), (picked, at) => {
        const others = reference.models.filter((m) => m.id !== gpt4o.id);
        const models = [...picked.slice(0, at), gpt4o, ...picked.slice(at), ...others];
        const compiled = compileCatalogue({ ...reference, models }, today);
        expect(findModel(compiled, "gpt-4o").id).toBe("openai/gpt-4o");
        expect(findModel(compiled, "GPT 4o").id).toBe("openai/gpt-4o");
      }),
      { numRuns: 30 },
    );
  });
});
