import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { type Dec, FUNCTIONS, Fixed, type TlError, decimalOf, invoke } from "../src";
import {
  type CatalogueInput,
  type CompiledModel,
  activeCatalogue,
  compileCatalogue,
  findModel,
  setActiveCatalogue,
} from "../src/catalogue";
import { referenceCatalogue } from "../../../test/reference";
import { ONE, fromNumber } from "../src/decimal";
import { blendedCost, conversationCost, monthlyCost, parseMode, requestCost, requireCacheRead, routeCost, tokenCost } from "../src/pricing";
import { parseArgs } from "../src/sheet";
import { call, dec, held } from "./call";

/** A result as exact text, or the message of the error it throws: how a fast path is held to its decimal path. */
function outcome(f: () => Dec | Fixed): string {
  try {
    return decimalOf(f()).toString();
  } catch (e) {
    return (e as TlError).message;
  }
}

/** A count or share as a worksheet holds it: n ÷ 10^places (3000, 1234.5, 0.35). */
const decimal = (max: number, places: number) => fc.tuple(fc.nat(max), fc.integer({ min: 0, max: places })).map(([n, p]) => n / 10 ** p);

/**
 * A value of an Excel fill series, start + i × step, with the float noise a decimal step brings
 * (200 + 37 × 0.1 is 203.70000000000002, 17 significant digits): what a GRID's axis passes.
 */
const fillSeries = (starts: number[], steps: number[]) =>
  fc.tuple(fc.constantFrom(...starts), fc.constantFrom(...steps), fc.nat(99)).map(([start, step, i]) => start + i * step);

/**
 * Shares as a worksheet holds them: whole percentages or thousandths summing to exactly 1, now
 * and then one with float noise (0.1 + 0.2) or a sum off by a little, for the decimal path.
 */
