import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Dec, FUNCTIONS, type Fixed, decimalOf, invoke } from "../src";
import { fromNumber } from "../src/decimal";
import { call } from "./call";

/**
 * Release 2's meters and modes against the reference fixture's "More entries"
 * (shared/reference/catalogue-2026-06.md): GPT-4o priority 4.25 / 17 / cache read 2.125 and
 * web search 10 per 1,000; o3 flex = its batch rates (15 / 60 halved); Claude Opus 4.7
 * 5 / 25 / 0.50 / 6.25 / 10, batch 50 % off, residency × 1.1, web search 10 per 1,000; Sonar
 * 1 / 1 and 5 per 1,000 requests; Whisper 0.006 a minute; TTS-1 15 per 1M characters;
 * DALL-E 3 0.04 an image; Mistral OCR 1 per 1,000 pages. OpenAI bills cache writes as input.
 */

const row = (...cells: unknown[]) => [cells];

describe("modes flex, priority and residency", () => {
  it("price the service tiers", () => {
    // 1,000 × 4.25 + 500 × 17 = 4,250 + 8,500 = 12,750 per 1M → 0.01275.
    expect(call("LLMCOST", "gpt-4o", 1000, 500, 0, 0, 0, "priority")).toBe("0.01275");
    // Under priority writes billed as input take the priority input rate: 700 × 4.25 + 200 × 2.125
    // + 100 × 4.25 + 500 × 17 = 2,975 + 425 + 425 + 8,500 = 12,325 per 1M.
    expect(call("LLMCOST", "gpt-4o", 1000, 500, 200, 100, 0, "priority")).toBe("0.012325");
    // o3 flex = batch: 1,000 × 7.5 + 500 × 30 = 22,500 per 1M.
    expect(call("LLMCOST", "o3", 1000, 500, 0, 0, 0, "flex")).toBe("0.0225");
  });

  it("apply the residency uplift after the variant, 1 where the entry has none", () => {
    // (1,000 × 5 + 500 × 25) × 1.1 = 17,500 × 1.1 = 19,250 per 1M.
    expect(call("LLMCOST", "claude-opus-4-7", 1000, 500, 0, 0, 0, "residency")).toBe("0.01925");
    // Batch then residency: (1,000 × 2.5 + 500 × 12.5) × 1.1 = 8,750 × 1.1 = 9,625 per 1M.
    expect(call("LLMCOST", "claude-opus-4-7", 1000, 500, 0, 0, 0, "batch residency")).toBe("0.009625");
    // GPT-4o has no uplift: 1,000 × 2.5 + 500 × 10 = 7,500 per 1M, as standard.
    expect(call("LLMCOST", "gpt-4o", 1000, 500, 0, 0, 0, "residency")).toBe("0.0075");
    expect(call("LLMCOST", "gpt-4o", 1000, 500, 200, 100, 0, "priority,residency")).toBe("0.012325");
  });

  it("refuse tiers together, and a tier or pair the entry does not list", () => {
    expect(call("LLMCOST", "o3", 1, 1, 0, 0, 0, "batch,flex")).toBe("VALUE: mode: batch and flex exclude one another");
    expect(call("LLMCOST", "gpt-4o", 1, 1, 0, 0, 0, "flex")).toBe("VALUE: mode: openai/gpt-4o has no flex variant");
    expect(call("LLMCOST", "gpt-4o", 1, 1, 0, 0, 0, "priority offpeak")).toBe(
      "VALUE: mode: priority and offpeak together are not priced for openai/gpt-4o",
    );
  });
});

