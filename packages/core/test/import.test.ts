import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import bundled from "../src/catalogue/bundled.json";
import { compileCatalogue, pricesOn } from "../src/catalogue/compile";
import { FeedError, type ImportResult } from "../src/catalogue/import/common";
import { importGenaiPrices } from "../src/catalogue/import/genai-prices";
import { JsonNumber, parseJson } from "../src/catalogue/import/json";
import { importLitellm, litellmId } from "../src/catalogue/import/litellm";
import { importLlmPrices } from "../src/catalogue/import/llm-prices";
import { importOpenrouter } from "../src/catalogue/import/openrouter";
import { importTokenledger } from "../src/catalogue/import/tokenledger";
import type { Model } from "../src/catalogue/schema";

/**
 * Every importer on the real snapshots in shared/data. Expected counts were worked out
 * independently with a short Python pass over the same files, applying the rules stated in each
 * test (which modes are chat, which prices refuse an entry, how ids are formed).
 */

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const DATA = path.resolve(repoRoot, "../shared/data");
const read = (file: string) => readFileSync(path.join(DATA, file), "utf8");
const context = { today: "2026-08-25" };

function model(result: ImportResult, id: string): Model {
  const m = result.catalogue.models.find((x) => x.id === id);
  if (!m) throw new Error(`${id} not imported`);
  return m;
}

function reasons(result: ImportResult): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of result.rejected) {
    const kind = r.reason.replace(/duplicate of .*/, "duplicate");
    out[kind] = (out[kind] ?? 0) + 1;
  }
  return out;
}

