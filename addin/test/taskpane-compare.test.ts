import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Dec } from "@tokenledger/core";
import { applyOverlay, bundledCatalogue, compileCatalogue } from "@tokenledger/core/catalogue";
import { referenceCatalogue } from "../../test/reference";
import { parseAmount } from "../src/taskpane/amount";
import { DEFAULT_SHAPE, type Priced, type Request, type Shape, priceAll, readShape, reasonOf } from "../src/taskpane/compare";
import { grouped, money, usd } from "../src/taskpane/dom";
import { ageInDays, ageText, dayText, sourceText, versionText } from "../src/taskpane/freshness";
import { COLUMNS, NO_FILTER, filtered, rowsOf } from "../src/taskpane/rows";

/**
 * The task pane's reading of amounts, its money format and the comparison's arithmetic, outside
 * the browser. Prices are the bundled catalogue's (shared/reference/catalogue-2026-06.md), as the
 * other pane tests use: the branch has no separate reference fixture yet.
 */

const bundled = referenceCatalogue();
const model = (id: string) => bundled.byId.get(id)!;
const request = (typed: Partial<Shape>) => {
  const read = readShape({ ...DEFAULT_SHAPE, ...typed });
  if (!("request" in read)) throw new Error(JSON.stringify(read.errors));
  return read.request as Request;
};
const shown = (p: Priced) => (p.ok ? [usd(p.perRequest), usd(p.perMonth)] : [p.reason]);

describe("amounts as typed", () => {
  it("reads separators and k/M suffixes exactly, and refuses what is ambiguous", () => {
    const read = (t: string) => parseAmount(t)?.toFixed();
    expect(["1500", "1,500", " 1,500 ", "1.5k", "1.5K", "2M", "2m", ".5", "-20", "−20", "1,234,567.25"].map(read)).toEqual([
      "1500",
      "1500",
      "1500",
      "1500",
      "1500",
      "2000000",
      "2000000",
      "0.5",
      "-20",
      "-20",
      "1234567.25",
    ]);
    // A decimal comma, misplaced groups, words, two points, a bare suffix: not amounts.
    for (const bad of ["1,5", "1,50,000", "lots", "1.5.2", "k", "", "1e6", "1 500"]) expect(read(bad)).toBeUndefined();
  });

  it("any whole number reads back from its grouped text and with a k suffix", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 20n }), (n) => {
        expect(parseAmount(grouped(String(n)))?.toFixed()).toBe(String(n));
        expect(parseAmount(`${n}k`)?.toFixed()).toBe(String(n * 1000n));
      }),
    );
  });
});

describe("money", () => {
  it("shows cents at least, four significant digits below a dollar, no padding", () => {
    const cases: [string, string][] = [
      ["0.0090000", "0.009"], // the padded "$0.0090000"
      ["0.00945", "0.00945"],
      ["3", "3.00"],
      ["15.5", "15.50"],
      ["0.1605", "0.1605"],
      ["0.123456", "0.1235"], // 4 significant digits: …4|56 → …5
      ["2.025", "2.03"], // half up, as by hand
      ["1234.5678", "1,234.57"],
      ["9450", "9,450.00"],
      ["0.000735", "0.000735"],
      ["0", "0.00"],
    ];
    expect(cases.map(([d]) => money(new Dec(d)))).toEqual(cases.map(([, t]) => t));
    expect(usd(new Dec("-2.5"))).toBe("−$2.50");
    expect(money(new Dec("-3"))).toBe("-3.00");
  });

  it("is within half a unit of its last digit, with at least cents", () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-9, max: 1e9, noNaN: true }), (x) => {
        const d = new Dec(x);
        const text = money(d);
        expect(text).toMatch(/^\d{1,3}(,\d{3})*\.\d{2,}$/);
        const places = text.length - text.indexOf(".") - 1;
        expect(new Dec(text.replace(/,/g, "")).minus(d).abs().lte(new Dec(10).pow(-places).div(2))).toBe(true);
      }),
    );
  });
});