describe("PRICE's release-2 components", () => {
  it("answers every meter in its unit, the tiers' rates and the uplift", () => {
    const cases: [string, string, string][] = [
      ["gpt-4o", "priority_input", "4.25"],
      ["gpt-4o", "priority_output", "17"],
      ["o3", "flex_input", "7.5"], // 15 × 0.5
      ["o3", "flex_output", "30"], // 60 × 0.5
      ["claude-opus-4-7", "residency", "1.1"],
      ["gpt-4o", "residency", "1"],
      ["claude-opus-4-7", "web_search", "10"],
      ["gpt-4o", "cache_write", "2.5"], // billed as input
      ["perplexity/sonar", "request", "5"],
      ["gpt-4o", "request", "0"],
      ["whisper-1", "audio_minute", "0.006"],
      ["tts-1", "character", "15"],
      ["dall-e-3", "image", "0.04"],
      ["mistral-ocr", "page", "1"],
    ];
    for (const [model, component, price] of cases)
      expect([model, component, call("PRICE", model, component)]).toEqual([model, component, price]);
  });

  it("is #VALUE! for a meter or tier the entry does not price", () => {
    expect(call("PRICE", "whisper-1", "input")).toBe("VALUE: component: openai/whisper-1 has no input price");
    expect(call("PRICE", "gpt-4o", "audio_input")).toBe("VALUE: component: openai/gpt-4o has no audio_input price");
    expect(call("PRICE", "gpt-4o", "flex_input")).toBe("VALUE: component: openai/gpt-4o has no flex variant");
  });
});

describe("MODELS' kind column", () => {
  it("comes after as_of, chat where the entry names none, and a missing price is blank", () => {
    const table = invoke(FUNCTIONS.MODELS, ["whisper"]) as unknown[][];
    expect(table[0].slice(9)).toEqual(["as_of", "kind"]);
    expect(table[1][0]).toBe("openai/whisper-1");
    expect(table[1][10]).toBe("transcription");
    expect(table[1][3]).toBeNull(); // no input price: blank (empty text at the add-in's boundary)
    expect((invoke(FUNCTIONS.MODELS, ["gpt-4o-mini"]) as unknown[][])[1][10]).toBe("chat");
  });
});

