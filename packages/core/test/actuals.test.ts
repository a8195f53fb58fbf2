import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Actuals, type ActualsFile, computeActuals, detectFormat, guessMapping } from "../src/actuals";
import { compileCatalogue } from "../src/catalogue";
import { referenceCatalogue } from "../../../test/reference";
import { withPriceChange } from "./fixtures/actuals/dated";
import { ExactSum, parseQty, qtyDec } from "../src/actuals/line";
import { Dec } from "../src/decimal";
import { TlError } from "../src/errors";

/**
 * Priced against the reference fixture (test/fixtures/reference-2026-06.json): gpt-4o 2.50 / 10 /
 * cache read 1.25, gpt-4o-mini 0.15 / 0.60, claude-sonnet-4-6 3 / 15 / 0.30 / 3.75 (5m) / 6 (1h),
 * claude-haiku-4-5 0.80 / 4, batch 50 % off; USD per 1M tokens.
 */

const dir = new URL("./fixtures/actuals/", import.meta.url);
const fixture = (name: string): ActualsFile => ({ name, text: readFileSync(new URL(name, dir), "utf8") });
const catalogue = referenceCatalogue();
const run = (...files: ActualsFile[]) => computeActuals(files, catalogue);

/** Month × model rows as plain text, for comparing with hand-worked figures. */
function table(a: Actuals) {
  return a.reconciled.map((r) => ({
    month: r.month,
    model: r.model,
    requests: r.requests.toString(),
    cost: r.cost?.toString() ?? null,
    billed: r.billed?.toString() ?? null,
    difference: r.difference?.toString() ?? null,
    percent: r.percent?.toString() ?? null,
  }));
}

const reasons = (a: Actuals) => a.problems.map((p) => `${p.where}: ${p.reason}`);

function thrown(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof TlError) return `${e.kind}: ${e.message}`;
    throw e;
  }
  return "no error";
}

describe("format detection", () => {
  it("tells every fixture's format from its content", () => {
    const formats = [
      "openai-usage.json",
      "openai-costs.json",
      "anthropic-usage.json",
      "anthropic-cost.json",
      "openrouter-activity.json",
      "usage.csv",
    ].map((f) => detectFormat(fixture(f).text));
    expect(formats).toEqual(["openai-usage", "openai-costs", "anthropic-usage", "anthropic-cost", "openrouter", "csv"]);
  });

  it("asks for the format of JSON it does not know", () => {
    expect(thrown(() => detectFormat('{"data": []}'))).toMatch(/^VALUE: format: this JSON is none of the exports read/);
  });
});

describe("OpenAI usage and costs", () => {
  it("costs the usage per meter, batch at the batch variant, dated names at their catalogue ids", () => {
    const a = run(fixture("openai-usage.json"));
    expect(a.files[0].format).toBe("openai-usage");
    expect(a.problems).toEqual([]);
    expect(table(a)).toEqual([
      // 2026-05-31, gpt-4o: (1,000,000 − 200,000) × 2.50 + 200,000 × 1.25 + 100,000 × 10, ÷ 1e6 = 2 + 0.25 + 1 = 3.25.
      { month: "2026-05", model: "openai/gpt-4o", requests: "500", cost: "3.25", billed: null, difference: null, percent: null },
      // batch: 2,000,000 × 0.075 + 400,000 × 0.30, ÷ 1e6 = 0.15 + 0.12 = 0.27.
      { month: "2026-05", model: "openai/gpt-4o-mini", requests: "1000", cost: "0.27", billed: null, difference: null, percent: null },
      // 2026-06-01: 400,000 × 2.50 + 100,000 × 1.25 + 50,000 × 10, ÷ 1e6 = 1 + 0.125 + 0.5 = 1.625.
      { month: "2026-06", model: "openai/gpt-4o", requests: "250", cost: "1.625", billed: null, difference: null, percent: null },
    ]);
    // 3.25 + 0.27 + 1.625.
    expect(a.total.cost?.toString()).toBe("5.145");
    expect(a.rows.map((r) => [r.month, r.model, r.team])).toEqual([
      ["2026-05", "openai/gpt-4o", "proj_alpha"],
      ["2026-05", "openai/gpt-4o-mini", "proj_beta"],
      ["2026-06", "openai/gpt-4o", "proj_alpha"],
    ]);
    expect(a.rows[0].tokens.uncached_input.toString()).toBe("800000");
    expect(a.rows[0].tokens.cache_read.toString()).toBe("200000");
  });

  it("reconciles the usage with the costs export by month and model", () => {
    const a = run(fixture("openai-usage.json"), fixture("openai-costs.json"));
    expect(a.problems).toEqual([]);
    expect(table(a).map((r) => [r.month, r.model, r.cost, r.billed, r.difference, r.percent])).toEqual([
      // May billed 2.25 + 1.00 and 0.15 + 0.12: exactly the catalogue's cost.
      ["2026-05", "openai/gpt-4o", "3.25", "3.25", "0", "0"],
      ["2026-05", "openai/gpt-4o-mini", "0.27", "0.27", "0", "0"],
      // June billed 1.0125 + 0.45 = 1.4625 against 1.625: −0.1625, −10 % (a negotiated discount).
      ["2026-06", "openai/gpt-4o", "1.625", "1.4625", "-0.1625", "-10"],
    ]);
    // 5.145 computed, 3.25 + 0.27 + 1.4625 = 4.9825 billed.
    expect([a.total.cost?.toString(), a.total.billed?.toString(), a.total.difference?.toString()]).toEqual(["5.145", "4.9825", "-0.1625"]);
  });
});