const sharesOf = (n: number) =>
  fc.oneof(
    fc.array(fc.nat(1000), { minLength: n, maxLength: n }).map((parts) => {
      const total = parts.reduce((a, b) => a + b, 0) || 1;
      const whole = parts.map((p) => Math.floor((p * 1000) / total));
      whole[0] += 1000 - whole.reduce((a, b) => a + b, 0);
      return whole.map((w) => w / 1000);
    }),
    fc.array(fc.constantFrom(0, 0.1 + 0.2, 0.7, 0.5, 1, 0.25), { minLength: n, maxLength: n }),
  );

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
    // … and the integer hot path is the one that answers it.
    expect(invoke(FUNCTIONS.MONTHLYCOST, ["openai/gpt-4o", 1000, 1000, 200, 0.5, 0.1])).toBeInstanceOf(Fixed);
  });

  it("takes the bench's examples and its GRID's far corner on its integer path", () => {
    const SONNET = "anthropic/claude-sonnet-4-6";
    const examples = [
      [SONNET, 250_000, 3_000, 400, 0.6, 0.02, null],
      ["openai/gpt-4o", 1_000_000, 1_500, 300, null, null, null],
      ["google/gemini-2.5-flash", 50_000, 12_000, 900, 0.35, 0.05, "batch"],
      // Requests 250,000 … 448,000 × input tokens 3,000 … 4,980.
      [SONNET, 448_000, 4_980, 400, 0.6, 0.02, null],
    ];
    for (const args of examples) expect(invoke(FUNCTIONS.MONTHLYCOST, args)).toBeInstanceOf(Fixed);
  });

  it("applies the residency uplift on its integer path too", () => {
    // Opus 4.7 (meters.test.ts' rates, 5 / 25 per 1M, residency × 1.1): 1,000 requests of
    // 1,000 in / 500 out = 1,000 × (5,000 + 12,500) per 1M = 17.5; × 1.1 = 19.25.
    expect(call("MONTHLYCOST", "claude-opus-4-7", 1000, 1000, 500, 0, 0, "residency")).toBe("19.25");
    expect(invoke(FUNCTIONS.MONTHLYCOST, ["claude-opus-4-7", 1000, 1000, 500, 0, 0, "residency"])).toBeInstanceOf(Fixed);
  });

  it("names cache_hit_rate, its own argument, when the model has no cache-read price", () => {
    // functions.md: an error's message names the argument; MONTHLYCOST has no cached_tokens.
    expect(call("MONTHLYCOST", "mistral/mistral-large-2", 10, 1000, 100, 0.1)).toBe(
      "VALUE: cache_hit_rate: mistral/mistral-large-2 has no cache_read price",
    );
  });

  it("answers from its integer hot path exactly what the decimal path answers (property)", () => {
    const ids = activeCatalogue().models.map((m) => m.id);
    // Residency too: the integer path once read the rates without its uplift (17.5 for 19.25).
    const modes = ["standard", "batch", "offpeak", "cache1h", "residency", "batch residency", "priority,residency"];
    const share = decimal(10_000, 4).filter((h) => h <= 1);
    fc.assert(
      fc.property(
        // The one model whose residency uplift is not 1, often.
        fc.oneof(fc.constantFrom(...ids), fc.constant("anthropic/claude-opus-4-7")),
        fc.constantFrom(...modes),
        fc.tuple(
          fc.oneof(decimal(100_000_000, 2), fillSeries([250_000, 1], [2_000, 0.1])),
          fc.oneof(decimal(2_000_000, 3), fillSeries([3_000, 0.5], [20, 0.001]), fc.constantFrom(1e-7, 2 ** 53, 1e21)),
          decimal(200_000, 3),
          fc.oneof(share, fillSeries([0.3, 0.6], [0.003, 0.001])),
          fc.oneof(decimal(1_000, 3), fillSeries([0.02, 0.1], [0.0001, 0.01])),
        ),
        (id, flags, [requests, input, output, hitRate, retryRate]) => {
          const fast = outcome(
            () => invoke(FUNCTIONS.MONTHLYCOST, [id, requests, input, output, hitRate, retryRate, flags]) as Dec | Fixed,
          );
          const [r, i, o, h, t] = [requests, input, output, hitRate, retryRate].map(fromNumber);
          const slow = outcome(() => monthlyCost(findModel(activeCatalogue(), id), r, i, o, h, t, parseMode(flags)));
          expect(fast).toBe(slow);
        },
      ),
      { numRuns: 3000 },
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

describe("CONVERSATION_COST", () => {
  const SONNET = "anthropic/claude-sonnet-4-6";
  /** Its arguments as `run` takes them. */
  type ConversationArgs = [CompiledModel, number, number, number, number, boolean, string];

  it("resends the history every turn: the guide's 10-turn agent costs 35× one turn, not 10×", () => {
    // Seed 002 ("Prompt bloat"): "A 10-turn agent with 1500 tokens of history per turn costs 10× a
    // single-turn query." Corrected: with 1,500 tokens a turn (1,200 user + 300 output) on Sonnet
    // 4.6, turn k's prompt is 1,200 k + 300 (k − 1); over 10 turns 55 × 1,200 + 45 × 300 = 79,500
    // input tokens × $3/M = 0.2385, plus 10 × 300 output × $15/M = 0.045: 0.2835.
    expect(call("CONVERSATION_COST", SONNET, 10, 1200, 300)).toBe("0.2835");
    // One turn: 1,200 × 3 + 300 × 15 = 8,100 per 1M = 0.0081; 0.2835 ÷ 0.0081 = 35.
    expect(call("CONVERSATION_COST", SONNET, 1, 1200, 300)).toBe("0.0081");
    expect(call("LLMCOST", SONNET, 1200, 300)).toBe("0.0081");
  });

  it("sends the system prompt every turn", () => {
    // 500 system, 1,000 user, 200 output: prompts 1,500, 2,700, 3,900 = 8,100 × 3 = 24,300;
    // output 600 × 15 = 9,000; (24,300 + 9,000) per 1M = 0.0333.
    expect(call("CONVERSATION_COST", SONNET, 3, 1000, 200, 500)).toBe("0.0333");
  });

  it("with cache_history reads the previous prompt and writes the rest, at the TTL's write rate", () => {
    // Turn 1 writes 1,500 × 3.75 = 5,625; turn 2 reads 1,500 × 0.30 = 450, writes 1,200 × 3.75 = 4,500;
    // turn 3 reads 2,700 × 0.30 = 810, writes 4,500; output 9,000: 24,885 per 1M.
    expect(call("CONVERSATION_COST", SONNET, 3, 1000, 200, 500, true)).toBe("0.024885");
    // … from the integer hot path.
    expect(invoke(FUNCTIONS.CONVERSATION_COST, [SONNET, 3, 1000, 200, 500, true])).toBeInstanceOf(Fixed);
    // 1-hour writes: 3,900 written × 6 = 23,400 + 4,200 read × 0.30 = 1,260 + 9,000 = 33,660.
    expect(call("CONVERSATION_COST", SONNET, 3, 1000, 200, 500, true, "cache1h")).toBe("0.03366");
    // GPT-4o writes at its input rate: 3,900 × 2.50 = 9,750 + 4,200 × 1.25 = 5,250 + 600 × 10 = 6,000.
    expect(call("CONVERSATION_COST", "openai/gpt-4o", 3, 1000, 200, 500, true)).toBe("0.021");
    // Excel's 1 is TRUE and an empty cell's 0 is FALSE.
    expect(call("CONVERSATION_COST", SONNET, 3, 1000, 200, 500, 1)).toBe("0.024885");
    expect(call("CONVERSATION_COST", SONNET, 3, 1000, 200, 500, 0)).toBe("0.0333");
  });

  it("prices each turn as its own request, at its own long-context tier", () => {
    // Gemini 2.5 Pro, 100,000 user and 1,000 output a turn: prompts 100,000, 201,000, 302,000.
    // Turn 1: 100,000 × 1.25 + 1,000 × 5 = 130,000; turns 2 and 3 are above 200k, the whole request at
    // 2.50 / 10: 502,500 + 10,000 and 755,000 + 10,000. Total 1,407,500 per 1M.
    expect(call("CONVERSATION_COST", "google/gemini-2.5-pro", 3, 100_000, 1000)).toBe("1.4075");
  });

  it("equals the sum of LLMCOST over its turns (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.nat(5000), fc.nat(2000), fc.nat(3000), (turns, user, output, system) => {
        let expected = fromNumber(0);
        for (let k = 1; k <= turns; k++) {
          const prompt = system + k * user + (k - 1) * output;
          expected = expected.plus(decimalOf(invoke(FUNCTIONS.LLMCOST, ["google/gemini-2.5-pro", prompt, output]) as Fixed));
        }
        const got = dec("CONVERSATION_COST", "google/gemini-2.5-pro", turns, user, output, system);
        expect(got.eq(expected)).toBe(true);
      }),
    );
  });

  it("costs no more with caching for models that write at the input rate and read below it (property)", () => {
    // Where writes cost more than input (Anthropic's 1.25×) the property fails: a one-turn
    // conversation only writes, 1,500 × 3.75 > 1,500 × 3. So it is stated for write = input.
    const ids = ["openai/gpt-4o", "openai/gpt-5-mini", "google/gemini-2.5-pro", "google/gemini-2.5-flash", "deepseek/deepseek-v3"];
    fc.assert(
      fc.property(
        fc.constantFrom(...ids),
        fc.integer({ min: 1, max: 20 }),
        fc.nat(20_000),
        fc.nat(2000),
        fc.nat(5000),
        (id, turns, user, output, system) => {
          const without = dec("CONVERSATION_COST", id, turns, user, output, system, false);
          const withCache = dec("CONVERSATION_COST", id, turns, user, output, system, true);
          expect(withCache.lte(without)).toBe(true);
        },
      ),
    );
  });

  it("answers from its integer hot path exactly what the decimal path answers (property)", () => {
    const ids = activeCatalogue().models.map((m) => m.id);
    const modes = ["standard", "batch", "offpeak", "cache1h", "batch cache1h"];
    fc.assert(
      fc.property(
        fc.constantFrom(...ids),
        fc.constantFrom(...modes),
        fc.integer({ min: 1, max: 40 }),
        // Whole counts take the integer path; averages (1234.5) the decimal one.
        fc.tuple(decimal(200_000, 1), decimal(20_000, 1), decimal(50_000, 1)),
        fc.boolean(),
        (id, flags, turns, [user, output, system], cacheHistory) => {
          const fast = outcome(() => dec("CONVERSATION_COST", id, turns, user, output, system, cacheHistory, flags));
          const slow = outcome(() => {
            const model = findModel(activeCatalogue(), id);
            const mode = parseMode(flags);
            if (cacheHistory) requireCacheRead(model, mode);
            const [u, o, s] = [user, output, system].map(fromNumber);
            return conversationCost(model, turns, u, o, s, cacheHistory, mode);
          });
          expect(fast).toBe(slow);
        },
      ),
      { numRuns: 1500 },
    );
  });

  it("takes the bench's examples, its GRID's axes and averages on its integer path", () => {
    const examples = [
      [SONNET, 10, 200, 400, 2_000, null, null],
      [SONNET, 20, 150, 300, 4_000, true, null],
      // The GRID 100 × 100's corners: turns 10 … 109 × user tokens 200 … 398.
      [SONNET, 109, 398, 400, 2_000, null, null],
      [SONNET, 10_000, 398, 400, 2_000, true, "cache1h"],
    ];
    for (const args of examples) expect(invoke(FUNCTIONS.CONVERSATION_COST, args)).toBeInstanceOf(Fixed);
    // Averages too: 2 turns of 0.5 user and 0.5 output tokens on Sonnet 4.6, prompts 0.5 and 1.5:
    // 2 input tokens × $3/M + 1 output token × $15/M = 0.000006 + 0.000015 = 0.000021.
    expect(call("CONVERSATION_COST", SONNET, 2, 0.5, 0.5)).toBe("0.000021");
    expect(invoke(FUNCTIONS.CONVERSATION_COST, [SONNET, 2, 0.5, 0.5])).toBeInstanceOf(Fixed);
    expect(invoke(FUNCTIONS.CONVERSATION_COST, [SONNET, 10, 1234.5, 400.25, 2_000.125, true])).toBeInstanceOf(Fixed);
    // Past Gemini 2.5 Pro's 200k threshold turn 3 on: two levels, each priced from its sums.
    expect(invoke(FUNCTIONS.CONVERSATION_COST, ["google/gemini-2.5-pro", 40, 30_000, 1_000, 5_000, true])).toBeInstanceOf(Fixed);
  });

  it("sums 10,000 turns as the decimal path does", () => {
    // Sonnet 4.6, no caching, 1 user + 1 output token a turn, no system prompt: turn k's prompt is
    // 2k − 1 tokens, so Σ prompts = 10,000² = 10^8 at $3/M = 300, plus 10,000 output × $15/M = 0.15.
    expect(call("CONVERSATION_COST", SONNET, 10_000, 1, 1)).toBe("300.15");
    const model = findModel(activeCatalogue(), SONNET);
    const args = [SONNET, 10_000, 398, 400, 2_000, true, "cache1h"];
    const slow = conversationCost(model, 10_000, fromNumber(398), fromNumber(400), fromNumber(2_000), true, parseMode("cache1h"));
    expect(held(() => invoke(FUNCTIONS.CONVERSATION_COST, args))).toBe(held(() => slow));
  });

  it("answers the double, the decimal and the error its decimal path answers, fill-series counts included (property)", () => {
    const ids = activeCatalogue().models.map((m) => m.id);
    // Gemini 2.5 Pro's 200k tier often: conversations that cross it are priced level by level.
    const id = fc.oneof(fc.constantFrom(...ids), fc.constant("google/gemini-2.5-pro"));
    const modes = ["standard", "batch", "offpeak", "cache1h", "batch cache1h", "residency", "flex", "turbo"];
    const turns = fc.oneof(
      { arbitrary: fc.integer({ min: 1, max: 40 }), weight: 10 },
      { arbitrary: fc.integer({ min: 1, max: 400 }), weight: 2 },
      { arbitrary: fc.constantFrom(0, 2.5, 10_001, -1), weight: 1 },
    );
    const tokenCount = fc.oneof(
      { arbitrary: fc.nat(300_000), weight: 4 },
      { arbitrary: decimal(300_000, 3), weight: 2 },
      { arbitrary: fillSeries([0, 200, 1500, 0.12, 150_000], [1, 2, 0.1, 0.01, 0.001, 0.005]), weight: 3 },
      // Near 2^53, where sums leave the safe integers; and values that break a rule.
      { arbitrary: fc.constantFrom(2 ** 53 - 1, 2 ** 52 + 1, 1e15, 1e-7, -1, 0), weight: 1 },
    );
    // Whole counts (the integer path's) half the time, a GRID's whole fill series among them.
    const whole = fc.oneof(fc.nat(300_000), fillSeries([0, 200, 1500, 150_000], [1, 2, 10, 500]));
    const counts = fc.oneof(fc.tuple(whole, whole, whole), fc.tuple(tokenCount, tokenCount, tokenCount));
    let fast = 0;
    fc.assert(
      fc.property(
        id,
        fc.constantFrom(...modes),
        turns,
        counts,
        fc.constantFrom(false, true, 1, 0, null),
        (model, flags, n, [user, output, system], cacheHistory) => {
          const args = [model, n, user, output, system, cacheHistory, flags];
          const got = held(() => invoke(FUNCTIONS.CONVERSATION_COST, args));
          const want = held(() => {
            const [m, t, u, o, s, c, f] = parseArgs(FUNCTIONS.CONVERSATION_COST, args) as ConversationArgs;
            const mode = parseMode(f);
            if (c) requireCacheRead(m, mode);
            return conversationCost(m, t, fromNumber(u), fromNumber(o), fromNumber(s), c, mode);
          });
          expect(got).toBe(want);
          try {
            if (invoke(FUNCTIONS.CONVERSATION_COST, args) instanceof Fixed) fast++;
          } catch {}
        },
      ),
      { numRuns: 2000 },
    );
    // The integer path answered a good share of them (exact counts, a good mode, a cache-read price: about a third).
    expect(fast).toBeGreaterThan(500);
  });

  it("rejects bad input naming the argument", () => {
    expect(call("CONVERSATION_COST", "mistral/codestral", 3, 1000, 200, 0, true)).toBe(
      "VALUE: cache_history: mistral/codestral has no cache_read price",
    );
    // Even a single turn, which reads nothing, says so.
    expect(call("CONVERSATION_COST", "mistral/codestral", 1, 1000, 200, 0, true)).toBe(
      "VALUE: cache_history: mistral/codestral has no cache_read price",
    );
    expect(call("CONVERSATION_COST", SONNET, 0, 1000, 200)).toBe("VALUE: turns: must be ≥ 1");
    expect(call("CONVERSATION_COST", SONNET, 2.5, 1000, 200)).toBe("VALUE: turns: must be a whole number");
    expect(call("CONVERSATION_COST", SONNET, 10_001, 1000, 200)).toBe("VALUE: turns: must be ≤ 10000");
    expect(call("CONVERSATION_COST", SONNET, 3, -1, 200)).toBe("VALUE: user_tokens: must be ≥ 0");
    expect(call("CONVERSATION_COST", SONNET, 3, 1000, -1)).toBe("VALUE: output_tokens: must be ≥ 0");
    expect(call("CONVERSATION_COST", SONNET, 3, 1000, 200, -1)).toBe("VALUE: system_tokens: must be ≥ 0");
    expect(call("CONVERSATION_COST", SONNET, 3, 1000, 200, 0, "yes")).toBe('VALUE: cache_history: must be TRUE or FALSE, got text "yes"');
    expect(call("CONVERSATION_COST", SONNET, 3, 1000, 200, 0, false, "turbo")).toBe(
      'VALUE: mode: unknown flag "turbo" (use standard, batch, flex, priority, offpeak, cache1h or residency)',
    );
    expect(call("CONVERSATION_COST", "mistral/codestral", 3, 1000, 200, 0, false, "batch")).toBe(
      "VALUE: mode: mistral/codestral has no batch variant",
    );
  });
});