describe("USAGECOST", () => {
  it("bills a five-meter usage, tokens per 1M and searches per 1,000", () => {
    // 10,000 × 5 + 50,000 × 0.5 + 2,000 × 25 = 125,000 per 1M = 0.125; 3 searches × 10 ÷ 1,000 = 0.03;
    // no request fee: 0. Total 0.155.
    const meters = row("input", "cache_read", "output", "web_search", "request");
    const quantities = row(10000, 50000, 2000, 3, 1);
    expect(call("USAGECOST", "claude-opus-4-7", meters, quantities)).toBe("0.155");
    // Batch and residency change the tokens only: 0.125 × 0.5 × 1.1 = 0.06875, + 0.03.
    expect(call("USAGECOST", "claude-opus-4-7", meters, quantities, "batch,residency")).toBe("0.09875");
  });

  it("bills each other meter in its unit", () => {
    expect(call("USAGECOST", "whisper-1", row("audio_minute"), row(90))).toBe("0.54"); // 90 × 0.006
    expect(call("USAGECOST", "tts-1", row("character"), row(2_000_000))).toBe("30"); // 2 × 15
    expect(call("USAGECOST", "dall-e-3", row("image"), row(25))).toBe("1"); // 25 × 0.04
    expect(call("USAGECOST", "mistral-ocr", row("page"), row(500))).toBe("0.5"); // 500 × 1 ÷ 1,000
    // 1,000 × 1 + 500 × 1 = 1,500 per 1M = 0.0015; 2 requests × 5 ÷ 1,000 = 0.01.
    expect(call("USAGECOST", "perplexity/sonar", [["input"], ["output"], ["request"]], [[1000], [500], [2]])).toBe("0.0115");
    // Embeddings in batch: 1M × 0.02 × 0.5.
    expect(call("USAGECOST", "text-embedding-3-small", row("input"), row(1_000_000), "batch")).toBe("0.01");
  });

  it("falls back as the contract says: reasoning to output, writes to input where the provider bills so", () => {
    expect(call("USAGECOST", "gpt-4o", row("reasoning"), row(1000))).toBe("0.01"); // 1,000 × 10
    expect(call("USAGECOST", "gpt-4o", row("cache_write", "cache_write_1h"), row(1000, 1000), "priority")).toBe("0.0085"); // 2,000 × 4.25
    expect(call("USAGECOST", "claude-opus-4-7", row("cache_write"), row(1000), "cache1h")).toBe("0.01"); // 1,000 × 10
  });

  it("picks the long-context tier by the prompt-side sum", () => {
    // Gemini 2.5 Pro above 200,000 prompt tokens: 2.50 / 10 / 0.625. Prompt 150,000 + 60,000 = 210,000:
    // 150,000 × 2.5 + 60,000 × 0.625 + 1,000 × 10 = 375,000 + 37,500 + 10,000 = 422,500 per 1M.
    expect(call("USAGECOST", "gemini-2.5-pro", row("input", "cache_read", "output"), row(150000, 60000, 1000))).toBe("0.4225");
    // Output is not prompt: 150,000 + 40,000 = 190,000, standard 1.25 / 5 / 0.31:
    // 187,500 + 12,400 + 500,000 = 699,900 per 1M.
    expect(call("USAGECOST", "gemini-2.5-pro", row("input", "cache_read", "output"), row(150000, 40000, 100000))).toBe("0.6999");
  });

  it("skips blank cells and needs no price for a meter with no quantity", () => {
    // 1,000 × 2.5 + 500 × 10 = 7,500 per 1M; the blank meter's 5 is skipped, audio_input 0 needs no price.
    expect(call("USAGECOST", "gpt-4o", row("input", null, "output", "audio_input"), row(1000, 5, 500, 0))).toBe("0.0075");
  });

  it("refuses a meter named twice, a meter with no price, an unknown meter, sizes that differ", () => {
    expect(call("USAGECOST", "gpt-4o", row("input", "Input"), row(1, 2))).toBe("VALUE: meters: input is named twice");
    expect(call("USAGECOST", "gpt-4o", row("audio_input"), row(10))).toBe("VALUE: meters: openai/gpt-4o has no audio_input price");
    expect(call("USAGECOST", "gpt-4o", row("tokens"), row(10))).toMatch(/^VALUE: meters: unknown meter "tokens" \(use input, /);
    expect(call("USAGECOST", "gpt-4o", row("input", "output"), row(10))).toBe(
      "VALUE: quantities: must be as many as meters (2 meters, 1 quantities)",
    );
    expect(call("USAGECOST", "gpt-4o", row("input"), row(-1))).toBe("VALUE: quantities: must be ≥ 0");
  });

  it("equals LLMCOST for the same request given as disjoint meters (property)", () => {
    const n = fc.integer({ min: 0, max: 300_000 });
    fc.assert(
      fc.property(
        fc.constantFrom("gpt-4o", "claude-sonnet-4-6", "claude-opus-4-7", "gemini-2.5-pro"),
        n,
        n,
        n,
        n,
        n,
        (m, i, c, w, o, r) => {
          const meters = row("input", "cache_read", "cache_write", "output", "reasoning");
          const usage = decimalOf(invoke(FUNCTIONS.USAGECOST, [m, meters, row(i, c, w, o, r)]) as Dec | Fixed);
          const request = decimalOf(invoke(FUNCTIONS.LLMCOST, [m, i + c + w, o, c, w, r]) as Dec | Fixed);
          expect(usage.toString()).toBe(request.toString());
        },
      ),
      { numRuns: 100 },
    );
  });

  it("answers Σ quantity × PRICE ÷ the meter's unit exactly, whole or fractional quantities (property)", () => {
    // Opus 4.7 prices all five (its request fee is 0); whole counts take the integer path, the rest decimals.
    const meters = ["input", "cache_read", "output", "web_search", "request"];
    const per: Record<string, number> = { web_search: 1000, request: 1000 };
    const price = (m: string) => decimalOf(invoke(FUNCTIONS.PRICE, ["claude-opus-4-7", m]) as Dec);
    const q = fc.oneof(fc.integer({ min: 0, max: 10_000_000 }), fc.double({ min: 0, max: 1e6, noNaN: true }));
    fc.assert(
      fc.property(fc.array(q, { minLength: 5, maxLength: 5 }), (quantities) => {
        const got = decimalOf(invoke(FUNCTIONS.USAGECOST, ["claude-opus-4-7", [meters], [quantities]]) as Dec | Fixed);
        const want = meters.reduce(
          (sum, m, i) =>
            quantities[i] === 0
              ? sum
              : sum.plus(
                  fromNumber(quantities[i])
                    .times(price(m))
                    .div(per[m] ?? 1_000_000),
                ),
          fromNumber(0),
        );
        expect(got.toString()).toBe(want.toString());
      }),
      { numRuns: 200 },
    );
  });
});
