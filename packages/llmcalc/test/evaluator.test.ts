import { referenceCatalogue } from "../../../test/reference";
import { fileURLToPath } from "node:url";
import { FUNCTIONS, invoke } from "@tokenledger/core";
import { setActiveCatalogue } from "@tokenledger/core/catalogue";
import { HyperFormula } from "hyperformula";
import { afterEach, describe, expect, it } from "vitest";
import { loadCatalogueFile } from "../src/catalogue-file";
import { type Cell, evaluate } from "../src/evaluator";
import { errs, jsonOf, textOf } from "../src/format";
import { registerTlFunctions } from "../src/plugin";

const SONNET = '"anthropic/claude-sonnet-4-6"';
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

const valueFrom = (formula: string) => evaluate(formula).value;
const exactOf = (formula: string) => textOf(evaluate(formula), true);

describe("TL functions inside HyperFormula", () => {
  it("prices the contract's example, with or without '=' and 'TL.'", () => {
    // Sonnet 4.6 at 3 / 15 USD per 1M (catalogue-2026-06.md): 1500 × 3e-6 + 300 × 15e-6 = 0.0045 + 0.0045.
    expect(valueFrom(`=TL.LLMCOST(${SONNET},1500,300)`)).toBe(0.009);
    expect(valueFrom(`TL.LLMCOST(${SONNET},1500,300)`)).toBe(0.009);
    expect(valueFrom(`=llmcost(${SONNET},1500,300)`)).toBe(0.009);
  });

  it("registers every function of core's registry under both names", () => {
    registerTlFunctions();
    const names = new Set(HyperFormula.getRegisteredFunctionNames("enGB"));
    for (const name of Object.keys(FUNCTIONS)) {
      expect(names.has(`TL.${name}`), name).toBe(true);
      expect(names.has(name), name).toBe(true);
    }
  });

  it("answers a core error as its Excel error carrying the message", () => {
    expect(valueFrom(`=TL.LLMCOST("claude-sonet-4-6",1500,300)`)).toEqual({
      error: "#N/A",
      message:
        'unknown model "claude-sonet-4-6": did you mean anthropic/claude-sonnet-4-6, anthropic/claude-opus-4-7 or anthropic/claude-haiku-4-5?',
    });
    expect(valueFrom("=TL.FORECAST(1,0)")).toEqual({ error: "#VALUE!", message: "months: must be ≥ 1" });
  });

  it("passes omitted arguments as empty, and an error argument through as the result", () => {
    // Batch is 50% off every component (catalogue-2026-06.md): 0.009 / 2.
    expect(valueFrom(`=TL.LLMCOST(${SONNET},1500,300,,,,"batch")`)).toBe(0.0045);
    expect(valueFrom(`=TL.LLMCOST(${SONNET},1/0,300)`)).toEqual({ error: "#DIV/0!", message: "" });
    expect(valueFrom(`=TL.LLMCOST(${SONNET},{1,2},300)`)).toEqual({
      error: "#VALUE!",
      message: "input_tokens: expects a single value, not a range",
    });
  });

  it("combines TL results with built-ins, arithmetic and array constants", () => {
    // MODELS spills a header row, then the catalogue in order; openai/gpt-5 is its first model.
    expect(valueFrom("=INDEX(TL.MODELS(),2,1)")).toBe("openai/gpt-5");
    // Eight llama-3.x entries (catalogue-2026-06.md, hosted models) under the header.
    expect(valueFrom('=ROWS(TL.MODELS("llama"))')).toBe(9);
    // (1 + 2) × 0.009, in doubles as a spreadsheet computes it.
    expect(valueFrom(`=SUM({1,2})*TL.LLMCOST(${SONNET},1500,300)`)).toBe(3 * 0.009);
    // gpt-4o 2.50 / 10 → 1000 × 2.5e-6 + 500 × 1e-5 = 0.0075; gpt-4o-mini 0.15 / 0.60 → 0.00045;
    // 0.7 × 0.0075 + 0.3 × 0.00045 = 0.00525 + 0.000135.
    expect(valueFrom('=TL.BLENDEDCOST({"openai/gpt-4o";"openai/gpt-4o-mini"},{0.7;0.3},1000,500)')).toBe(0.005385);
    // 100 × 1.5^m for m = 0, 1, 2, plus a column constant.
    expect(valueFrom("=TL.FORECAST(100,3,0.5)+{1;2;3}")).toEqual([[101], [152], [228]]);
  });

  it("spills a matrix, empty cells as null, errors per cell", () => {
    expect(valueFrom("=TL.FORECAST(100,3,0.5)")).toEqual([[100], [150], [225]]);
    const groq = valueFrom('=TL.MODELS("groq")') as Cell[][];
    // groq/llama-3.3-70b at 0.59 / 0.79, no cache prices (catalogue-2026-06.md).
    expect(groq[1].slice(0, 8)).toEqual(["groq/llama-3.3-70b", "groq", "Llama 3.3 70B (Groq)", 0.59, 0.79, null, null, null]);
    const divided = evaluate("=TL.FORECAST(1,2)/{0;1}");
    expect(divided.value).toEqual([[{ error: "#DIV/0!", message: "" }], [1]]);
    expect(errs(divided)).toBe(true);
  });

  it("spills into a sheet too: the plugin sizes the array by evaluating it", () => {
    registerTlFunctions();
    const hf = HyperFormula.buildFromArray([["=TL.FORECAST(100,3,0.5)", "=SUM(A1:A3)"]], { licenseKey: "gpl-v3" });
    expect(hf.getSheetValues(0)).toEqual([[100, 475], [150], [225]]);
    hf.destroy();
  });

  it("keeps a formula HyperFormula cannot parse or evaluate to its line, and carries on", () => {
    expect(valueFrom('=TL.LLMCOST("x",1')).toEqual({ error: "#ERROR!", message: "Parsing error: not a valid formula" });
    expect(valueFrom("=NOSUCH(1)")).toEqual({ error: "#NAME?", message: "Function name NOSUCH not recognized." });
    const deep = valueFrom(`=${"(".repeat(100_000)}1${")".repeat(100_000)}`);
    expect(deep).toMatchObject({ error: "#ERROR!" });
    expect(valueFrom(`=TL.LLMCOST(${SONNET},1500,300)`)).toBe(0.009);
  });
});