describe("the comparison", () => {
  const ids = ["openai/o3", "anthropic/claude-sonnet-4-6", "deepseek/deepseek-v3"];
  const models = ids.map(model);

  it("prices thinking at the catalogue's effort and a month's volume", () => {
    const priced = priceAll(models, request({ effort: "medium", requests: "10k" }));
    // o3 medium = 2,000 thinking tokens: 1,500 × $15 + (300 + 2,000) × $60 = $160,500 per 1M requests → $0.1605; × 10,000 = $1,605.
    // Sonnet medium = 8,000: 1,500 × $3 + 8,300 × $15 = $129,000 per 1M → $0.129; × 10,000 = $1,290.
    // DeepSeek V3 does not reason, so no thinking: 1,500 × $0.27 + 300 × $1.10 = $735 per 1M → $0.000735; × 10,000 = $7.35.
    expect(priced.map(shown)).toEqual([
      ["$0.1605", "$1,605.00"],
      ["$0.129", "$1,290.00"],
      ["$0.000735", "$7.35"],
    ]);
    expect(priced.map((p) => p.ok && p.thinking.toNumber())).toEqual([2000, 8000, 0]);
  });

  it("prices a typed count of thinking tokens, in thousands, for the models that think", () => {
    // o3 with 4,000 thinking: 1,500 × 15 + 4,300 × 60 = 280,500 → $0.2805; × 2,000,000 = $561,000.
    // DeepSeek V3 does not think: $0.000735 × 2,000,000 = $1,470.
    const priced = priceAll(
      [model("openai/o3"), model("deepseek/deepseek-v3")],
      request({ effort: "tokens", thinking: "4k", requests: "2M" }),
    );
    expect(priced.map(shown)).toEqual([
      ["$0.2805", "$561,000.00"],
      ["$0.000735", "$1,470.00"],
    ]);
  });

  it("says in a finance user's words why a model has no cost", () => {
    const priced = priceAll(models, request({ mode: "offpeak" }));
    // DeepSeek V3 off-peak: 1,500 × 0.14 + 300 × 0.55 = 375 per 1M → $0.000375; × 10,000 = $3.75.
    expect(priced.map(shown)).toEqual([["No off-peak price"], ["No off-peak price"], ["$0.000375", "$3.75"]]);
    expect(reasonOf("mode: x has no batch variant", "batch")).toBe("No batch price");
    expect(reasonOf("mode: x has no priority variant", "priority")).toBe("No priority price");
    expect(reasonOf("mode: x has no flex variant", "flex")).toBe("No flex price");
    expect(reasonOf("cached_tokens: x has no cache_read price", "standard")).toBe("No cached-input price");
  });

  it("says which field cannot be read, and why", () => {
    expect(readShape({ ...DEFAULT_SHAPE, input: "lots", output: "1,5" })).toEqual({
      errors: {
        input: "Input tokens: a number such as 1,500, 1.5k or 2M, 0 or more.",
        output: "Output tokens: a number such as 1,500, 1.5k or 2M, 0 or more.",
      },
    });
    expect(readShape({ ...DEFAULT_SHAPE, cached: "2k" })).toEqual({
      errors: { cached: "Cached tokens are part of the input: at most the input tokens." },
    });
  });
});

describe("freshness", () => {
  it("words dates, ages, versions and sources", () => {
    expect(dayText("2026-06-15")).toBe("15 Jun 2026");
    // 15 June to 3 December 2026: 15 days of June + 31 + 31 + 30 + 31 + 30 + 3 = 171.
    expect(ageInDays("2026-06-15", new Date("2026-12-03T04:00:00Z"))).toBe(171);
    expect([0, 1, 171].map(ageText)).toEqual(["from today", "1 day old", "171 days old"]);
    expect(versionText("2026-07-24T18:23:43.215560+00:00")).toBe("24 Jul 2026, 18:23 UTC");
    expect(versionText("acme-2026.08")).toBe("acme-2026.08");
    expect(sourceText(bundledCatalogue().data)).toBe("Bundled");
    expect(sourceText({ version: "x", source: "LiteLLM model_prices_and_context_window.json" })).toBe("LiteLLM price map");
  });
});

describe("the price table", () => {
  it("shows the prices core prices with, read without building its rate tables", () => {
    // With an organisation's 20% off Anthropic on top, as the pane compiles it.
    const overlaid = applyOverlay(bundled.data, {
      format: "tokenledger-overlay/1",
      name: "Acme",
      rules: [{ provider: "anthropic", discount_percent: "20" }],
    }).catalogue;
    for (const catalogue of [bundled, compileCatalogue(overlaid)]) {
      const rows = rowsOf(catalogue);
      catalogue.models.forEach((m, r) => {
        const standard = m.rates[0].get("")!;
        COLUMNS.forEach((c, i) => {
          if (c.component) expect(rows[r].cells[i]).toBe(standard[c.component] ? money(standard[c.component]!) : "");
        });
      });
    }
    // Sonnet at 20% off: 3 × 0.8 = 2.40 input.
    expect(rowsOf(compileCatalogue(overlaid)).find((row) => row.id === "anthropic/claude-sonnet-4-6")!.cells[1]).toBe("2.40");
  });
});

describe("the kind of model", () => {
  it("is a column and a filter: the reference catalogue's non-chat entries by kind", () => {
    // More entries (catalogue-2026-06.md): two embeddings, Whisper, TTS-1, DALL-E 3, Mistral OCR.
    const rows = rowsOf(referenceCatalogue());
    const ids = (kind: string) => filtered(rows, { ...NO_FILTER, kind }).map((r) => r.id);
    expect(ids("embedding")).toEqual(["openai/text-embedding-3-small", "openai/text-embedding-3-large"]);
    expect(ids("transcription")).toEqual(["openai/whisper-1"]);
    expect(ids("speech")).toEqual(["openai/tts-1"]);
    expect(ids("image")).toEqual(["openai/dall-e-3"]);
    expect(ids("ocr")).toEqual(["mistral/mistral-ocr"]);
    expect(ids("chat")).toHaveLength(32);
    const kindColumn = COLUMNS.findIndex((c) => c.key === "kind");
    expect(rows.find((r) => r.id === "openai/whisper-1")!.cells[kindColumn]).toBe("transcription");
    // A price the model does not have is blank, never 0.
    expect(rows.find((r) => r.id === "openai/whisper-1")!.cells[1]).toBe("");
  });
});
