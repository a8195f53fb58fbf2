import { referenceCatalogue } from "../../../test/reference";
import { afterEach, describe, expect, it } from "vitest";
import fc from "fast-check";
import { FUNCTIONS, Fixed, invoke } from "../src";
import { type CompiledModel, activeCatalogue, compileCatalogue, setActiveCatalogue } from "../src/catalogue";
import { fromNumber } from "../src/decimal";
import { budgetCost, reasoningCost } from "../src/reasoning";
import { parseArgs } from "../src/sheet";
import { call, dec, held } from "./call";

describe("THINKING_TOKENS", () => {
  it("answers the catalogue's effort defaults", () => {
    // Reference catalogue, "Reasoning effort defaults": o3 500 / 2,000 / 8,000.
    expect(call("THINKING_TOKENS", "openai/o3", "low")).toBe("500");
    expect(call("THINKING_TOKENS", "openai/o3", "medium")).toBe("2000");
    expect(call("THINKING_TOKENS", "o3", " High ")).toBe("8000");
    expect(call("THINKING_TOKENS", "deepseek/deepseek-r1", "high")).toBe("4000");
    expect(call("THINKING_TOKENS", "anthropic/claude-opus-4", "high")).toBe("16000");
  });

  it("rejects a model without defaults and an unknown effort", () => {
    expect(call("THINKING_TOKENS", "openai/gpt-4o", "high")).toBe(
      "VALUE: model: openai/gpt-4o has no reasoning-effort defaults in the catalogue",
    );
    expect(call("THINKING_TOKENS", "openai/o3", "max")).toBe('VALUE: effort: must be low, medium or high, got "max"');
    expect(call("THINKING_TOKENS", "openai/o3", 2)).toBe("VALUE: effort: must be text, got number");
    expect(call("THINKING_TOKENS", "openai/o3")).toBe("VALUE: effort: is required");
    expect(call("THINKING_TOKENS", "o4", "low")).toMatch(/^NA: unknown model "o4"/);
  });
});