describe("TOKENCOST", () => {
  it("prices a request at the prices given", () => {
    // 1,500 × $3 + 300 × $15 per 1M = 4,500 + 4,500 = 9,000 per 1M = 0.009.
    expect(call("TOKENCOST", 1500, 300, 3, 15)).toBe("0.009");
    // 6,000 uncached × 2.5 + 6,000 cached × 1.25 + 800 × 10 = 15,000 + 7,500 + 8,000 = 30,500 per 1M.
    expect(call("TOKENCOST", 12_000, 800, 2.5, 10, 6_000, 1.25)).toBe("0.0305");
    expect(call("TOKENCOST", 1000, 100, 3, 15, 1001, 1)).toBe("VALUE: cached_tokens: must not exceed input_tokens");
  });

  it("answers from its integer path exactly what the decimal path answers, errors included (property)", () => {
    const count = fc.oneof(
      fc.tuple(fc.nat(50_000_000), fc.integer({ min: 0, max: 3 })).map(([n, p]) => n / 10 ** p),
      fc.double({ min: 0, max: 1e9, noNaN: true }),
      fc.constantFrom(0, -0, 1e-7, 2 ** 53, 1e20, -1, "many", true),
    );
    const price = fc.oneof(
      fc.tuple(fc.nat(200_000), fc.integer({ min: 0, max: 6 })).map(([n, p]) => n / 10 ** p),
      fc.constantFrom(0, 0.1 + 0.2, 0.0000001, 0.6000000000000001, 1e21, 1e-30, -1, "free"),
    );
    fc.assert(
      fc.property(count, count, price, price, fc.oneof(fc.constant(null), count), fc.oneof(fc.constant(null), price), (...args) => {
        const slow = held(() => {
          const [i, o, pi, po, c, pc] = parseArgs(FUNCTIONS.TOKENCOST, args) as (number | undefined)[];
          const d = (n: number | undefined) => fromNumber(n!);
          return tokenCost(d(i), d(o), d(pi), d(po), d(c), pc === undefined ? undefined : d(pc));
        });
        expect(held(() => invoke(FUNCTIONS.TOKENCOST, args))).toBe(slow);
      }),
      { numRuns: 3_000 },
    );
  });

  it("takes the bench's requests", () => {
    expect(invoke(FUNCTIONS.TOKENCOST, [1500, 300, 3, 15, null, null])).toBeInstanceOf(Fixed);
    expect(invoke(FUNCTIONS.TOKENCOST, [12_000, 800, 2.5, 10, 6_000, 1.25])).toBeInstanceOf(Fixed);
  });
});