describe("the number-preserving JSON parser", () => {
  it("keeps every number's text, which JSON.parse loses", () => {
    const doc = parseJson('{"a": 3e-06, "b": [0.30000000000000000001, -1, 0], "c": "x\\"y"}') as Record<string, unknown>;
    expect(doc.a).toEqual(new JsonNumber("3e-06"));
    expect((doc.b as JsonNumber[]).map((n) => n.text)).toEqual(["0.30000000000000000001", "-1", "0"]);
    expect(doc.c).toBe('x"y');
    // 20 significant digits do not fit a double: JSON.parse gives 0.3, and String() cannot bring the text back.
    expect(String(JSON.parse("0.30000000000000000001"))).toBe("0.3");
  });

  it("keeps a __proto__ key as data", () => {
    const doc = parseJson('{"__proto__": {"polluted": 1}}') as Record<string, unknown>;
    expect(Object.keys(doc)).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("says in one clause what is wrong with a bad document", () => {
    expect(() => parseJson('{"a": [1, 2')).toThrow(new FeedError("the response ends early (truncated after 11 characters)"));
    expect(() => parseJson("<!DOCTYPE html><html>")).toThrow(new FeedError("the response is not JSON (it begins “<!DOCTYPE html><html>”)"));
    expect(() => parseJson('{"a": tru}')).toThrow(new FeedError("the response is not valid JSON (unexpected “t” at character 6)"));
    expect(() => parseJson('{"a": 1} x')).toThrow(/unexpected “x” at character 9 after the end of the document/);
    expect(() => parseJson("")).toThrow(new FeedError("the response is empty"));
  });
});

describe("LiteLLM's price map", () => {
  const result = importLitellm(parseJson(read("litellm-model-prices-2026-07-24.json")), context);

  it("imports every model a meter prices, with its kind, and lists every rejection with its reason", () => {
    // 2,985 keys: "last_updated" (metadata), sample_spec and 58 entries no meter prices skipped (25
    // video, 18 search tools, 9 pricing rules with no mode, 5 moderation, 1 vector store); 2,925
    // entries of the modes a meter prices, of which 329 are refused: 145 chat models without a
    // per-token input price, 87 with input 0, 6 with output 0; 36 image models priced per pixel
    // only, 2 OCR models per credit only, 2 transcription models by output seconds only; 14
    // embedding, 6 rerank, 3 transcription and 2 image models with no price above 0; 26 later
    // duplicates of a canonical id. 2,925 − 329 = 2,596 imported.
    expect(result.catalogue.models).toHaveLength(2596);
    expect(reasons(result)).toEqual({
      "no input price (not priced per token)": 145,
      "input price is 0 (free or unpriced)": 87,
      "output price is 0 (free or unpriced)": 6,
      "priced only by input_cost_per_pixel, output_cost_per_pixel, which no meter bills (kind image)": 29,
      "priced only by input_cost_per_pixel, which no meter bills (kind image)": 7,
      "priced only by ocr_cost_per_credit, which no meter bills (kind ocr)": 2,
      "priced only by output_cost_per_second, which no meter bills (kind transcription)": 2,
      "no price above 0 (kind embedding)": 14,
      "no price above 0 (kind rerank)": 6,
      "no price above 0 (kind transcription)": 3,
      "no price above 0 (kind image)": 2,
      duplicate: 26,
    });
    const kinds: Record<string, number> = {};
    for (const m of result.catalogue.models) kinds[m.kind ?? "chat"] = (kinds[m.kind ?? "chat"] ?? 0) + 1;
    expect(kinds).toEqual({ chat: 2179, image: 195, embedding: 109, transcription: 57, speech: 26, rerank: 19, ocr: 11 });
    expect(result.skipped).toEqual({
      "sample_spec (LiteLLM's field documentation)": 1,
      "video_generation (no meter prices it)": 25,
      "search (no meter prices it)": 18,
      "no mode (a pricing rule, not a model)": 9,
      "moderation (no meter prices it)": 5,
      "vector_store (no meter prices it)": 1,
    });
    expect(result.catalogue.as_of).toBe("2026-07-24"); // from the map's "last_updated"
  });

  it("turns per-token floats into exact per-1M decimals through their text", () => {
    // 3e-06/token = 3 per 1M; in doubles 8e-07 × 1e6 = 0.7999999999999999, but the text gives 0.8.
    expect(model(result, "anthropic/claude-sonnet-4-5").prices).toEqual({
      input: "3",
      output: "15",
      cache_read: "0.3",
      cache_write: "3.75",
      cache_write_1h: "6",
      web_search: "10", // search_context_cost_per_query, low context: 0.01 per call = 10 per 1,000
    });
    expect(model(result, "bedrock/amazon.nova-pro-v1:0").prices).toEqual({ input: "0.8", output: "3.2" });
    expect(model(result, "bedrock/anthropic.claude-3-7-sonnet-20240620-v1:0").prices.input).toBe("3.6");
  });

  it("maps long-context keys to a whole-request tier above the threshold", () => {
    // *_above_200k_tokens: 6e-06, 2.25e-05, 6e-07, 7.5e-06, and the 1-hour write 1.2e-05.
    expect(model(result, "anthropic/claude-sonnet-4-5").tiers).toEqual([
      {
        threshold_tokens: 200_000,
        inclusive: false,
        basis: "whole_request",
        prices: { input: "6", output: "22.5", cache_read: "0.6", cache_write: "7.5", cache_write_1h: "12" },
      },
    ]);
  });

  it("maps *_batches, *_flex and *_priority keys to variants with explicit prices", () => {
    // gpt-4o: 1.25e-06 and 5e-06 per token in batch; priority 4.25e-06, 1.7e-05, cache read 2.125e-06.
    expect(model(result, "openai/gpt-4o").variants).toEqual({
      batch: { prices: { input: "1.25", output: "5" }, applies_to: [], stacks_with_cache_reads: false },
      priority: { prices: { input: "4.25", output: "17", cache_read: "2.125" }, applies_to: [], stacks_with_cache_reads: true },
    });
  });

  it("imports the meters other than tokens, each converted exactly to its unit", () => {
    // whisper-1: 0.0001 per second × 60 = 0.006 per minute.
    expect(model(result, "openai/whisper-1")).toMatchObject({ kind: "transcription", prices: { audio_minute: "0.006" } });
    // tts-1: 1.5e-05 per character × 1,000,000 = 15 per 1M characters.
    expect(model(result, "openai/tts-1")).toMatchObject({ kind: "speech", prices: { character: "15" } });
    // dall-e-3: input_cost_per_image 0.04, an image model's price per image generated.
    expect(model(result, "openai/dall-e-3")).toMatchObject({ kind: "image", prices: { image: "0.04" } });
    // mistral-ocr-latest: 0.004 per page × 1,000 = 4 per 1,000 pages; canonical id mistral/mistral-ocr.
    expect(model(result, "mistral/mistral-ocr")).toMatchObject({ kind: "ocr", prices: { page: "4" } });
    // text-embedding-3-small: 2e-08 per token = 0.02 per 1M, batch 1e-08 = 0.01; its output 0 dropped.
    expect(model(result, "openai/text-embedding-3-small")).toMatchObject({
      kind: "embedding",
      prices: { input: "0.02" },
      variants: { batch: { prices: { input: "0.01" } } },
    });
    // gpt-4o-audio-preview: audio tokens 4e-05 in, 8e-05 out per token = 40 / 80 per 1M.
    expect(model(result, "openai/gpt-4o-audio-preview").prices).toMatchObject({ audio_input: "40", audio_output: "80" });
    // Perplexity's per-query search cost is its request fee (0.005 low context = 5 per 1,000), not a tool price.
    expect(model(result, "perplexity/sonar").prices).toMatchObject({ request: "5" });
    expect(model(result, "perplexity/sonar").prices.web_search).toBeUndefined();
  });

  it("derives the provider from litellm_provider without repeating it", () => {
    expect(litellmId("vertex_ai/claude-opus-4", "vertex_ai-anthropic_models")).toBe("vertex_ai-anthropic_models/claude-opus-4");
    expect(litellmId("deepseek/deepseek-chat", "deepseek")).toBe("deepseek/deepseek-chat");
    expect(litellmId("deepseek-chat", "deepseek")).toBe("deepseek/deepseek-chat");
    expect(model(result, "vertex_ai-anthropic_models/claude-opus-4").prices.input).toBe("15");
  });

  it("keeps the first of duplicate ids", () => {
    // "deepseek-chat" (key 707) and "deepseek/deepseek-chat" (key 876) are both deepseek/deepseek-chat.
    expect(result.rejected).toContainEqual({
      entry: "deepseek/deepseek-chat",
      reason: "duplicate of deepseek/deepseek-chat (the first entry, deepseek-chat, is kept)",
    });
  });

  it("keeps float artefacts of the source exactly, with a note", () => {
    expect(model(result, "databricks/databricks-claude-3-7-sonnet").prices.input).toBe("2.9999900000000002");
    expect(result.notes).toContainEqual({
      entry: "databricks/databricks-claude-3-7-sonnet",
      reason: "input 2.9999900000000002 per 1M kept as published (17 significant digits: a float artefact?)",
    });
  });

  it("compiles", () => {
    expect(compileCatalogue(result.catalogue).models).toHaveLength(2596);
  });
});

describe("OpenRouter's model list", () => {
  const result = importOpenrouter(parseJson(read("openrouter-models-2026-08-01.json")), context);

  it("imports priced models, refuses routers and free tiers, and keeps ~aliases as aliases", () => {
    // 336 entries: 10 "~…-latest" aliases, 17 priced 0, 5 routers priced "-1"; 336 − 32 = 304.
    expect(result.catalogue.models).toHaveLength(304);
    expect(reasons(result)).toEqual({
      "input price is 0 (free or unpriced)": 17,
      "input price is -1 (a placeholder, not a price)": 5,
    });
    expect(model(result, "anthropic/claude-sonnet-5").aliases).toEqual(["~anthropic/claude-sonnet-latest"]);
    expect(result.catalogue.as_of).toBe("2026-08-25"); // the response carries no date
  });

  it("reads string prices exactly, 1-hour cache writes included", () => {
    // 0.00001, 0.00005, 0.000001, 0.0000125, 0.00002 per token.
    expect(model(result, "anthropic/claude-opus-5-fast").prices).toEqual({
      input: "10",
      output: "50",
      cache_read: "1",
      cache_write: "12.5",
      cache_write_1h: "20",
      web_search: "10", // 0.01 per call = 10 per 1,000
    });
    // Image and audio tokens: 0.000002 and 0.00012 per image token in and out = 2 and 120 per 1M.
    expect(model(result, "google/gemini-3-pro-image").prices).toMatchObject({ image_input: "2", image_output: "120", audio_input: "2" });
  });

  it("keeps the float artefacts exact and flags them; overrides become inclusive whole-request tiers", () => {
    // "0.0000006000000000000001" per token is 0.6000000000000001 per 1M, kept as published.
    const luna = model(result, "openai/gpt-5.6-luna");
    expect(luna.prices.output).toBe("0.6000000000000001");
    expect(luna.prices.cache_write).toBe("0.12500000000000002");
    expect(result.notes).toContainEqual({
      entry: "openai/gpt-5.6-luna",
      reason: "output 0.6000000000000001 per 1M kept as published (16 significant digits: a float artefact?)",
    });
    // min_prompt_tokens 272000: the whole request from 272,000 prompt tokens on.
    expect(luna.tiers).toEqual([
      {
        threshold_tokens: 272_000,
        inclusive: true,
        basis: "whole_request",
        prices: { input: "0.2", output: "0.90000000000000005", cache_read: "0.02", cache_write: "0.25000000000000005" },
      },
    ]);
  });
});

describe("genai-prices data v2", () => {
  const result = importGenaiPrices(parseJson(read("genai-prices/data-v2.json")), context);

  it("imports every model with an output price, and embeddings; skips the rest", () => {
    // 1,466 models in 36 providers; 196 have no output_mtok, of which 10 are embeddings by their id.
    expect(result.catalogue.models).toHaveLength(1280);
    expect(result.rejected).toEqual([]);
    expect(result.skipped).toEqual({ "no output token price, and not an embedding model by its id": 186 });
    expect(model(result, "openai/text-embedding-3-small")).toMatchObject({ kind: "embedding", prices: { input: "0.02" } });
    // web_searches_kcount is already USD per 1,000 searches.
    expect(model(result, "anthropic/claude-haiku-4-5").prices.web_search).toBe("10");
    // Audio tokens per 1M as published: gpt-4o-mini-realtime-preview 10 in, 20 out.
    expect(model(result, "openai/gpt-4o-mini-realtime-preview").prices).toMatchObject({ audio_input: "10", audio_output: "20" });
  });

  it("reads {base, tiers} as a whole-request tier strictly above `start` (its engine: input > start)", () => {
    expect(model(result, "google/gemini-2.5-pro")).toMatchObject({
      prices: { input: "1.25", output: "10", cache_read: "0.125" },
      tiers: [
        { threshold_tokens: 200_000, inclusive: false, basis: "whole_request", prices: { input: "2.5", output: "15", cache_read: "0.25" } },
      ],
    });
  });

  it("turns start_date lists into dated price changes that PRICE(…, as_of) reads", () => {
    // o3: 10/40 until 2025-06-10, then 2/8.
    const o3 = model(result, "openai/o3");
    expect(o3).toMatchObject({
      prices: { input: "2", output: "8", cache_read: "0.5" },
      effective_from: "2025-06-10",
      price_changes: [{ prices: { input: "10", output: "40", cache_read: "0.5" } }],
    });
    const compiled = compileCatalogue({ ...result.catalogue, models: [o3] }, "2026-08-25").models[0];
    expect(pricesOn(compiled, "2025-06-09")?.input?.toString()).toBe("10");
    expect(pricesOn(compiled, "2025-06-10")?.input?.toString()).toBe("2");
  });

  it("keeps each dated list's own tiers", () => {
    // claude-opus-4-6: the undated list tiers at 200k (input 5 → 10), the 2026-03-13 list has no tier.
    expect(model(result, "anthropic/claude-opus-4-6")).toMatchObject({
      effective_from: "2026-03-13",
      tiers: [],
      price_changes: [{ prices: { input: "5" }, tiers: [{ threshold_tokens: 200_000, prices: { input: "10" } }] }],
    });
  });

  it("turns DeepSeek's time-of-day window into an offpeak variant", () => {
    // Default 0.135/0.55/0.035; 00:30–16:30 UTC 0.27/1.1/0.07: the cheaper default is off-peak,
    // so off-peak is the rest of the day, 16:30–00:30 UTC.
    // deepseek-chat is DeepSeek-V3's API name: mapping.json maps it onto the canonical id.
    expect(model(result, "deepseek/deepseek-v3")).toMatchObject({
      aliases: ["deepseek/deepseek-chat"],
      prices: { input: "0.27", output: "1.1", cache_read: "0.07" },
      variants: {
        offpeak: {
          prices: { input: "0.135", output: "0.55", cache_read: "0.035" },
          stacks_with_cache_reads: true,
          window: "16:30–00:30 UTC",
        },
      },
    });
  });
});

describe("llm-prices vendor files", () => {
  const files = readdirSync(path.join(DATA, "llm-prices")).map((f) => read(`llm-prices/${f}`));
  const result = importLlmPrices(parseJson(`[${files.join(",")}]`), context);

  it("imports the 142 entries of the 11 vendors but xai's repeated grok-4-fast, with dated history", () => {
    expect(result.catalogue.models).toHaveLength(141);
    expect(result.rejected).toEqual([
      { entry: "xai/grok-4-fast", reason: "duplicate of xai/grok-4-fast (the first entry, xai/grok-4-fast, is kept)" },
    ]);
    // deepseek-chat (canonical deepseek/deepseek-v3): 0.14/0.28 until 2025-02-08, 0.27/1.1 from then.
    expect(model(result, "deepseek/deepseek-v3")).toMatchObject({
      prices: { input: "0.27", output: "1.1" },
      effective_from: "2025-02-08",
      price_changes: [{ prices: { input: "0.14", output: "0.28" } }],
    });
  });
});

describe("a catalogue in our own schema (an organisation's)", () => {
  it("imports the bundled catalogue whole", () => {
    const result = importTokenledger(parseJson(JSON.stringify(bundled)));
    expect(result.catalogue.models).toHaveLength(38);
    expect(result.catalogue.hardware.length).toBe(bundled.hardware.length);
    expect(result.rejected).toEqual([]);
  });

  it("lists bad entries and imports the rest", () => {
    const doc = {
      ...bundled,
      models: [
        bundled.models[0],
        { ...bundled.models[1], id: "no provider" },
        { ...bundled.models[2], prices: { input: "-1", output: "2" } },
        { ...bundled.models[3], prices: { input: 3, output: "2" } },
        bundled.models[0],
      ],
    };
    const result = importTokenledger(parseJson(JSON.stringify(doc)));
    expect(result.catalogue.models.map((m) => m.id)).toEqual(["openai/gpt-5"]);
    expect(result.rejected).toEqual([
      { entry: "no provider", reason: "id: an id written provider/model" },
      { entry: "openai/o3", reason: "prices.input: a non-negative decimal written as text" },
      { entry: "openai/o3-mini", reason: "prices.input: Invalid input: expected string, received number" },
      { entry: "openai/gpt-5", reason: "duplicate of openai/gpt-5 (the first entry, openai/gpt-5, is kept)" },
    ]);
  });

  it("refuses a document that is not one", () => {
    expect(() => importTokenledger(parseJson('{"data": []}'))).toThrow(/not a TokenLedger catalogue/);
    expect(() =>
      importTokenledger(parseJson('{"format": "tokenledger-catalogue/1", "version": "1", "source": "x", "as_of": "soon", "models": []}')),
    ).toThrow(new FeedError("the catalogue's header is invalid (as_of: a date written YYYY-MM-DD)"));
  });
});

describe("a feed of the wrong kind", () => {
  it("is refused whole with one clause", () => {
    const openrouter = parseJson(read("openrouter-models-2026-08-01.json"));
    expect(() => importLitellm(openrouter, context)).toThrow(
      new FeedError("the response is not a LiteLLM price map (no entry names a litellm_provider)"),
    );
    expect(() => importGenaiPrices(openrouter, context)).toThrow(/not genai-prices data/);
    expect(() => importOpenrouter(parseJson("[]"), context)).toThrow(/not an OpenRouter models list/);
  });
});
