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

  it("imports the chat models and lists every rejection with its reason", () => {
    // 2,985 keys: "last_updated" (metadata), sample_spec, 578 − 1 entries of other modes skipped,
    // 2,406 chat/completion/responses entries: 145 without a per-token input price, 87 with input
    // 0, 6 with output 0, 17 later duplicates of a canonical id (16 of the same key under two
    // providers, and bedrock_converse's kimi-k2.5, which is bedrock's once renamed); 2,406 − 255 = 2,151 imported.
    expect(result.catalogue.models).toHaveLength(2151);
    expect(reasons(result)).toEqual({
      "no input price (not priced per token)": 145,
      "input price is 0 (free or unpriced)": 87,
      "output price is 0 (free or unpriced)": 6,
      duplicate: 17,
    });
    expect(result.skipped).toMatchObject({ image_generation: 209, embedding: 124, rerank: 25, audio_speech: 27, audio_transcription: 62 });
    expect(Object.values(result.skipped).reduce((a, b) => a + b, 0)).toBe(578);
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

  it("maps *_batches keys to a batch variant with explicit prices", () => {
    // gpt-4o: 1.25e-06 and 5e-06 per token in batch.
    expect(model(result, "openai/gpt-4o").variants).toEqual({
      batch: { prices: { input: "1.25", output: "5" }, applies_to: [], stacks_with_cache_reads: false },
    });
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
    expect(compileCatalogue(result.catalogue).models).toHaveLength(2151);
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
    });
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

  it("imports every model with an output price and skips the rest", () => {
    // 1,466 models in 36 providers; 196 have no output_mtok (embeddings, audio, images).
    expect(result.catalogue.models).toHaveLength(1270);
    expect(result.rejected).toEqual([]);
    expect(result.skipped).toEqual({ "no output token price (embedding, audio or image model)": 196 });
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
    expect(result.catalogue.models).toHaveLength(30);
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