describe("ROUTECOST", () => {
  const SONNET = "anthropic/claude-sonnet-4-6";
  const col = (...cells: unknown[]) => cells.map((c) => [c]);
  /** ROUTECOST's arguments as `run` takes them (BLENDEDCOST's are the first four). */
  type RouteArgs = [unknown[][], unknown[][], number, number, unknown[][] | undefined, number];

  it("takes the bench's mixes on its integer path, a row of cells too", () => {
    const mixes = [
      [col(SONNET, "openai/o3-mini"), col(0.8, 0.2), 2_000, 400, col("low", "medium"), 0.0001],
      [col("openai/gpt-4o", "openai/gpt-4o-mini"), col(0.3, 0.7), 1_500, 300, null, null],
      [[[SONNET, "openai/o3-mini"]], [[0.8, 0.2]], 2_000, 400, [["low", "medium"]], 0.0001],
    ];
    for (const args of mixes) expect(invoke(FUNCTIONS.ROUTECOST, args)).toBeInstanceOf(Fixed);
    expect(String(invoke(FUNCTIONS.ROUTECOST, mixes[2]))).toBe(String(invoke(FUNCTIONS.ROUTECOST, mixes[0])));
  });

  it("prices each model's request with its thinking tokens, plus the router", () => {
    // Sonnet 4.6, 500 in / 800 out, no thinking: 1,500 + 12,000 = 13,500 per 1M = 0.0135.
    // o3 at medium effort (2,000 thinking tokens at the output rate): 500 × 15 + 2,800 × 60 = 175,500 → 0.1755.
    // 0.7 × 0.0135 + 0.3 × 0.1755 = 0.00945 + 0.05265 = 0.0621; + 0.0005 router = 0.0626.
    expect(call("ROUTECOST", col(SONNET, "openai/o3"), col(0.7, 0.3), 500, 800, col("", "medium"), 0.0005)).toBe("0.0626");
    // … and the integer hot path is the one that answers it, BLENDEDCOST's too.
    expect(invoke(FUNCTIONS.ROUTECOST, [col(SONNET, "openai/o3"), col(0.7, 0.3), 500, 800, col("", "medium"), 0.0005])).toBeInstanceOf(
      Fixed,
    );
    expect(invoke(FUNCTIONS.BLENDEDCOST, [col(SONNET, "openai/o3"), col(0.7, 0.3), 500, 800])).toBeInstanceOf(Fixed);
    expect(call("ROUTECOST", col(SONNET, "openai/o3"), col(0.7, 0.3), 500, 800, col(null, 2000))).toBe("0.0621");
    // No thinking at all is BLENDEDCOST.
    expect(call("ROUTECOST", col(SONNET, "openai/o3"), col(0.7, 0.3), 500, 800)).toBe(
      call("BLENDEDCOST", col(SONNET, "openai/o3"), col(0.7, 0.3), 500, 800),
    );
  });

  it("shows the guide's routing saves far more than its 80%", () => {
    // Seed 002's mix, 70% easy / 25% medium / 5% hard, on its Example 3 shape (800 in, 500 visible):
    // easy on Sonnet 4.6: 800 × 3 + 500 × 15 = 9,900 → 0.0099;
    // medium on DeepSeek R1 (4,000 thinking): 800 × 0.55 + 4,500 × 2.19 = 440 + 9,855 → 0.010295;
    // hard on o3 high (8,000): 800 × 15 + 8,500 × 60 = 12,000 + 510,000 → 0.522.
    // 0.7 × 0.0099 + 0.25 × 0.010295 + 0.05 × 0.522 = 0.00693 + 0.00257375 + 0.0261 = 0.03560375.
    const models = col(SONNET, "deepseek/deepseek-r1", "openai/o3");
    const mix = dec("ROUTECOST", models, col(0.7, 0.25, 0.05), 800, 500, col(null, "medium", "high"));
    expect(mix.toString()).toBe("0.03560375");
    const allHard = dec("ROUTECOST", models, col(0, 0, 1), 800, 500, col(null, "medium", "high"));
    expect(allHard.toString()).toBe("0.522");
    // The guide: routing "saves 80%+ of reasoning-model cost"; its own mix (0.036 vs 1.00) saves
    // 96.4%, and at reference prices 1 − 0.03560375 ÷ 0.522 = 93.18…%: the 80% understates it.
    expect(ONE.minus(mix.div(allHard)).toFixed(4)).toBe("0.9318");
  });

  it("with one model at share 1 equals that model's REASONINGCOST (property)", () => {
    const reasoners = ["openai/o3", "openai/o3-mini", "deepseek/deepseek-r1", "anthropic/claude-opus-4", "google/gemini-2.5-pro"];
    fc.assert(
      fc.property(
        fc.constantFrom(...reasoners),
        fc.nat(300_000),
        fc.nat(20_000),
        fc.oneof(fc.constantFrom("low", "medium", "high"), fc.nat(30_000)),
        (id, input, output, thinking) => {
          const routed = dec("ROUTECOST", [[id]], [[1]], input, output, [[thinking]]);
          expect(routed.eq(dec("REASONINGCOST", id, input, output, thinking))).toBe(true);
        },
      ),
    );
  });

  it("answers from its integer hot path exactly what the decimal path answers, BLENDEDCOST's too (property)", () => {
    const ids = activeCatalogue().models.map((m) => m.id);
    const thinkingCell = fc.oneof(fc.constantFrom(null, "", "low", "medium", "high", -1, true), decimal(30_000, 1));
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 3 })
          .chain((n) =>
            fc.tuple(
              fc.array(fc.constantFrom(...ids), { minLength: n, maxLength: n }),
              sharesOf(n),
              fc.option(fc.array(thinkingCell, { minLength: n, maxLength: n })),
            ),
          ),
        fc.tuple(decimal(500_000, 1), decimal(30_000, 1), fc.oneof(fc.constant(null), decimal(1_000, 6))),
        ([models, shares, thinking], [input, output, router]) => {
          const [m, s, t] = [models, shares, thinking ?? undefined].map((cells) => cells && col(...cells));
          const [i, o] = [input, output].map(fromNumber);
          const fast = outcome(() => dec("ROUTECOST", m, s, input, output, t ?? null, router));
          const slow = outcome(() => routeCost(m!, s!, i, o, t, fromNumber(router ?? 0)));
          expect(fast).toBe(slow);
          const blended = outcome(() => dec("BLENDEDCOST", m, s, input, output));
          expect(blended).toBe(outcome(() => blendedCost(m!, s!, i, o)));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("takes BLENDEDCOST's bench examples and its GRID's axes on its integer path", () => {
    const examples = [
      [col(SONNET, "openai/gpt-4o"), col(0.7, 0.3), 1500, 300],
      [col("google/gemini-2.5-flash", "openai/gpt-4o-mini"), col(0.5, 0.5), 4000, 800],
      // The GRID 100 × 100's far corner: input 1,500 … 2,490 × output 300 … 498.
      [col(SONNET, "openai/gpt-4o"), col(0.7, 0.3), 2490, 498],
    ];
    for (const args of examples) expect(invoke(FUNCTIONS.BLENDEDCOST, args)).toBeInstanceOf(Fixed);
    // Sonnet 4.6 1,500 × 3 + 300 × 15 = 9,000 per 1M; GPT-4o 1,500 × 2.5 + 300 × 10 = 6,750:
    // 0.7 × 9,000 + 0.3 × 6,750 = 8,325 per 1M = 0.008325.
    expect(call("BLENDEDCOST", ...examples[0])).toBe("0.008325");
  });

  it("reads a mix again when its cells change in place or the catalogue changes", () => {
    const models = col(SONNET, "openai/gpt-4o");
    const shares = col(0.7, 0.3);
    expect(call("BLENDEDCOST", models, shares, 1500, 300)).toBe("0.008325");
    // The same arrays, other shares: 0.3 × 9,000 + 0.7 × 6,750 = 7,425 per 1M.
    shares[0][0] = 0.3;
    shares[1][0] = 0.7;
    expect(call("BLENDEDCOST", models, shares, 1500, 300)).toBe("0.007425");
    // Another model in place: GPT-4o mini, 1,500 × 0.15 + 300 × 0.6 = 405; 0.3 × 9,000 + 0.7 × 405 = 2,983.5.
    models[1][0] = "openai/gpt-4o-mini";
    expect(call("BLENDEDCOST", models, shares, 1500, 300)).toBe("0.0029835");
    // A name that no longer resolves fails as the decimal path fails, not from memory.
    models[1][0] = "openai/gpt-4o-mimi";
    expect(call("BLENDEDCOST", models, shares, 1500, 300)).toMatch(/^NA: unknown model "openai\/gpt-4o-mimi"/);
    // The same cells under a catalogue whose Sonnet 4.6 costs twice as much: 0.3 × 18,000 + 0.7 × 6,750 = 10,125.
    models[1][0] = "openai/gpt-4o";
    const data: CatalogueInput = structuredClone(referenceCatalogue().data);
    const sonnet = data.models.find((m) => m.id === SONNET)!;
    sonnet.prices = { ...sonnet.prices, input: "6", output: "30" };
    try {
      setActiveCatalogue(compileCatalogue(data));
      expect(call("BLENDEDCOST", models, shares, 1500, 300)).toBe("0.010125");
    } finally {
      setActiveCatalogue(referenceCatalogue());
    }
    expect(call("BLENDEDCOST", models, shares, 1500, 300)).toBe("0.007425");
  });

  it("answers the double, the decimal and the error its decimal path answers, fill series and reused ranges included (property)", () => {
    const ids = activeCatalogue().models.map((m) => m.id);
    const thinkingCell = fc.oneof(fc.constantFrom(null, "", "low", "medium", "high", -1, true), decimal(30_000, 1));
    // Two shares from a fill series (0.35 + i × 0.005 and its complement): 17 digits, summing to 1 within float noise.
    const noisyShares = fillSeries([0.35, 0.5, 0.12], [0.005, 0.001, 0.01]).map((x) => [x, 1 - x]);
    const tokenCount = fc.oneof(
      { arbitrary: fc.nat(500_000), weight: 4 },
      { arbitrary: decimal(500_000, 3), weight: 1 },
      { arbitrary: fillSeries([1500, 300, 0.12], [10, 2, 0.1, 0.001]), weight: 2 },
      { arbitrary: fc.constantFrom(2 ** 53 - 1, 1e15, -1, 0), weight: 1 },
    );
    // The ranges of the last run, reused (changed in place) now and then, as a sheet's cells are.
    let last: { models: unknown[][]; shares: unknown[][] } | undefined;
    let fast = 0;
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 4 })
          .chain((n) =>
            fc.tuple(
              fc.array(fc.constantFrom(...ids), { minLength: n, maxLength: n }),
              n === 2 ? fc.oneof(sharesOf(n), noisyShares) : sharesOf(n),
              fc.option(fc.array(thinkingCell, { minLength: n, maxLength: n })),
            ),
          ),
        fc.tuple(tokenCount, tokenCount, fc.oneof(fc.constant(null), decimal(1_000, 6))),
        fc.boolean(),
        ([names, shareValues, thinking], [input, output, router], reuse) => {
          let models = col(...names);
          let shares = col(...shareValues);
          if (reuse && last && last.models.length === names.length) {
            names.forEach((name, i) => {
              last!.models[i][0] = name;
              last!.shares[i][0] = shareValues[i];
            });
            ({ models, shares } = last);
          }
          last = { models, shares };
          const routeArgs = [models, shares, input, output, thinking ? col(...thinking) : null, router];
          const routed = held(() => invoke(FUNCTIONS.ROUTECOST, routeArgs));
          expect(routed).toBe(
            held(() => {
              const [m, s, i, o, t, r] = parseArgs(FUNCTIONS.ROUTECOST, routeArgs) as RouteArgs;
              return routeCost(m, s, fromNumber(i), fromNumber(o), t, fromNumber(r));
            }),
          );
          const blendArgs = [models, shares, input, output];
          const blended = () => invoke(FUNCTIONS.BLENDEDCOST, blendArgs);
          expect(held(blended)).toBe(
            held(() => {
              const [m, s, i, o] = parseArgs(FUNCTIONS.BLENDEDCOST, blendArgs) as RouteArgs;
              return blendedCost(m, s, fromNumber(i), fromNumber(o));
            }),
          );
          try {
            if (blended() instanceof Fixed) fast++;
          } catch {}
        },
      ),
      { numRuns: 2000 },
    );
    expect(fast).toBeGreaterThan(400);
  });

  it("rejects bad input naming the argument", () => {
    expect(call("ROUTECOST", col(SONNET, "openai/gpt-4o"), col(0.5, 0.5), 500, 800, col("high", "high"))).toBe(
      "VALUE: thinking: openai/gpt-4o has no reasoning-effort defaults in the catalogue; give a number of thinking tokens",
    );
    expect(call("ROUTECOST", col(SONNET, "openai/o3"), col(0.5, 0.5), 500, 800, col("high"))).toBe(
      "VALUE: thinking: must be as many as models (2 models, 1 cells)",
    );
    expect(call("ROUTECOST", col(SONNET, "openai/o3"), col(0.5, 0.5), 500, 800, col("extreme", 1))).toBe(
      'VALUE: thinking: must be low, medium, high or a number of thinking tokens, got "extreme"',
    );
    expect(call("ROUTECOST", col(SONNET, "openai/o3"), col(0.5, 0.5), 500, 800, col(-1, 1))).toBe("VALUE: thinking: must be ≥ 0");
    expect(call("ROUTECOST", col(SONNET, "openai/o3"), col(0.5, 0.4), 500, 800)).toBe("VALUE: shares: must sum to 1");
    expect(call("ROUTECOST", col(SONNET), col(0.5, 0.5), 500, 800)).toBe("VALUE: shares: must be as many as models (1 models, 2 shares)");
    expect(call("ROUTECOST", col(SONNET), col(1), -1, 800)).toBe("VALUE: input_tokens: must be ≥ 0");
    expect(call("ROUTECOST", col(SONNET), col(1), 500, -1)).toBe("VALUE: output_tokens: must be ≥ 0");
    expect(call("ROUTECOST", col(SONNET), col(1), 500, 800, null, -0.01)).toBe("VALUE: router_cost: must be ≥ 0");
    expect(call("ROUTECOST", col("claude-sonet-4-6"), col(1), 500, 800)).toMatch(/^NA: unknown model "claude-sonet-4-6"/);
  });
});
