import { beforeAll, describe, expect, it } from "vitest";
import { type Wrapper, loadWrappers } from "./wrappers";

/**
 * Empty cells at the Excel boundary, through the add-in's wrappers. Out: a blank in a spill is
 * empty text, never null (Excel shows null as 0, so a model without cache prices would seem to
 * cache for free). In: Excel may hand an empty cell over as 0, so wherever 0 cannot be the value
 * (a mode, a date, a cell past the function's arguments, rows after the data) a 0 means blank.
 * Prices are the reference fixture's (test/setup activates it).
 */

let fns: Map<string, Wrapper>;
const call = (name: string, ...args: unknown[]) => fns.get(name)!(...args);
const spill = (name: string, ...args: unknown[]) => call(name, ...args) as unknown[][];
const column = (...cells: unknown[]) => cells.map((c) => [c]);
const SONNET = "anthropic/claude-sonnet-4-6";

beforeAll(async () => {
  fns = await loadWrappers();
});

const nulls = (cells: unknown[][]) => cells.flat().filter((c) => c === null || c === undefined).length;

describe("blanks in spilled results are empty text", () => {
  it("MODELS: a price the model lacks is empty text, and no cell is null", () => {
    const table = spill("MODELS", "mistral-large");
    const header = table[0];
    const row = table.find((r) => r[0] === "mistral/mistral-large-2")!;
    expect(row[header.indexOf("cache_read")]).toBe("");
    expect(row[header.indexOf("cache_write")]).toBe("");
    expect(nulls(spill("MODELS"))).toBe(0);
  });

  it("HARDWARE: no cell is null", () => {
    const table = spill("HARDWARE");
    expect(table.length).toBeGreaterThan(1);
    expect(nulls(table)).toBe(0);
  });

  it("ALLOCATE: rows after the data answer empty text, blank or 0 alike", () => {
    // 1000 × (0.7 × 600/1000 + 0.3 × 20/100) = 480; 300, 60 → 390; 100, 20 → 130.
    expect(spill("ALLOCATE", 1000, column(600, 300, 100, null, 0, ""), column(20, 60, 20, 0, null, 0))).toEqual([
      [480],
      [390],
      [130],
      [""],
      [""],
      [""],
    ]);
  });

  it("ALLOCATE: a 0 inside the data is a real 0 (a tenant with no use gets nothing)", () => {
    // Tenant 2 has 0 tokens and 0 peak: its part is 0; the others share 1000 as 0.7 × 600/700 + 0.3 × 20/40 …
    // 1000 × (0.7 × 6/7 + 0.3 × 1/2) = 750; 1000 × (0.7 × 1/7 + 0.3 × 1/2) = 250.
    expect(spill("ALLOCATE", 1000, column(600, 0, 100), column(20, 0, 20))).toEqual([[750], [0], [250]]);
  });

  it("SPEND_ALERT: days after the last spend answer empty text", () => {
    // Window 1, factor 1.5: 16 > 1.5 × 10 alerts; the trailing 0 and blanks are days not filled in.
    expect(spill("SPEND_ALERT", column(10, 16, 0, null), 1.5, 1)).toEqual([[false], [true], [""], [""]]);
  });
});

describe("a 0 where 0 cannot be the value is an empty cell", () => {
  it("LLMCOST: mode 0 is the default mode", () => {
    // Sonnet 4.6 at $3 / $15 per 1M: 1500 × 3e-6 + 300 × 15e-6 = 0.009.
    expect(call("LLMCOST", SONNET, 1500, 300, 0, 0, 0, 0)).toBe(0.009);
    expect(call("MONTHLYCOST", SONNET, 1000, 1500, 300, 0, 0, 0)).toBe(9);
  });

  it("PRICE: component 0 and as_of 0 are omitted (input, today's price)", () => {
    expect(call("PRICE", SONNET, 0, 0, 0)).toBe(3);
  });

  it("GRID: trailing 0s of the argument row past the function's arguments are blanks", () => {
    // LLMCOST has 7 arguments; the row has 9 cells, the last four 0 as Excel may send blanks.
    // input 1000: 0.003 + 0.0045 = 0.0075; input 2000: 0.006 + 0.0045 = 0.0105.
    const grid = spill("GRID", "LLMCOST", [[SONNET, 1500, 300, 0, 0, 0, 0, 0, 0]], 2, column(1000, 2000));
    expect(grid.slice(1).map((row) => row.at(-1))).toEqual([0.0075, 0.0105]);
  });

  it("TORNADO: trailing 0s of the argument row are blanks, text positions included", () => {
    const table = spill("TORNADO", "LLMCOST", [[SONNET, 1500, 300, 0, 0, 0, 0, 0]]);
    // Swinging input ±20%: 1200 → 0.0036 + 0.0045 = 0.0081; 1800 → 0.0054 + 0.0045 = 0.0099.
    const input = table.find((row) => row[0] === "input_tokens")!;
    expect(input.slice(1, 3)).toEqual([0.0081, 0.0099]);
    expect(nulls(table)).toBe(0);
  });

  it("a 0 in a number position stays a real 0", () => {
    // cached_tokens 0 is a real 0; output_tokens 0 too: 1500 × 3e-6 = 0.0045.
    expect(call("LLMCOST", SONNET, 1500, 0, 0)).toBe(0.0045);
  });
});
