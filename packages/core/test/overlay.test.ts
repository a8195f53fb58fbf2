import { referenceCatalogue } from "../../../test/reference";
import { afterEach, describe, expect, it } from "vitest";
import { FUNCTIONS, invoke } from "../src";
import {
  type Catalogue,
  CatalogueStore,
  MemoryStorage,
  acceptProposal,
  activate,
  applyOverlay,
  deserialise,
  importFeed,
  parseOverlay,
  propose,
  serialise,
  setActiveCatalogue,
} from "../src/catalogue";
import { call } from "./call";

const bundled = referenceCatalogue().data;
const byId = (c: typeof bundled, id: string) => c.models.find((m) => m.id === id)!;

afterEach(() => setActiveCatalogue(referenceCatalogue()));

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
    // Sonnet 4.6 (reference catalogue): 3 / 15 / 0.30 / 3.75 / 6, web search 10 per 1,000, less 15 %: × 0.85.
    expect(byId(catalogue, "anthropic/claude-sonnet-4-6").prices).toEqual({
      input: "2.55",
      output: "12.75",
      cache_read: "0.255",
      cache_write: "3.1875",
      cache_write_1h: "5.1",
      web_search: "8.5",
    });
    expect(overridden.get("anthropic/claude-sonnet-4-6")).toEqual([
      "input",
      "output",
      "cache_read",
      "cache_write",
      "cache_write_1h",
      "web_search",
    ]);
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
    expect(() => parseOverlay({ ...base, rules: [{ provider: "a" }] })).toThrow(
      "overlay: rules.0: a rule gives a discount_percent or prices",
    );
    expect(() => parseOverlay({ ...base, rules: [{ provider: "a", discount_percent: "120" }] })).toThrow(
      "overlay: rules.0.discount_percent: a percentage from 0 to below 100",
    );
    // Text that is no number is refused by the schema, before anything reads it as a decimal.
    expect(() => parseOverlay({ ...base, rules: [{ provider: "a", discount_percent: "abc" }] })).toThrow(
      "overlay: rules.0.discount_percent: a non-negative decimal written as text",
    );
  });
});

describe("an overlay carried by an organisation's catalogue", () => {
  const ACME = {
    format: "tokenledger-overlay/1",
    name: "Acme negotiated rates",
    rules: [
      { provider: "anthropic", discount_percent: "20" },
      // Empty is not absent: a discount on no component changes nothing, and must stay so through a pin.
      { model: "openai/gpt-4o", discount_percent: "50", components: [] },
    ],
  };
  const orgFeed = (overlay: unknown) => JSON.stringify({ ...bundled, version: "acme-2026.08", source: "Acme curated catalogue", overlay });
  const sonnet = (c: Catalogue) => byId(c, "anthropic/claude-sonnet-4-6").prices;

  it("is lifted out of the catalogue into the import, and named in the proposal's summary", () => {
    const imported = importFeed("tokenledger", orgFeed(ACME), { today: "2026-08-25" });
    expect(imported.overlay).toEqual(ACME);
    expect(imported.rejected).toEqual([]);
    // The catalogue is the public one: Sonnet still 3 / 15 (reference table), no overlay field.
    expect(imported.catalogue.overlay).toBeUndefined();
    expect(sonnet(imported.catalogue)).toMatchObject({ input: "3.00", output: "15.00" });
    const proposal = propose(bundled, imported);
    expect(proposal.overlay).toEqual(ACME);
    // Same 38 models and public prices (all 38 updated to what they were), but the overlay it
    // carries takes 20 % off the 4 anthropic models: the diff shows the prices that will be paid, so 4 changed.
    expect(proposal.summary).toBe(
      "38 models; 38 updated, 0 added, 0 removed, 4 changed; 0 not listed by the source kept; 0 entries rejected; 0 skipped (no meter prices them); organisation prices: Acme negotiated rates",
    );
    // Sonnet input 3.00 → 3.00 × 0.8 = 2.4: −20 %, not flagged.
    const input = proposal.diff.changed.find((m) => m.id === "anthropic/claude-sonnet-4-6")?.changes.find((c) => c.field === "input");
    expect(input).toMatchObject({ old: "3.00", new: "2.4", flagged: false, from: null });
    expect(input?.percent?.toString()).toBe("-20");
  });

  it("when malformed, is listed as rejected and the catalogue still imports", () => {
    const imported = importFeed("tokenledger", orgFeed({ ...ACME, rules: [{ provider: "anthropic" }] }), { today: "2026-08-25" });
    expect(imported.overlay).toBeUndefined();
    expect(imported.catalogue.models).toHaveLength(38);
    expect(imported.rejected).toEqual([{ entry: "overlay", reason: "rules.0: a rule gives a discount_percent or prices" }]);
  });

  it("applies on accept, in place of the overlay kept before; a catalogue without one keeps the kept one", () => {
    const kept = parseOverlay({
      format: "tokenledger-overlay/1",
      name: "Old rates",
      rules: [{ provider: "anthropic", discount_percent: "10" }],
    });
    const store = new CatalogueStore(new MemoryStorage());
    acceptProposal(propose(bundled, importFeed("tokenledger", orgFeed(ACME), { today: "2026-08-25" })), store, kept);
    // Sonnet input 3 less 20 % = 2.4 (not 3 less 10 % = 2.7, nor both = 2.16).
    expect(call("PRICE", "anthropic/claude-sonnet-4-6", "input")).toBe("2.4");
    // gpt-4o's rule names no component: 2.50 stays.
    expect(call("PRICE", "openai/gpt-4o", "input")).toBe("2.5");
    // The store keeps the public catalogue; the overlay is the caller's to keep.
    expect(store.current()?.overlay).toBeUndefined();
    expect(sonnet(store.current()!).input).toBe("3.00");

    acceptProposal(propose(bundled, importFeed("tokenledger", orgFeed(undefined), { today: "2026-08-25" })), store, kept);
    expect(call("PRICE", "anthropic/claude-sonnet-4-6", "input")).toBe("2.7");
  });

  it("round-trips through a pinned catalogue file, empty component lists included, and is applied once", () => {
    const carrying = { ...bundled, overlay: parseOverlay(ACME) };
    const text = serialise(carrying);
    expect(deserialise(text).overlay).toEqual(ACME);
    expect(serialise(deserialise(text))).toBe(text);
    // Applied, the catalogue carries no overlay any more, so nothing can apply it a second time.
    const applied = applyOverlay(deserialise(text), deserialise(text).overlay!).catalogue;
    expect(applied.overlay).toBeUndefined();
    expect(sonnet(applied).input).toBe("2.4");
  });
});