describe("Anthropic usage and cost report", () => {
  it("costs uncached input, cache reads, 5-minute and 1-hour writes and output; batch tier at batch rates", () => {
    const a = run(fixture("anthropic-usage.json"));
    expect(table(a).map((r) => [r.month, r.model, r.cost])).toEqual([
      // Haiku, batch: 1,000,000 × 0.40 + 200,000 × 2, ÷ 1e6 = 0.4 + 0.4.
      ["2026-05", "anthropic/claude-haiku-4-5", "0.8"],
      // Sonnet: 100,000 × 3 + 1,000,000 × 0.30 + 50,000 × 3.75 + 20,000 × 6 + 30,000 × 15, ÷ 1e6
      // = 0.30 + 0.30 + 0.1875 + 0.12 + 0.45 = 1.3575.
      ["2026-05", "anthropic/claude-sonnet-4-6", "1.3575"],
      // 200,000 × 3 + 10,000 × 15, ÷ 1e6 = 0.6 + 0.15.
      ["2026-06", "anthropic/claude-sonnet-4-6", "0.75"],
    ]);
    expect(a.rows.find((r) => r.model === "anthropic/claude-sonnet-4-6")?.webSearches.toString()).toBe("12");
    expect(reasons(a)).toEqual([
      "costing: anthropic/claude-sonnet-4-6: web search requests not costed (the catalogue has no web search price)",
    ]);
  });

  it("reads cost amounts as cents and reconciles them", () => {
    const a = run(fixture("anthropic-usage.json"), fixture("anthropic-cost.json"));
    expect(table(a).map((r) => [r.month, r.model, r.cost, r.billed, r.difference])).toEqual([
      // The web search line has no model: 12.00 cents = $0.12, billed with nothing computed.
      ["2026-05", "(unattributed)", "0", "0.12", "0.12"],
      // "80" cents = $0.80; "135.75" cents = $1.3575; "75" cents = $0.75.
      ["2026-05", "anthropic/claude-haiku-4-5", "0.8", "0.8", "0"],
      ["2026-05", "anthropic/claude-sonnet-4-6", "1.3575", "1.3575", "0"],
      ["2026-06", "anthropic/claude-sonnet-4-6", "0.75", "0.75", "0"],
    ]);
  });
});

describe("OpenRouter activity", () => {
  it("prices prompt, visible output and reasoning, bills usage plus BYOK, and lists an unknown model", () => {
    const a = run(fixture("openrouter-activity.json"));
    expect(table(a).map((r) => [r.month, r.model, r.requests, r.cost, r.billed])).toEqual([
      // Sonnet 4.6: 10,000 × 3 + (5,000 − 2,000) × 15 + 2,000 × 15 (reasoning at the output rate), ÷ 1e6
      // = 0.03 + 0.045 + 0.03 = 0.105; billed 0.1 + 0.005 BYOK.
      ["2026-05", "anthropic/claude-sonnet-4-6", "4", "0.105", "0.105"],
      // GPT-4o: 100,000 × 2.50 + 20,000 × 10, ÷ 1e6 = 0.25 + 0.2.
      ["2026-05", "openai/gpt-4o", "10", "0.45", "0.45"],
      ["2026-06", "mystery/model-x", "1", null, "0.001"],
    ]);
    expect(reasons(a)).toEqual([
      'costing: unknown model "mystery/model-x": did you mean mistral/codestral, mistral/mistral-nemo or mistral/mistral-ocr?; its usage is not costed and its billed amount not reconciled',
    ]);
    // The unknown model's usage stays in the totals of tokens; the total cost is unknown.
    expect(a.total.cost).toBeNull();
    expect(a.total.tokens.uncached_input.toString()).toBe("110100");
  });
});

