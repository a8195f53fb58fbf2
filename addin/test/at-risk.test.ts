import { OfficeMockObject } from "office-addin-mock";
import { describe, expect, it } from "vitest";
import { type Catalogue, compileCatalogue, propose } from "@tokenledger/core/catalogue";
import { referenceCatalogue } from "../../test/reference";
import { formulasAtRisk, modelArguments } from "../src/taskpane/at-risk";
import { readTlCells } from "../src/taskpane/workbook";

/**
 * Before Accept, the pane lists the workbook's TL formulas whose model argument would stop
 * resolving or change price by more than ×10 under the proposed catalogue: read here from
 * office-addin-mock's Excel, two sheets of formulas.
 */

interface Sheet {
  name: string;
  address: string;
  formulas: unknown[][];
  values: unknown[][];
}

/** The mock wraps the workbook; the sheets in `items` are plain objects, so their used ranges load themselves. */
function excel(sheets: Sheet[]) {
  const mock = new OfficeMockObject({
    workbook: {
      worksheets: {
        items: sheets.map((s) => ({
          name: s.name,
          used: { address: s.address, formulas: s.formulas, values: s.values, isNullObject: false, load() {} },
          getUsedRangeOrNullObject() {
            return this.used;
          },
        })),
      },
    },
  });
  return mock as unknown as Excel.RequestContext;
}

const reference = referenceCatalogue();

/** The reference fixture with one model removed and one repriced, as a prune or a bad feed would leave it. */
function proposed(): Catalogue {
  const data = reference.data;
  return {
    ...data,
    models: data.models
      .filter((m) => m.id !== "groq/llama-3.1-8b")
      .map((m) => (m.id === "openai/o3" ? { ...m, prices: { ...m.prices, input: "1.5" } } : m)),
  };
}

describe("formulas a proposed catalogue would break", () => {
  const sheets: Sheet[] = [
    {
      name: "Costs",
      address: "Costs!A1:C3",
      formulas: [
        ["groq/llama-3.1-8b", "=TL.LLMCOST(A1,1500,300)", '=TL.LLMCOST("openai/gpt-4o",1500,300)'],
        ["openai/o3", '=TL.PRICE($A$2,"output")', "=SUM(B1:B2)"],
        [1, "=TL.TOKENCOST(1,1,1,1)", '=TL.PRICE("nobody/none")'],
      ],
      values: [
        ["groq/llama-3.1-8b", 0.00009, 0.00675],
        ["openai/o3", 60, 0.0001],
        [1, 0.000002, "#N/A"],
      ],
    },
    {
      name: "'Plan B'",
      address: "'Plan B'!B2:B3",
      formulas: [['=TL.MONTHLYCOST("o3",1000,1500,300)'], ['=1+TL.LLMCOST("gpt-4o",1,1)']],
      values: [[1], [1]],
    },
  ];

  it("reads every TL formula with its model arguments, literals and same-sheet references", async () => {
    const cells = await readTlCells(excel(sheets));
    expect(cells).toEqual([
      { address: "Costs!B1", formula: "=TL.LLMCOST(A1,1500,300)", models: ["groq/llama-3.1-8b"] },
      { address: "Costs!C1", formula: '=TL.LLMCOST("openai/gpt-4o",1500,300)', models: ["openai/gpt-4o"] },
      { address: "Costs!B2", formula: '=TL.PRICE($A$2,"output")', models: ["openai/o3"] },
      { address: "Costs!B3", formula: "=TL.TOKENCOST(1,1,1,1)", models: [] },
      { address: "Costs!C3", formula: '=TL.PRICE("nobody/none")', models: ["nobody/none"] },
      { address: "'Plan B'!B2", formula: '=TL.MONTHLYCOST("o3",1000,1500,300)', models: ["o3"] },
      { address: "'Plan B'!B3", formula: '=1+TL.LLMCOST("gpt-4o",1,1)', models: ["gpt-4o"] },
    ]);
  });

  it("lists those that would stop resolving or move by more than ×10, with sheet!cell, formula and why", async () => {
    const cells = await readTlCells(excel(sheets));
    const atRisk = formulasAtRisk(cells, reference, compileCatalogue(proposed()));
    // o3's input 15 → 1.5 is ×0.1 exactly, not beyond; its output is unchanged: not listed.
    expect(atRisk).toEqual([
      {
        address: "Costs!B1",
        formula: "=TL.LLMCOST(A1,1500,300)",
        why: expect.stringMatching(/^"groq\/llama-3.1-8b" would no longer resolve \(unknown model "groq\/llama-3.1-8b": did you mean /),
      },
    ]);
    // At 1.4 (15 → 1.4, below a tenth) it would be.
    const cheaper = proposed();
    cheaper.models = cheaper.models.map((m) => (m.id === "openai/o3" ? { ...m, prices: { ...m.prices, input: "1.4" } } : m));
    const flagged = formulasAtRisk(cells, reference, compileCatalogue(cheaper)).map((r) => [r.address, r.why]);
    expect(flagged).toContainEqual(["Costs!B2", 'the input price of "openai/o3" would go from 15 to 1.4 per 1M tokens (more than ×10)']);
    expect(flagged).toContainEqual(["'Plan B'!B2", 'the input price of "o3" would go from 15 to 1.4 per 1M tokens (more than ×10)']);
  });

  it("is empty for a merge: a refresh keeps every model in force", () => {
    const cells = [{ address: "S!A1", formula: '=TL.LLMCOST("groq/llama-3.1-8b",1,1)', models: ["groq/llama-3.1-8b"] }];
    const litellmLike = { ...reference.data, source: "x", models: reference.data.models.slice(0, 3) };
    const merged = propose(reference.data, { catalogue: litellmLike, rejected: [], skipped: {}, notes: [] }).catalogue;
    expect(formulasAtRisk(cells, reference, compileCatalogue(merged))).toEqual([]);
  });

  it("takes model arguments of model-first functions only, capped to a formula's length", () => {
    const at = () => undefined;
    expect(modelArguments('=TL.PRICE("a/b")+TL.TOKENCOST(1,1,1,1)+tl.llmcost("c/""d""",1,1)', at)).toEqual(["a/b", 'c/"d"']);
    expect(modelArguments(`=TL.PRICE("${"x".repeat(9000)}")`, at)).toEqual([]);
  });
});