describe("REASONINGCOST", () => {
  it("prices the seed's effort table (1k input, 500 visible output)", () => {
    // o3 at $15 / $60: low 1,000 × 15 + (500 + 500) × 60 = 0.015 + 0.06 = 0.075; medium
    // + 2,500 × 60 → 0.165; high + 8,500 × 60 → 0.525 (seed 002, "Reasoning effort tiers").
    expect(call("REASONINGCOST", "openai/o3", 1000, 500, "low")).toBe("0.075");
    expect(call("REASONINGCOST", "openai/o3", 1000, 500, "medium")).toBe("0.165");
    expect(call("REASONINGCOST", "openai/o3", 1000, 500, "high")).toBe("0.525");
    // Opus at $15 / $75, 2,000 thinking: 0.015 + 2,500 × 75 / 1M = 0.2025. The seed's $0.165 bills
    // Opus's thinking at $60, o3's output rate; its 12,000-token row ($0.945) fits neither rate:
    // 0.015 + 12,500 × 75 / 1M = 0.9525.
    expect(call("REASONINGCOST", "anthropic/claude-opus-4", 1000, 500, "low")).toBe("0.2025");
    expect(call("REASONINGCOST", "anthropic/claude-opus-4", 1000, 500, 12000)).toBe("0.9525");
    // DeepSeek R1, 4,000 thinking: 1,000 × 0.55 + 4,500 × 2.19 = 0.00055 + 0.009855; the seed's
    // $0.0099 leaves out the input.
    expect(call("REASONINGCOST", "deepseek/deepseek-r1", 1000, 500, "medium")).toBe("0.010405");
  });

  it("prices the seed's worked examples 1 and 3", () => {
    // Example 1: o3 with 4,500 thinking: 500 × 15 + 5,300 × 60 = 0.0075 + 0.318 (the seed rounds
    // to $0.326); Sonnet 4.6 with none: 500 × 3 + 800 × 15 = 0.0135.
    expect(call("REASONINGCOST", "openai/o3", 500, 800, 4500)).toBe("0.3255");
    expect(call("REASONINGCOST", "anthropic/claude-sonnet-4-6", 500, 800, 0)).toBe("0.0135");
    // Example 3, 800 input and 500 visible: o3 high 800 × 15 + 12,500 × 60 = 0.762, medium
    // 4,000 × 60 → 0.252, low 1,300 × 60 → 0.09; R1 800 × 0.55 + 4,500 × 2.19 = 0.010295;
    // Opus 9,500 × 75 → 0.7245; Gemini 2.5 Pro 800 × 1.25 + 5,500 × 5 = 0.0285.
    expect(call("REASONINGCOST", "openai/o3", 800, 500, 12000)).toBe("0.762");
    expect(call("REASONINGCOST", "openai/o3", 800, 500, 3500)).toBe("0.252");
    expect(call("REASONINGCOST", "openai/o3", 800, 500, 800)).toBe("0.09");
    expect(call("REASONINGCOST", "deepseek/deepseek-r1", 800, 500, 4000)).toBe("0.010295");
    expect(call("REASONINGCOST", "anthropic/claude-opus-4", 800, 500, 9000)).toBe("0.7245");
    expect(call("REASONINGCOST", "google/gemini-2.5-pro", 800, 500, 5000)).toBe("0.0285");
  });

  it("applies mode flags and the long-context tier as LLMCOST does", () => {
    // Batch halves every o3 component: 0.525 ÷ 2.
    expect(call("REASONINGCOST", "openai/o3", 1000, 500, "high", "batch")).toBe("0.2625");
    // Off-peak R1 lists input 0.28 and output 1.10 and no reasoning price, so thinking bills at the
    // off-peak output rate: 1,000 × 0.28 + 4,500 × 1.10 = 0.00028 + 0.00495.
    expect(call("REASONINGCOST", "deepseek/deepseek-r1", 1000, 500, "medium", "offpeak")).toBe("0.00523");
    // A 300k prompt puts Gemini 2.5 Pro's whole request at 2.50 / 10: 0.75 + 3,500 × 10 / 1M.
    expect(call("REASONINGCOST", "google/gemini-2.5-pro", 300_000, 500, "medium")).toBe("0.785");
  });

  it("rejects bad input with the contract's errors", () => {
    expect(call("REASONINGCOST", "openai/gpt-4o", 1000, 500, "high")).toBe(
      "VALUE: effort_or_thinking_tokens: openai/gpt-4o has no reasoning-effort defaults in the catalogue; give a number of thinking tokens",
    );
    expect(call("REASONINGCOST", "openai/o3", 1000, 500, "2000")).toBe(
      'VALUE: effort_or_thinking_tokens: must be low, medium, high or a number of thinking tokens, got "2000"',
    );
    expect(call("REASONINGCOST", "openai/o3", 1000, 500, -1)).toBe("VALUE: effort_or_thinking_tokens: must be ≥ 0");
    expect(call("REASONINGCOST", "openai/o3", 1000, 500, true)).toBe("VALUE: effort_or_thinking_tokens: must be a number, got TRUE");
    expect(call("REASONINGCOST", "openai/o3", 1000, 500)).toBe("VALUE: effort_or_thinking_tokens: is required");
    expect(call("REASONINGCOST", "openai/o3", -1, 500, "low")).toBe("VALUE: input_tokens: must be ≥ 0");
    expect(call("REASONINGCOST", "openai/o3", 1000, -5, "low")).toBe("VALUE: visible_output_tokens: must be ≥ 0");
    expect(call("REASONINGCOST", "openai/o3", 1000, 500, "low", "turbo")).toBe(
      'VALUE: mode: unknown flag "turbo" (use standard, batch, flex, priority, offpeak, cache1h or residency)',
    );
    expect(call("REASONINGCOST", "deepseek/deepseek-r1", 1000, 500, "low", "batch")).toBe(
      "VALUE: mode: deepseek/deepseek-r1 has no batch variant",
    );
    expect(call("REASONINGCOST", "o-three", 1000, 500, "low")).toMatch(/^NA: unknown model "o-three"/);
  });

  it("is LLMCOST with the thinking tokens as reasoning tokens (property)", () => {
    fc.assert(
      fc.property(fc.nat(1_000_000), fc.nat(100_000), fc.nat(100_000), (input, visible, thinking) => {
        const viaReasoning = dec("REASONINGCOST", "anthropic/claude-sonnet-4-6", input, visible, thinking);
        const viaLlmcost = invoke(FUNCTIONS.LLMCOST, ["anthropic/claude-sonnet-4-6", input, visible, 0, 0, thinking]);
        expect(viaReasoning.toString()).toBe(String(viaLlmcost));
      }),
    );
  });

  it("never falls as thinking tokens grow (property)", () => {
    fc.assert(
      fc.property(fc.nat(300_000), fc.nat(50_000), fc.nat(100_000), fc.nat(100_000), (input, visible, a, b) => {
        const [less, more] = a <= b ? [a, b] : [b, a];
        const cost = (t: number) => dec("REASONINGCOST", "google/gemini-2.5-pro", input, visible, t);
        expect(cost(less).lte(cost(more))).toBe(true);
      }),
    );
  });
});