describe("CSV with a column mapping", () => {
  it("guesses the mapping from the header", () => {
    expect(
      guessMapping(["date", "model", "team", "requests", "input_tokens", "cached_tokens", "output_tokens", "batch", "cost_usd"]),
    ).toEqual({
      date: "date",
      model: "model",
      team: "team",
      requests: "requests",
      input: "input_tokens",
      cache_read: "cached_tokens",
      output: "output_tokens",
      batch: "batch",
      billed: "cost_usd",
    });
  });

  it("costs each row with input as the whole prompt and reconciles the billed column", () => {
    const a = run(fixture("usage.csv"));
    expect(a.problems).toEqual([]);
    expect(table(a).map((r) => [r.month, r.model, r.cost, r.billed, r.difference])).toEqual([
      // 20,000 × 3 + 2,000 × 15, ÷ 1e6 = 0.06 + 0.03.
      ["2026-05", "anthropic/claude-sonnet-4-6", "0.09", "0.09", "0"],
      // (10,000 − 2,000) × 2.50 + 2,000 × 1.25 + 1,000 × 10, ÷ 1e6 = 0.02 + 0.0025 + 0.01.
      ["2026-05", "openai/gpt-4o", "0.0325", "0.0325", "0"],
      // batch: 1,000,000 × 0.075 + 100,000 × 0.30, ÷ 1e6 = 0.075 + 0.03.
      ["2026-05", "openai/gpt-4o-mini", "0.105", "0.105", "0"],
      // 1,000 × 2.50 + 100 × 10, ÷ 1e6 = 0.0025 + 0.001.
      ["2026-06", "openai/gpt-4o", "0.0035", "0.0035", "0"],
    ]);
  });

  it("reads a BOM, CRLF line ends, quoted fields with commas and line breaks, and blank lines", () => {
    const text =
      '\ufeffdate,model,team,input_tokens,output_tokens\r\n2026-05-01,gpt-4o,"Search, EU",1000,100\r\n\r\n2026-05-01,gpt-4o,"two\nlines ""quoted""",1000,100\r\n';
    const a = run({ name: "q.csv", text });
    expect(a.problems).toEqual([]);
    // 1,000 × 2.50 + 100 × 10, ÷ 1e6 = 0.0035 each.
    expect(a.rows.map((r) => [r.team, r.cost?.toString()])).toEqual([
      ["Search, EU", "0.0035"],
      ['two\nlines "quoted"', "0.0035"],
    ]);
  });

  it("prices each day with the price list in force that day", () => {
    // gpt-4o-mini: 0.30 / 1.20 until 2025-12-31, 0.15 / 0.60 from 2026-01-01 (withPriceChange).
    const dated = compileCatalogue(withPriceChange(), "2026-06-15");
    const text = "date,model,input_tokens,output_tokens\n2025-12-31,gpt-4o-mini,1000000,0\n2026-01-01,gpt-4o-mini,1000000,0\n";
    const a = computeActuals([{ name: "d.csv", text }], dated);
    expect(a.rows.map((r) => [r.month, r.cost?.toString()])).toEqual([
      ["2025-12", "0.3"],
      ["2026-01", "0.15"],
    ]);
  });

  it("takes a mapping the user confirmed", () => {
    const text = "day,llm,prompt,completion,dept\n2026-05-01,gpt-4o,1000,100,ops\n";
    const a = computeActuals(
      [{ name: "x.csv", text, mapping: { date: "day", model: "llm", input: "prompt", output: "completion", team: "dept" } }],
      catalogue,
    );
    // 1,000 × 2.50 + 100 × 10, ÷ 1e6.
    expect(a.rows.map((r) => [r.team, r.cost?.toString()])).toEqual([["ops", "0.0035"]]);
  });
});

