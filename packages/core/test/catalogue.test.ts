import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { referenceCatalogue } from "../../../test/reference";
import { compileCatalogue, componentPrice, findModel, listOn, rateTablesFor, setActiveCatalogue } from "../src/catalogue";
import { call } from "./call";

describe("PRICE", () => {
  it("picks Gemini 2.5 Pro's long-context tier above, not at, 200,000 prompt tokens", () => {
    // Reference catalogue: 1.25 / 5.00 / 0.31; above 200k prompt tokens 2.50 / 10.00 / 0.625.
    expect(call("PRICE", "google/gemini-2.5-pro", "input", 200_000)).toBe("1.25");
    expect(call("PRICE", "google/gemini-2.5-pro", "input", 200_001)).toBe("2.5");
    expect(call("PRICE", "google/gemini-2.5-pro", "cache_read", 200_001)).toBe("0.625");
    // Batch on top of the tier: 50% of 10.00.
    expect(call("PRICE", "google/gemini-2.5-pro", "batch_output", 200_001)).toBe("5");
  });

  it("applies the contract's fallbacks", () => {
    // A single cache-write price serves the 1-hour TTL (GPT-4o: = input, 2.50); Sonnet 4.6 names 6.00.
    expect(call("PRICE", "openai/gpt-4o", "cache_write_1h")).toBe("2.5");
    expect(call("PRICE", "anthropic/claude-sonnet-4-6", "cache_write_1h")).toBe("6");
    // Reasoning bills at the output rate (o3: 60); storage is 0 where it is not billed.
    expect(call("PRICE", "openai/o3", "reasoning")).toBe("60");
    expect(call("PRICE", "anthropic/claude-sonnet-4-6", "cache_storage_hour")).toBe("0");
    expect(call("PRICE", "google/gemini-2.5-pro", "cache_storage_hour")).toBe("4.5");
  });

  it("names component, its own argument, for a variant the model lacks", () => {
    // functions.md: an error's message names the argument; PRICE has no mode argument.
    expect(call("PRICE", "openai/gpt-4o", "offpeak_input")).toBe("VALUE: component: openai/gpt-4o has no offpeak variant");
    expect(call("PRICE", "deepseek/deepseek-v3", "batch_output")).toBe("VALUE: component: deepseek/deepseek-v3 has no batch variant");
    // The off-peak variant where it exists (DeepSeek V3: 0.14 / 0.55).
    expect(call("PRICE", "deepseek/deepseek-v3", "offpeak_output")).toBe("0.55");
  });
});

describe("PRICE with as_of", () => {
  // The reference fixture with a price history: GPT-4o at 5 / 15 (cache read 2.5) until its
  // current list (2.50 / 10 / 1.25) took effect on 2026-03-01.
  const reference = referenceCatalogue();
  const withHistory = compileCatalogue({
    ...reference.data,
    models: reference.data.models.map((m) =>
      m.id === "openai/gpt-4o"
        ? {
            ...m,
            effective_from: "2026-03-01",
            price_changes: [{ effective_from: "2025-01-01", prices: { input: "5", output: "15", cache_read: "2.5" } }],
          }
        : m,
    ),
  });
  beforeAll(() => setActiveCatalogue(withHistory));
  afterAll(() => setActiveCatalogue(reference));

  it("prices a date by the list in force then", () => {
    expect(call("PRICE", "openai/gpt-4o", "input", 0, "2026-02-28")).toBe("5");
    expect(call("PRICE", "openai/gpt-4o", "input", 0, "2026-03-01")).toBe("2.5");
    expect(call("PRICE", "openai/gpt-4o", "output", 0, "2025-06-30")).toBe("15");
    expect(call("PRICE", "openai/gpt-4o", "input", 0, "2024-12-31")).toBe(
      "NA: as_of: no price known for openai/gpt-4o on 2024-12-31 (the earliest is 2025-01-01)",
    );
  });

  it("answers from its kept rate tables what tables built afresh answer (property)", () => {
    const ids = withHistory.models.map((m) => m.id);
    const components = ["input", "output", "cache_read", "cache_write", "reasoning", "batch_input", "offpeak_output"];
    const day = fc.integer({ min: Date.UTC(2024, 11, 1), max: Date.UTC(2026, 11, 31) }).map((t) => new Date(t).toISOString().slice(0, 10));
    fc.assert(
      fc.property(fc.constantFrom(...ids), fc.constantFrom(...components), fc.nat(2_000_000), day, (id, component, prompt, asOf) => {
        const model = findModel(withHistory, id);
        const list = listOn(model, asOf);
        const [variant, name] = component.includes("_") && !component.startsWith("cache") ? component.split("_") : ["", component];
        // Errors (no list yet, no such variant) compare by kind alone: their texts are tested above.
        let fresh: string;
        try {
          // The tier of the list in force then: the highest whose threshold the prompt passes.
          const passed = (t: { inclusive: boolean; threshold_tokens: number }) =>
            t.inclusive ? prompt >= t.threshold_tokens : prompt > t.threshold_tokens;
          const level = list ? list.tiers.reduce((l, t, k) => (passed(t) ? k + 1 : l), 0) : 0;
          const rates = list && rateTablesFor(model, list)[level].get(variant);
          fresh = rates ? componentPrice(model, rates, name as "input", "component").toString() : "error";
        } catch {
          fresh = "error";
        }
        const kept = call("PRICE", id, component, prompt, asOf);
        expect(/^[A-Z]+: /.test(kept) ? "error" : kept).toBe(fresh);
      }),
      { numRuns: 2000 },
    );
  });
});