describe("BUDGETCOST", () => {
  it("prices the seed's example 2 (Opus, thinking budget 8,000)", () => {
    // Worst case: 2,000 × 15 + 1,500 × 75 + 8,000 × 75 = 0.03 + 0.1125 + 0.6 = 0.7425 (seed:
    // "$0.74"). At the default 75%: 6,000 thinking → 0.03 + 0.1125 + 0.45 = 0.5925.
    expect(call("BUDGETCOST", "anthropic/claude-opus-4", 2000, 1500, 8000, 1)).toBe("0.7425");
    expect(call("BUDGETCOST", "anthropic/claude-opus-4", 2000, 1500, 8000)).toBe("0.5925");
    expect(call("BUDGETCOST", "anthropic/claude-opus-4", 2000, 1500, 8000, 0.5)).toBe("0.4425");
    // Without thinking: 0.03 + 0.1125 = 0.1425 (seed: "$0.143 — five times cheaper").
    expect(call("BUDGETCOST", "anthropic/claude-opus-4", 2000, 1500, 0)).toBe("0.1425");
  });

  it("rejects bad input with the contract's errors", () => {
    expect(call("BUDGETCOST", "anthropic/claude-opus-4", 2000, 1500, 8000, 1.5)).toBe("VALUE: expected_use: must be ≤ 1");
    expect(call("BUDGETCOST", "anthropic/claude-opus-4", 2000, 1500, 8000, -0.1)).toBe("VALUE: expected_use: must be ≥ 0");
    expect(call("BUDGETCOST", "anthropic/claude-opus-4", 2000, 1500, -1)).toBe("VALUE: thinking_budget: must be ≥ 0");
    expect(call("BUDGETCOST", "anthropic/claude-opus-4", 2000, 1500)).toBe("VALUE: thinking_budget: is required");
    expect(call("BUDGETCOST", "claude-opus-9", 2000, 1500, 8000)).toMatch(/^NA: unknown model "claude-opus-9"/);
  });

  it("never falls as the budget or its expected use grows, and use 1 is REASONINGCOST (property)", () => {
    const use = fc.integer({ min: 0, max: 100 }).map((k) => k / 100);
    fc.assert(
      fc.property(fc.nat(100_000), fc.nat(50_000), fc.nat(64_000), fc.nat(64_000), use, use, (input, visible, a, b, u, v) => {
        const cost = (budget: number, expected: number) => dec("BUDGETCOST", "anthropic/claude-opus-4", input, visible, budget, expected);
        expect(cost(Math.min(a, b), u).lte(cost(Math.max(a, b), u))).toBe(true);
        expect(cost(a, Math.min(u, v)).lte(cost(a, Math.max(u, v)))).toBe(true);
        expect(cost(a, 1).eq(dec("REASONINGCOST", "anthropic/claude-opus-4", input, visible, a))).toBe(true);
      }),
    );
  });
});

describe("a model without an output price", () => {
  afterEach(() => setActiveCatalogue(referenceCatalogue()));

  it("is an error naming the reasoning functions' own arguments", () => {
    // An input-only entry (as a refreshed feed may hold): visible output and thinking tokens both
    // need the output rate (thinking bills at it, functions.md "Prices and variants").
    const data = referenceCatalogue().data;
    const inputOnly = { id: "x/input-only", provider: "x", name: "Input only", prices: { input: "1" } };
    setActiveCatalogue(compileCatalogue({ ...data, models: [...data.models, inputOnly] }));
    expect(call("REASONINGCOST", "x/input-only", 1000, 500, 0)).toBe("VALUE: visible_output_tokens: x/input-only has no output price");
    expect(call("REASONINGCOST", "x/input-only", 1000, 0, 300)).toBe("VALUE: effort_or_thinking_tokens: x/input-only has no output price");
    expect(call("BUDGETCOST", "x/input-only", 1000, 0, 4000)).toBe("VALUE: thinking_budget: x/input-only has no output price");
    // Input alone needs no output price: 1,000 × $1/M.
    expect(call("REASONINGCOST", "x/input-only", 1000, 0, 0)).toBe("0.001");
  });
});