describe("malformed files", () => {
  const csv = (text: string) => run({ name: "bad.csv", text });

  it("refuses a CSV whose columns are not usage, naming what it has", () => {
    expect(thrown(() => csv("when,what\n2026-05-01,x\n"))).toBe("VALUE: csv: needs a date and a model column (the header has when, what)");
    expect(thrown(() => csv("date,model,colour\n2026-05-01,gpt-4o,red\n"))).toBe(
      "VALUE: csv: names no token or billed column (the header has date, model, colour)",
    );
    expect(
      thrown(() =>
        computeActuals(
          [{ name: "m.csv", text: "date,model,input\n", mapping: { date: "date", model: "model", input: "prompt" } }],
          catalogue,
        ),
      ),
    ).toBe('VALUE: csv: the mapping names the column "prompt" for input, and the header has no such column (it has date, model, input)');
  });

  it("lists unparseable rows with their line and reason, and costs the rest", () => {
    const a = csv(
      "date,model,input_tokens,output_tokens\n2026-05-01,gpt-4o,1000,100\nyesterday,gpt-4o,1,1\n2026-05-01,gpt-4o,lots,1\n2026-05-01,gpt-4o,1\n2026-05-01,gpt-4o,-5,1\n",
    );
    expect(reasons(a)).toEqual([
      'bad.csv: line 3: left out: date "yesterday" is not YYYY-MM-DD',
      'bad.csv: line 4: left out: input "lots" is not a count',
      "bad.csv: line 5: left out: 3 fields where the header has 4",
      'bad.csv: line 6: left out: input "-5" is not a count',
    ]);
    expect(a.lines).toBe(1);
    expect(a.total.cost?.toString()).toBe("0.0035");
  });

  it("keeps the tokens of a row billed in another currency and leaves its amount out", () => {
    const a = csv(
      "date,model,input_tokens,output_tokens,cost,currency\n2026-05-01,gpt-4o,1000,100,0.0035,USD\n2026-05-02,gpt-4o,1000,100,0.0032,EUR\n",
    );
    expect(reasons(a)).toEqual(["bad.csv: line 3: billed amount in EUR, not USD (mixed currencies): tokens kept, amount left out"]);
    // Two rows of 0.0035 computed; only the USD one billed.
    expect([a.total.cost?.toString(), a.total.billed?.toString()]).toEqual(["0.007", "0.0035"]);
  });

  it("flags amounts that look like cents read as dollars", () => {
    // Computed 0.0035; billed 0.35 is 100 × that.
    const a = csv("date,model,input_tokens,output_tokens,cost\n2026-05-01,gpt-4o,1000,100,0.35\n");
    expect(reasons(a)).toEqual(["billed: billed is 100 × the computed cost: amounts look like cents read as dollars"]);
    // A billed_cents column is read as cents: 0.35 cents = $0.0035, no flag.
    expect(reasons(csv("date,model,input_tokens,output_tokens,cost_cents\n2026-05-01,gpt-4o,1000,100,0.35\n"))).toEqual([]);
  });

  it("lists a model the catalogue does not have, and a batch line of a model without a batch price", () => {
    const a = csv("date,model,input_tokens,output_tokens,batch\n2026-05-01,gpt-17,1000,100,\n2026-05-01,mistral-large-2,1000,100,true\n");
    expect(reasons(a)).toEqual([
      'costing: unknown model "gpt-17": did you mean openai/gpt-4o, openai/gpt-5 or openai/tts-1?; its usage is not costed',
      "costing: mistral/mistral-large-2 has no batch variant: not costed",
    ]);
    expect(a.reconciled.map((r) => [r.model, r.cost])).toEqual([
      ["gpt-17", null],
      ["mistral/mistral-large-2", null],
    ]);
  });

  it("lists duplicate days, rows missing fields and other currencies in the JSON exports", () => {
    const usage = JSON.parse(fixture("openai-usage.json").text);
    usage.data.push(usage.data[1]);
    delete usage.data[0].results[1].output_tokens;
    const costs = JSON.parse(fixture("openai-costs.json").text);
    costs.data[1].results[1].amount.currency = "eur";
    const a = run({ name: "u.json", text: JSON.stringify(usage) }, { name: "c.json", text: JSON.stringify(costs) });
    expect(reasons(a)).toEqual([
      "u.json: data[0].results[1]: left out: output_tokens is missing",
      "u.json: data[2].results[0]: left out: the same day and grouping as data[1].results[0] (a duplicate day)",
      "c.json: data[1].results[1]: left out: amount in eur, not USD (mixed currencies)",
    ]);
  });

  it("refuses a file that is not JSON of the format named", () => {
    expect(thrown(() => run({ name: "x", text: '{"data": [', format: "openai-usage" }))).toMatch(
      /^VALUE: openai-usage: the file ends early/,
    );
    expect(thrown(() => run({ name: "x", text: '{"rows": []}', format: "anthropic-usage" }))).toBe(
      'VALUE: anthropic-usage: the file is not a page of usage (an object with a "data" array)',
    );
  });
});

