import { describe, expect, it } from "vitest";
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