/** Token counts as a workbook holds them (0–3 decimals, the long-context thresholds) and as a hostile one does. */
const COUNT = fc.oneof(
  fc.tuple(fc.nat(3_000_000), fc.integer({ min: 0, max: 3 })).map(([n, p]) => n / 10 ** p),
  fc.double({ min: 0, max: 1e7, noNaN: true }),
  fc.constantFrom(0, -0, 200_000, 200_001, 272_000, 272_001, 1e-7, 2 ** 53, 1e300, -1, "many", true),
);
const MODES = fc.constantFrom(
  null,
  "standard",
  "batch",
  "offpeak",
  "flex",
  "priority",
  "batch offpeak",
  "turbo",
  "cache1h",
  "residency",
  "batch, residency",
);

describe("REASONINGCOST's and BUDGETCOST's integer path (LLMCOST's)", () => {
  const ids = activeCatalogue().models.map((m) => m.id);

  it("REASONINGCOST answers exactly what its decimal path answers, errors included (property)", () => {
    const thinking = fc.oneof(fc.constantFrom("low", "medium", " High ", "extreme", "2000", -1, -0.5, Number.NaN), COUNT);
    fc.assert(
      fc.property(fc.constantFrom(...ids, "o-three"), COUNT, COUNT, thinking, MODES, (id, input, visible, given, mode) => {
        const args = [id, input, visible, given, mode];
        const slow = held(() => {
          const [model, i, v, g, flags] = parseArgs(FUNCTIONS.REASONINGCOST, args) as [
            CompiledModel,
            number,
            number,
            number | string,
            string,
          ];
          return reasoningCost(model, fromNumber(i), fromNumber(v), g, flags);
        });
        expect(held(() => invoke(FUNCTIONS.REASONINGCOST, args))).toBe(slow);
      }),
      { numRuns: 3_000 },
    );
  });

  it("BUDGETCOST answers exactly what its decimal path answers, errors included (property)", () => {
    // Uses as typed (0.4, 0.125), with float noise (0.1 + 0.2, 1/3, 0.7 × 3), and out of range.
    const use = fc.oneof(
      fc.integer({ min: 0, max: 1000 }).map((k) => k / 1000),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.constantFrom(null, 0.1 + 0.2, 1 / 3, 0.7 * 3 - 1.4, 1e-9, 1, 1.5, -0.1, "most"),
    );
    fc.assert(
      fc.property(fc.constantFrom(...ids, "claude-opus-9"), COUNT, COUNT, COUNT, use, (id, input, visible, budget, expected) => {
        const args = [id, input, visible, budget, expected];
        const slow = held(() => {
          const [model, i, v, b, u] = parseArgs(FUNCTIONS.BUDGETCOST, args) as [CompiledModel, number, number, number, number];
          return budgetCost(model, fromNumber(i), fromNumber(v), fromNumber(b), fromNumber(u));
        });
        expect(held(() => invoke(FUNCTIONS.BUDGETCOST, args))).toBe(slow);
      }),
      { numRuns: 3_000 },
    );
  });

  it("prices a thinking count whose double is not budget × use as budget × use (85047.61320067445 is read back …444)", () => {
    // Sonar's whole-dollar prices keep a 16-digit count within the integer path's reach; the
    // integer path leaves it (its double is not the product), the wide path takes the exact product.
    const args = ["perplexity/sonar", 0, 0, 170095.2264013489, 0.5];
    const result = invoke(FUNCTIONS.BUDGETCOST, args);
    // 85,047.61320067445 thinking tokens × $1/M + the $5 per 1,000 requests fee.
    expect(String(result)).toBe("0.09004761320067445");
    const model = activeCatalogue().models.find((m) => m.id === "perplexity/sonar")!;
    const slow = () => budgetCost(model, fromNumber(0), fromNumber(0), fromNumber(170095.2264013489), fromNumber(0.5));
    expect(held(() => result)).toBe(held(slow));
  });

  it("takes the bench's requests", () => {
    expect(invoke(FUNCTIONS.REASONINGCOST, ["openai/o3", 5_000, 800, "medium", null])).toBeInstanceOf(Fixed);
    expect(invoke(FUNCTIONS.REASONINGCOST, ["openai/o3-mini", 2_000, 400, 3_000, "batch"])).toBeInstanceOf(Fixed);
    expect(invoke(FUNCTIONS.BUDGETCOST, ["anthropic/claude-opus-4", 5_000, 800, 16_000, null])).toBeInstanceOf(Fixed);
    expect(invoke(FUNCTIONS.BUDGETCOST, ["anthropic/claude-sonnet-4-6", 3_000, 500, 8_000, 0.4])).toBeInstanceOf(Fixed);
  });
});