describe("properties", () => {
  it("reads any decimal text exactly, in units of its scale or as a Dec", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^-?\d{1,25}(\.\d{1,25})?$/), fc.constantFrom(0, 7, 9), (text, scale) => {
        const q = parseQty(text, scale, true);
        expect(q).toBeDefined();
        expect(qtyDec(q!, scale).eq(new Dec(text))).toBe(true);
      }),
    );
  });

  it("an exact sum of mixed quantities equals the decimal sum, past 2^53 too", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 60n }), fc.stringMatching(/^\d{1,3}\.\d{1,20}$/))), (xs) => {
        const sum = new ExactSum(0);
        let expected = new Dec(0);
        for (const x of xs) {
          const text = String(x);
          sum.add(parseQty(text, 0)!);
          expected = expected.plus(text);
        }
        expect(sum.value().eq(expected)).toBe(true);
      }),
    );
  });

  const models = ["gpt-4o", "gpt-4o-mini", "claude-sonnet-4-6", "claude-haiku-4-5"];
  const row = fc.record({
    day: fc.integer({ min: 1, max: 28 }),
    month: fc.integer({ min: 1, max: 3 }),
    model: fc.constantFrom(...models),
    team: fc.constantFrom("a", "b"),
    input: fc.integer({ min: 0, max: 10_000_000 }),
    cached: fc.integer({ min: 0, max: 100 }),
    output: fc.integer({ min: 0, max: 1_000_000 }),
    batch: fc.boolean(),
    billed: fc.stringMatching(/^\d{1,4}\.\d{1,12}$/),
  });
  type Row = typeof row extends fc.Arbitrary<infer T> ? T : never;
  const csvOf = (rows: Row[]) =>
    `date,model,team,input_tokens,cached_tokens,output_tokens,batch,cost\n${rows
      .map(
        (r) =>
          `2026-0${r.month}-${String(r.day).padStart(2, "0")},${r.model},${r.team},${r.input},${Math.floor((r.input * r.cached) / 100)},${r.output},${r.batch},${r.billed}`,
      )
      .join("\n")}\n`;

  it("a file split in two sums to the whole, cost and billed, row by row", () => {
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 40 }), fc.nat(), (rows, at) => {
        const cut = at % (rows.length + 1);
        const whole = run({ name: "w.csv", text: csvOf(rows) });
        const parts = run({ name: "a.csv", text: csvOf(rows.slice(0, cut)) }, { name: "b.csv", text: csvOf(rows.slice(cut)) });
        expect(parts.reconciled.map((r) => [r.month, r.model, r.cost?.toString(), r.billed?.toString()])).toEqual(
          whole.reconciled.map((r) => [r.month, r.model, r.cost?.toString(), r.billed?.toString()]),
        );
      }),
      { numRuns: 60 },
    );
  });

  it("the total equals the sum of the month × model rows, and those of the month × model × team rows", () => {
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 40 }), (rows) => {
        const a = run({ name: "w.csv", text: csvOf(rows) });
        const sum = (xs: readonly { cost: unknown }[]) => xs.reduce((s, r) => s.plus(r.cost as never), a.total.cost!.minus(a.total.cost!));
        expect(sum(a.reconciled).eq(a.total.cost!)).toBe(true);
        expect(sum(a.rows).eq(a.total.cost!)).toBe(true);
        expect(a.lines).toBe(rows.length);
      }),
      { numRuns: 60 },
    );
  });
});