describe("exact decimals", () => {
  it("are the core's when the formula is one TL call", () => {
    // 0.3 tokens × 1 USD per 1M = 3e-7 USD.
    expect(exactOf("=TL.TOKENCOST(0.3,0,1,0)")).toBe("0.0000003");
    // 123456789 × 1.23456789 = 152415787.50190521 (17 digits), ÷ 1e6: more than a double holds.
    expect(exactOf("=(TL.TOKENCOST(123456789,0,1.23456789,0))")).toBe("152.41578750190521");
    expect(textOf(evaluate("=TL.TOKENCOST(123456789,0,1.23456789,0)"), false)).toBe(String(152.41578750190521));
  });

  it("are the doubles' otherwise", () => {
    expect(evaluate("=2*TL.TOKENCOST(123456789,0,1.23456789,0)").computed).toBeUndefined();
    expect(exactOf("=TL.TOKENCOST(123456789,0,1.23456789,0)*1")).toBe(String(152.41578750190521));
    expect(exactOf("=SUM(TL.FORECAST(100,2,0,0.1))")).toBe(String(valueFrom("=SUM(TL.FORECAST(100,2,0,0.1))")));
  });

  it("cover every cell of a spill", () => {
    // Month 1 is 100 × 1.1^(1/12), carried to 34 digits: llmcalc prints what core computed.
    const core = invoke(FUNCTIONS.FORECAST, [100, 2, 0, 0.1]) as unknown[][];
    expect(exactOf("=TL.FORECAST(100,2,0,0.1)")).toBe(`100\n${String(core[1][0])}`);
    expect(String(core[1][0]).replace(".", "").length).toBeGreaterThan(17);
  });
});

describe("output", () => {
  it("prints a spill as tab-separated rows and text on one line", () => {
    expect(textOf(evaluate("=TL.FORECAST(100,3,0.5)"), false)).toBe("100\n150\n225");
    expect(textOf(evaluate('={"a",TRUE();"tab\tand\nbreak",0.0000001}'), false)).toBe("a\tTRUE\ntab\\tand\\nbreak\t0.0000001");
    expect(textOf(evaluate('=TL.LLMCOST("nope",1,1)'), false)).toMatch(/^#N\/A unknown model "nope": did you mean /);
    expect(textOf(evaluate("=1/0"), false)).toBe("#DIV/0!");
  });

  it("prints one JSON object per formula, with exact for a single number", () => {
    expect(JSON.parse(jsonOf(evaluate("=TL.TOKENCOST(0.3,0,1,0)")))).toEqual({
      formula: "=TL.TOKENCOST(0.3,0,1,0)",
      value: 3e-7,
      exact: "0.0000003",
    });
    expect(JSON.parse(jsonOf(evaluate(`SUM({1,2})*TL.LLMCOST(${SONNET},1500,300)`)))).toEqual({
      formula: `SUM({1,2})*TL.LLMCOST(${SONNET},1500,300)`,
      value: 3 * 0.009,
      exact: String(3 * 0.009),
    });
    expect(JSON.parse(jsonOf(evaluate("=TL.FORECAST(100,2,0.5)")))).toEqual({ formula: "=TL.FORECAST(100,2,0.5)", value: [[100], [150]] });
    // No model matches: the header row alone.
    expect(JSON.parse(jsonOf(evaluate('=TL.MODELS("nothing-like-this")'))).value).toHaveLength(1);
    expect(JSON.parse(jsonOf(evaluate("=1>2")))).toEqual({ formula: "=1>2", value: false });
    expect(JSON.parse(jsonOf(evaluate('=TL.LLMCOST("x",1,1)')))).toEqual({
      formula: '=TL.LLMCOST("x",1,1)',
      error: "#N/A",
      message: expect.stringMatching(/^unknown model "x"/),
    });
  });
});

describe("--catalog", () => {
  afterEach(() => setActiveCatalogue(referenceCatalogue()));

  it("prices with the file's catalogue", () => {
    expect(loadCatalogueFile(fixture("acme-catalogue.json"))).toBeUndefined();
    // acme/m1 at 1 / 2 USD per 1M: 1M input + 1M output = 1 + 2.
    expect(valueFrom('=TL.LLMCOST("acme/m1",1000000,1000000)')).toBe(3);
    expect(valueFrom(`=TL.LLMCOST(${SONNET},1,1)`)).toMatchObject({ error: "#N/A" });
  });

  it("answers one sentence for a file it cannot use, and keeps the catalogue in force", () => {
    expect(loadCatalogueFile(fixture("missing.json"))).toMatch(/^cannot read the catalogue .*missing\.json: no such file\.$/);
    expect(loadCatalogueFile(fixture("not-json.txt"))).toMatch(/^the catalogue .*not-json\.txt is not JSON \(.*\)\.$/);
    expect(loadCatalogueFile(fixture("bad-price.json"))).toBe(
      `the catalogue ${fixture("bad-price.json")} does not fit TokenLedger's catalogue schema: models.0.prices.input: a non-negative decimal written as text.`,
    );
    expect(valueFrom(`=TL.LLMCOST(${SONNET},1500,300)`)).toBe(0.009);
  });
});
