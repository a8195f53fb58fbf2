import { afterEach, describe, expect, it } from "vitest";
import { FUNCTIONS, invoke } from "../src";
import { activate, applyOverlay, bundledCatalogue, parseOverlay, setActiveCatalogue } from "../src/catalogue";

const bundled = bundledCatalogue().data;
const byId = (c: typeof bundled, id: string) => c.models.find((m) => m.id === id)!;

afterEach(() => setActiveCatalogue(bundledCatalogue()));

describe("an organisation's overlay", () => {
  const overlay = parseOverlay({
    format: "tokenledger-overlay/1",
    name: "Acme negotiated rates",
    rules: [
      { provider: "anthropic", discount_percent: "15" },
      { model: "anthropic/claude-opus-4", prices: { input: "10" } },
      { provider: "google", discount_percent: "10", components: ["input"] },
      { model: "openai/gpt-9", discount_percent: "50" },
    ],
  });
  const { catalogue, overridden, unmatched } = applyOverlay(bundled, overlay);

  it("takes a percentage off every price list of a provider's models", () => {
    // Sonnet 4.6 (reference catalogue): 3 / 15 / 0.30 / 3.75 / 6, less 15 %: × 0.85.
    expect(byId(catalogue, "anthropic/claude-sonnet-4-6").prices).toEqual({
      input: "2.55",
      output: "12.75",
      cache_read: "0.255",
      cache_write: "3.1875",
      cache_write_1h: "5.1",
    });
    expect(overridden.get("anthropic/claude-sonnet-4-6")).toEqual(["input", "output", "cache_read", "cache_write", "cache_write_1h"]);
  });

  it("lets a model rule win over its provider's, with explicit prices", () => {
    // Opus 4: the model rule replaces input (15 → 10) and, being more specific, the 15 % off does not apply.
    const public_ = byId(bundled, "anthropic/claude-opus-4");
    expect(byId(catalogue, "anthropic/claude-opus-4").prices).toEqual({ ...public_.prices, input: "10" });
    expect(overridden.get("anthropic/claude-opus-4")).toEqual(["input"]);
  });

  it("limits a discount to the components it names, tiers included", () => {
    // Gemini 2.5 Pro: input 1.25 → 1.125, the >200k tier's input 2.50 → 2.25; output untouched.
    const pro = byId(catalogue, "google/gemini-2.5-pro");
    expect(pro.prices.input).toBe("1.125");
    expect(pro.prices.output).toBe("5.00");
    expect(pro.tiers[0].prices).toMatchObject({ input: "2.25", output: "10.00" });
    expect(overridden.get("google/gemini-2.5-pro")).toEqual(["input"]);
  });

  it("leaves other models alone and reports rules that matched nothing", () => {
    expect(byId(catalogue, "openai/gpt-5")).toBe(byId(bundled, "openai/gpt-5"));
    expect(overridden.has("openai/gpt-5")).toBe(false);
    expect(unmatched).toEqual([3]);
    expect(catalogue.source).toBe(`${bundled.source}, with Acme negotiated rates`);
  });

  it("prices worksheet formulas once activated on top of the public catalogue", () => {
    activate(bundled, overlay);
    // 1,500 × 2.55/M + 300 × 12.75/M = 0.003825 + 0.003825.
    expect(String(invoke(FUNCTIONS.LLMCOST, ["anthropic/claude-sonnet-4-6", 1500, 300]))).toBe("0.00765");
  });

  it("refuses a malformed overlay naming the rule broken", () => {
    const base = { format: "tokenledger-overlay/1", name: "x" };
    expect(() => parseOverlay({ ...base, rules: [{ provider: "a", model: "a/b", discount_percent: "5" }] })).toThrow(
      "overlay: rules.0: a rule names a provider or a model, not both",
    );
    expect(() => parseOverlay({ ...base, rules: [{ provider: "a" }] })).toThrow("overlay: rules.0: a rule gives a discount_percent or prices");
    expect(() => parseOverlay({ ...base, rules: [{ provider: "a", discount_percent: "120" }] })).toThrow(
      "overlay: rules.0.discount_percent: a percentage from 0 to 100",
    );
    // Text that is no number is refused by the schema, before anything reads it as a decimal.
    expect(() => parseOverlay({ ...base, rules: [{ provider: "a", discount_percent: "abc" }] })).toThrow(
      "overlay: rules.0.discount_percent: a non-negative decimal written as text",
    );
  });
});
