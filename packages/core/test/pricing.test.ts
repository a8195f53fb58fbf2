import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { type Dec, FUNCTIONS, Fixed, type TlError, decimalOf, invoke } from "../src";
import { activeCatalogue, findModel } from "../src/catalogue";
import { fromNumber } from "../src/decimal";
import { parseMode, requestCost } from "../src/pricing";
import { call } from "./call";

describe("LLMCOST", () => {
  it("prices the contract's example exactly", () => {
    // 1,500 × $3/M + 300 × $15/M = 0.0045 + 0.0045 (functions.md, "Headless use").
    expect(call("LLMCOST", "anthropic/claude-sonnet-4-6", 1500, 300)).toBe("0.009");
  });

  it("splits the prompt into uncached, cache-read and cache-written tokens", () => {
    // Sonnet 4.6: 300 uncached × 3 + 1,000 read × 0.30 + 200 written × 3.75 + 300 out × 15,
    // per 1M: (900 + 300 + 750 + 4,500) / 1e6 = 0.00645; batch halves everything: 0.003225.
    expect(call("LLMCOST", "Claude Sonnet 4.6", 1500, 300, 1000, 200)).toBe("0.00645");
    expect(call("LLMCOST", "Claude Sonnet 4.6", 1500, 300, 1000, 200, 0, "batch")).toBe("0.003225");
    // 1-hour writes: 200 × 6 instead of 200 × 3.75 → 0.00645 + 0.00045.
    expect(call("LLMCOST", "Claude Sonnet 4.6", 1500, 300, 1000, 200, 0, "cache1h")).toBe("0.0069");
  });

  it("prices average token counts exactly, on the integer path", () => {
    // 1,234.5 × 2.50 + 300.25 × 10 = 3,086.25 + 3,002.5 = 6,088.75 per 1M.
    const result = invoke(FUNCTIONS.LLMCOST, ["openai/gpt-4o", 1234.5, 300.25]);
    expect(result).toBeInstanceOf(Fixed);
    expect(String(result)).toBe("0.00608875");
    // 0.07 tokens is 0.07 (its text), not 0.07000000000000000666 (its double): 0.07 × 2.5 / 1e6.
    expect(call("LLMCOST", "openai/gpt-4o", 0.07, 0)).toBe("0.000000175");
  });

  it("bills the whole request at the long-context tier above 200k prompt tokens (seed 002)", () => {
    // 500k × $2.50/M + 5k × $10/M = 1.25 + 0.05 = 1.30 (seed 002, "Long-context cost worked example").
    expect(call("LLMCOST", "google/gemini-2.5-pro", 500_000, 5_000)).toBe("1.3");
    // Exactly 200k is not above the threshold: 200k × 1.25 + 5k × 5 = 0.25 + 0.025.
    expect(call("LLMCOST", "google/gemini-2.5-pro", 200_000, 5_000)).toBe("0.275");
  });

  it("rejects bad input with the contract's errors", () => {
    expect(call("LLMCOST", "claude-sonet-4-6", 1500, 300)).toBe(
      'NA: unknown model "claude-sonet-4-6": did you mean anthropic/claude-sonnet-4-6, anthropic/claude-opus-4-7 or anthropic/claude-haiku-4-5?',
    );
    expect(call("LLMCOST", "llama-3.3-70b", 1, 1)).toMatch(/^NA: model "llama-3.3-70b" is ambiguous: .*groq\/llama-3.3-70b/);
    expect(call("LLMCOST", "gpt-4o", -1, 1)).toBe("VALUE: input_tokens: must be ≥ 0");
    expect(call("LLMCOST", "gpt-4o", "abc", 1)).toBe('VALUE: input_tokens: must be a number, got text "abc"');
    expect(call("LLMCOST", "gpt-4o", 100, 1, 80, 30)).toBe(
      "VALUE: cached_tokens: cached_tokens + cache_write_tokens must not exceed input_tokens",
    );
    expect(call("LLMCOST", "gpt-4o", 100, 1, 0, 0, 0, "turbo")).toBe(
      'VALUE: mode: unknown flag "turbo" (use standard, batch, flex, priority, offpeak, cache1h or residency)',
    );
    expect(call("LLMCOST", "mistral/mistral-large-2", 100, 1, 10)).toBe(
      "VALUE: cached_tokens: mistral/mistral-large-2 has no cache_read price",
    );
    expect(call("LLMCOST", "mistral/mistral-large-2", 100, 1, 0, 0, 0, "batch")).toBe(
      "VALUE: mode: mistral/mistral-large-2 has no batch variant",
    );
  });

  it("is linear in every token count (property)", () => {
    fc.assert(
      fc.property(fc.nat(10_000_000), fc.nat(10_000_000), fc.nat(1_000), fc.nat(100), (input, output, cached, k) => {
        fc.pre(cached <= input);
        const one = decimalOf(invoke(FUNCTIONS.LLMCOST, ["openai/gpt-4o", input, output, cached]) as Fixed);
        const many = decimalOf(invoke(FUNCTIONS.LLMCOST, ["openai/gpt-4o", input * k, output * k, cached * k]) as Fixed);
        expect(many.eq(one.times(k))).toBe(true);
      }),
    );
  });

  it("answers from its integer hot path exactly what the decimal path answers, averages included (property)", () => {
    const ids = activeCatalogue().models.map((m) => m.id);
    const modes = ["standard", "batch", "offpeak", "cache1h", "batch cache1h"];
    fc.assert(
      fc.property(
        fc.constantFrom(...ids),
        fc.constantFrom(...modes),
        // Whole counts and averages (1234.5, 0.07): both go through the integer path.
        fc.array(
          fc.tuple(fc.nat(2_000_000_000), fc.integer({ min: 0, max: 4 })).map(([n, places]) => n / 10 ** places),
          { minLength: 5, maxLength: 5 },
        ),
        (id, flags, [input, output, cached, written, reasoning]) => {
          fc.pre(cached + written <= input);
          const args = [id, input, output, cached, written, reasoning, flags];
          let fast: string;
          try {
            fast = decimalOf(invoke(FUNCTIONS.LLMCOST, args) as Fixed | Dec).toString();
          } catch (e) {
            fast = (e as TlError).message;
          }
          let slow: string;
          try {
            const usage = {
              input: fromNumber(input),
              output: fromNumber(output),
              cached: fromNumber(cached),
              cacheWrite: fromNumber(written),
              reasoning: fromNumber(reasoning),
            };
            slow = requestCost(findModel(activeCatalogue(), id), usage, parseMode(flags)).toString();
          } catch (e) {
            slow = (e as TlError).message;
          }
          expect(fast).toBe(slow);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe("MONTHLYCOST", () => {
  it("bills cache_hit_rate of the input at the cache-read rate, then adds retries", () => {
    // GPT-4o, 1,000 requests of 1,000 in / 200 out, half the input cached, 10% retries:
    // 500 × 2.50 + 500 × 1.25 + 200 × 10 = 3,875 per 1M = 0.003875 a request; × 1,000 × 1.1 = 4.2625.
    expect(call("MONTHLYCOST", "openai/gpt-4o", 1000, 1000, 200, 0.5, 0.1)).toBe("4.2625");
  });

  it("names cache_hit_rate, its own argument, when the model has no cache-read price", () => {
    // functions.md: an error's message names the argument; MONTHLYCOST has no cached_tokens.
    expect(call("MONTHLYCOST", "mistral/mistral-large-2", 10, 1000, 100, 0.1)).toBe(
      "VALUE: cache_hit_rate: mistral/mistral-large-2 has no cache_read price",
    );
  });
});

describe("seed 002's unit-economics worked examples", () => {
  it("SaaS chat: 800 in / 300 out on Sonnet 4.6, 50 messages a user a month", () => {
    // 800 × $3/M + 300 × $15/M = 0.0024 + 0.0045 (seed: "$0.0069 ≈ $0.007").
    expect(call("LLMCOST", "anthropic/claude-sonnet-4-6", 800, 300)).toBe("0.0069");
    // 50 × 0.0069 = 0.345; the seed's $0.35 multiplies its rounded $0.007.
    expect(call("MONTHLYCOST", "anthropic/claude-sonnet-4-6", 50, 800, 300)).toBe("0.345");
    // Its sensitivity table is off: Haiku 4.5 is 50 × (800 × 0.8 + 300 × 4) / 1e6 = 0.092 (seed $0.094),
    // Opus 4 is 50 × (800 × 15 + 300 × 75) / 1e6 = 1.725 (seed $1.92).
    expect(call("MONTHLYCOST", "anthropic/claude-haiku-4-5", 50, 800, 300)).toBe("0.092");
    expect(call("MONTHLYCOST", "anthropic/claude-opus-4", 50, 800, 300)).toBe("1.725");
  });

  it("support agent: five rounds of 2,000 in / 500 out on Sonnet 4.6", () => {
    // 2,000 × 3 + 500 × 15 = 13,500 per 1M = 0.0135 a round; × 5 = 0.0675 (seed rounds to $0.068),
    // so 1M tickets a year cost $67,500, not the seed's $68,000.
    expect(call("LLMCOST", "anthropic/claude-sonnet-4-6", 2000, 500)).toBe("0.0135");
    expect(call("MONTHLYCOST", "anthropic/claude-sonnet-4-6", 5_000_000, 2000, 500)).toBe("67500");
  });

  it("research tool: o3 with 5,000 thinking tokens billed at the output rate", () => {
    // 1,000 × $15/M + 5,000 × $60/M = 0.015 + 0.30 = 0.315 (seed agrees).
    expect(call("LLMCOST", "openai/o3", 1000, 0, 0, 0, 5000)).toBe("0.315");
  });

  it("B2B SaaS: 20M actions a month of 500 in / 200 out on Sonnet 4.6", () => {
    // 500 × 3 + 200 × 15 = 4,500 per 1M = $0.0045 an action; × 20M = $90,000 (seed agrees).
    expect(call("LLMCOST", "anthropic/claude-sonnet-4-6", 500, 200)).toBe("0.0045");
    expect(call("MONTHLYCOST", "anthropic/claude-sonnet-4-6", 20_000_000, 500, 200)).toBe("90000");
  });

  it("visual search on GPT-4o at the catalogue's price, not the seed's $5/$20", () => {
    // The seed prices GPT-4o at $5/$20 (the reference catalogue has $2.50/$10) and then writes
    // 1,030 × $5/M as $0.005 (it is $0.00515). At catalogue prices: 1,030 × 2.5 + 200 × 10 = 4,575 per 1M.
    expect(call("LLMCOST", "openai/gpt-4o", 1030, 200)).toBe("0.004575");
  });
});

describe("FORECAST", () => {
  const column = (...args: unknown[]) => (invoke(FUNCTIONS.FORECAST, args) as Dec[][]).map(([v]) => v.toString());

  it("compounds growth monthly from m = 0", () => {
    // 100 × 1.1^m for m = 0, 1, 2 (functions.md: m = 0 … months − 1).
    expect(column(100, 3, 0.1)).toEqual(["100", "110", "121"]);
  });

  it("applies the annual price change as (1 + a)^(m/12), exact at whole years", () => {
    const rows = column(100, 25, 0, -0.12);
    // Month 12 is one whole year: 100 × 0.88 = 88; month 24: 100 × 0.88² = 77.44, exactly.
    expect([rows[0], rows[12], rows[24]]).toEqual(["100", "88", "77.44"]);
    // Months 6 and 7: 100 × 0.88^(6/12) and 100 × 0.88^(7/12), to 34 significant digits (worked with
    // Python's decimal at 60 digits, then rounded).
    expect(rows[6]).toBe("93.80831519646859109131260227088933");
    expect(rows[7]).toBe("92.81429967752963144185168947617851");
  });
});
