import { OfficeMockObject } from "office-addin-mock";
import { beforeAll, describe, expect, it } from "vitest";
import { FUNCTIONS } from "@tokenledger/core";
import { referenceCatalogue } from "../../test/reference";
import { type Wrapper, loadWrappers } from "../../test/wrappers";
import { outcomeAt } from "../src/outcomes";
import { type ActiveCell, explain, readActiveCell } from "../src/taskpane/explain";

/**
 * The Explain view against office-addin-mock's Excel: the active cell read from the workbook,
 * the message its TL function answered (kept by address, as `@requiresAddress` hands it over),
 * and for LLMCOST the lines it billed. Prices are the reference fixture's.
 */

/** A workbook whose active cell holds `formula`, showing `value`; inside the spill of `parent` when given. */
function workbook(
  address: string,
  formula: string,
  value: unknown,
  type = "Double",
  parent?: { address: string; formula: string },
): Excel.RequestContext {
  const spillParent = parent
    ? { isNullObject: false, address: parent.address, formulas: [[parent.formula]] }
    : { isNullObject: true, address: "", formulas: [[""]] };
  const mock = new OfficeMockObject({
    workbook: {
      activeCell: {
        address,
        formulas: [[formula]],
        values: [[value]],
        valueTypes: [[type]],
        spillParent,
        getSpillParentOrNullObject() {
          return this.spillParent;
        },
      },
      getActiveCell() {
        return this.activeCell;
      },
    },
  });
  return mock as unknown as Excel.RequestContext;
}

let wrappers: Map<string, Wrapper>;
beforeAll(async () => {
  wrappers = await loadWrappers();
});

/**
 * What Excel does for a cell: call the add-in's wrapper with every declared argument (null where
 * omitted) and, last, the invocation carrying the cell's address (`@requiresAddress`); an error
 * is thrown to it.
 */
function compute(address: string, fn: string, args: unknown[]): unknown {
  const padded = FUNCTIONS[fn].params.map((_, i) => args[i] ?? null);
  try {
    return wrappers.get(fn)!(...padded, { address } as CustomFunctions.Invocation);
  } catch (e) {
    return e;
  }
}

const { source, as_of } = referenceCatalogue().data;

describe("Explain", () => {
  it("reads the active cell's address, formula, value and whether it is an error", async () => {
    const cell = await readActiveCell(workbook("Sheet1!C3", "=TL.LLMCOST(A3,1500,300)", 0.009), true);
    expect(cell).toEqual({ address: "Sheet1!C3", formula: "=TL.LLMCOST(A3,1500,300)", value: 0.009, isError: false });
  });

  it("itemises an LLMCOST cell: each line at its rate with entry, source and as-of, and the total", async () => {
    const formula = '=TL.LLMCOST("anthropic/claude-sonnet-4-6",1500,300,1000)';
    // 500 uncached × 3e-6 = 0.0015; 1,000 cached × 0.3e-6 = 0.0003; 300 × 15e-6 = 0.0045; total 0.0063.
    expect(compute("Sheet1!B2", "LLMCOST", ["anthropic/claude-sonnet-4-6", 1500, 300, 1000])).toBe(0.0063);
    const cell = await readActiveCell(workbook("Sheet1!B2", formula, 0.0063), true);
    const e = explain(cell, outcomeAt(cell.address));
    expect(e).toMatchObject({ address: "Sheet1!B2", formula, shown: "0.0063" });
    expect(e.message).toBeUndefined();
    expect(e.bill?.entry).toBe("anthropic/claude-sonnet-4-6");
    expect(e.bill?.lines).toEqual([
      ["line", "quantity", "rate", "unit", "usd", "source", "as_of"],
      ["input", 500, 3, "USD per 1M tokens", 0.0015, source, as_of],
      ["cache_read", 1000, 0.3, "USD per 1M tokens", 0.0003, source, as_of],
      ["output", 300, 15, "USD per 1M tokens", 0.0045, source, as_of],
      ["total", "", "", "", 0.0063, "", ""],
    ]);
  });

  it("shows a #NUM! error with its whole message, which Excel itself never shows", async () => {
    // A fine-tune that costs more per call than the base model never pays for itself.
    const thrown = compute("Sheet2!D4", "FINETUNE_BREAKEVEN", [5000, 0.01, 0.02]) as CustomFunctions.Error;
    expect(thrown.code).toBe("#NUM!");
    const cell = await readActiveCell(workbook("Sheet2!D4", "=TL.FINETUNE_BREAKEVEN(5000,0.01,0.02)", "#NUM!", "Error"), true);
    expect(explain(cell, outcomeAt(cell.address))).toEqual({
      address: "Sheet2!D4",
      formula: "=TL.FINETUNE_BREAKEVEN(5000,0.01,0.02)",
      shown: "#NUM!",
      message: "cost_per_call_after: must be below cost_per_call_before, or the fine-tune never pays for itself",
    });
  });

  it("keeps each cell's own message, and the latest answer of a cell", async () => {
    compute("Sheet1!A1", "LLMCOST", ["no-such-model", 1, 1]);
    compute("Sheet1!A2", "LLMCOST", ["anthropic/claude-sonnet-4-6", -1, 1]);
    expect(outcomeAt("Sheet1!A1")?.error?.code).toBe("#N/A");
    expect(outcomeAt("Sheet1!A2")?.error).toEqual({ code: "#VALUE!", message: "input_tokens: must be ≥ 0" });
    // The cell is fixed: its next answer replaces the error.
    compute("Sheet1!A2", "LLMCOST", ["anthropic/claude-sonnet-4-6", 1, 1]);
    expect(outcomeAt("Sheet1!A2")?.error).toBeUndefined();
  });

  it("explains a cell inside a spill by the formula that spilled it", async () => {
    const formula = '=TL.MODELS("sonnet")';
    compute("Sheet1!A10", "MODELS", ["sonnet"]);
    const cell = await readActiveCell(workbook("Sheet1!D11", "", 3, "Double", { address: "Sheet1!A10", formula }), true);
    expect(cell).toEqual({ address: "Sheet1!A10", formula, value: 3, isError: false, inSpill: "Sheet1!D11" });
    expect(explain(cell, outcomeAt(cell.address))).toEqual({ address: "Sheet1!A10", inSpill: "Sheet1!D11", formula, shown: "3" });
  });

  it("says why there is no message for an error no TL function answered here", () => {
    const cell: ActiveCell = { address: "Sheet1!Z9", formula: "=1/0", value: "#DIV/0!", isError: true };
    const e = explain(cell, outcomeAt(cell.address));
    expect(e.shown).toBe("#DIV/0!");
    expect(e.message).toMatch(/^No message kept for this cell/);
  });
});
