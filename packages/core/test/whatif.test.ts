import fc from "fast-check";
import { describe, expect, it } from "vitest";
// Through the index, as every caller does: the registry must load before the what-if module.
import { Dec, FUNCTIONS, type SheetResult, TlError, invoke, toPlain } from "../src";

const SONNET = "anthropic/claude-sonnet-4-6";

function shown(c: unknown): string {
  return c instanceof TlError ? `${c.kind}: ${c.message}` : String(c);
}

/** A worksheet function by name, its result as exact text (a spill as rows of text), or the error. */
function call(name: string, ...args: unknown[]): string | string[][] {
  let result: SheetResult;
  try {
    result = invoke(FUNCTIONS[name], args);
  } catch (e) {
    if (e instanceof TlError) return shown(e);
    throw e;
  }
  return Array.isArray(result) ? result.map((row) => row.map(shown)) : shown(result);
}

describe("GRID", () => {
  it("works the contract's example (functions.md, What-if)", () => {
    // Sonnet 4.6 at $3/M input and $15/M output: input × 3e-6 + output × 15e-6.
    // 500 in: 0.0015 + 0.0015 = 0.003, + 0.0045 = 0.006, + 0.015 = 0.0165;
    // 1,500 in: 0.0045 + the same = 0.006, 0.009, 0.0195; 5,000 in: 0.015 + … = 0.0165, 0.0195, 0.03.
    expect(call("GRID", "LLMCOST", [[SONNET, 1500, 300]], 2, [[500], [1500], [5000]], 3, [[100, 300, 1000]])).toEqual([
      ["LLMCOST", "100", "300", "1000"],
      ["500", "0.003", "0.006", "0.0165"],
      ["1500", "0.006", "0.009", "0.0195"],
      ["5000", "0.0165", "0.0195", "0.03"],
    ]);
  });

  it("tables the release-2 functions: a conversation's cost by turns, with and without caching", () => {
    // CONVERSATION_COST (pricing.test.ts): 1 turn of 1,200 user / 300 output on Sonnet 4.6 is 0.0081, 10 turns
    // 0.2835; cached, turn 1 writes 1,200 × 3.75 = 4,500 + 4,500 output = 0.009, and 10 turns write every
    // prompt token once (1,200 × 10 + 300 × 9 = 14,700 × 3.75 = 55,125), read 55 × 1,200 + 45 × 300 − 14,700
    // = 64,800 × 0.3 = 19,440, and output 45,000: 0.119565.
    expect(call("GRID", "CONVERSATION_COST", [[SONNET, null, 1200, 300]], 2, [[1], [10]], 6, [[false, true]])).toEqual([
      ["CONVERSATION_COST", "false", "true"],
      ["1", "0.0081", "0.009"],
      ["10", "0.2835", "0.119565"],
    ]);
  });

  it("keeps an error in its cell, and a bad row or column value in its row or column", () => {
    // cached_tokens 1,000 exceeds input 500: that cell alone errs. 1,500 in, 1,000 cached, 300 out:
    // 500 × 3e-6 + 1,000 × 0.3e-6 + 300 × 15e-6 = 0.0015 + 0.0003 + 0.0045 = 0.0063; 5,000 in: 0.0168.
    const cachedTooMany = "VALUE: cached_tokens: cached_tokens + cache_write_tokens must not exceed input_tokens";
    expect(call("GRID", "LLMCOST", [[SONNET, 1500, 300, 1000]], 2, [[500], [1500], [5000]])).toEqual([
      ["LLMCOST", "result"],
      ["500", cachedTooMany],
      ["1500", "0.0063"],
      ["5000", "0.0168"],
    ]);
    const notANumber = 'VALUE: output_tokens: must be a number, got text "lots"';
    expect(call("GRID", "LLMCOST", [[SONNET, 1500, 300]], 2, [[500, -1]], 3, [[100, "lots"]])).toEqual([
      ["LLMCOST", "100", "lots"],
      ["500", "0.003", notANumber],
      ["-1", "VALUE: input_tokens: must be ≥ 0", "VALUE: input_tokens: must be ≥ 0"],
    ]);
  });

  it("keeps an error a function answers rather than throws, which the function alone still throws", () => {
    // RENT_COST answers fractional years with a discount rate as an error (a GRID along the years
    // may break it on every cell): 24.5 × 8,760 × 1 over 2 years at 8% is 21,462 × 1.783…
    const notWhole = "VALUE: years: must be a whole number with an annual_price_change or a discount_rate";
    expect(call("RENT_COST", 24.5, 2.5, null, null, 0.08)).toBe(notWhole);
    const grid = call("GRID", "RENT_COST", [[24.5, 2, null, null, 0.08]], 2, [[2], [2.5]]) as string[][];
    expect(grid[2]).toEqual(["2.5", notWhole]);
    // 214,620 ÷ 1.08 + 214,620 ÷ 1.08² = 198,722.2… + 184,002.0… (the decimal path's 34 digits, as a double).
    expect(Number(grid[1][1])).toBeCloseTo(214_620 / 1.08 + 214_620 / 1.08 ** 2, 6);
    // QUALITY_BREAKEVEN answers a dominated pair the same way.
    const dominated = "NUM: cost_b: one option is both cheaper and more reliable, so no failure cost evens them";
    expect(call("QUALITY_BREAKEVEN", 0.1, 0.9, 0.2, 0.8)).toBe(dominated);
    expect(call("GRID", "QUALITY_BREAKEVEN", [[0.1, 0.9, 0.2, 0.8]], 4, [[0.8], [0.95]])).toEqual([
      ["QUALITY_BREAKEVEN", "result"],
      ["0.8", dominated],
      ["0.95", "2"],
    ]);
  });

  it("equals the scalar function called with the same arguments, cell by cell (property)", () => {
    const raw = fc.oneof(fc.nat(2_000_000), fc.double({ min: 0, max: 1e6, noNaN: true }), fc.constant(-5), fc.constant(null));
    fc.assert(
      fc.property(
        fc.constantFrom(SONNET, "openai/gpt-4o", "google/gemini-2.5-pro", "deepseek/deepseek-v3"),
        fc.array(raw, { minLength: 2, maxLength: 5 }),
        fc.uniqueArray(fc.integer({ min: 2, max: 6 }), { minLength: 2, maxLength: 2 }),
        fc.array(raw, { minLength: 1, maxLength: 4 }),
        fc.array(raw, { minLength: 1, maxLength: 4 }),
        (model, numbers, [rowArg, colArg], rowValues, colValues) => {
          const args = [model, ...numbers];
          const grid = call(
            "GRID",
            "LLMCOST",
            [args],
            rowArg,
            rowValues.map((v) => [v]),
            colArg,
            [colValues],
          );
          rowValues.forEach((rv, i) =>
            colValues.forEach((cv, j) => {
              const scalar = Array.from({ length: 7 }, (_, k) => args[k] ?? null);
              scalar[rowArg - 1] = rv;
              scalar[colArg - 1] = cv;
              const expected = call("LLMCOST", ...scalar) as string;
              // A fixed argument that breaks a rule is the whole GRID's error; the scalar errs too.
              if (typeof grid === "string") expect(expected).toMatch(/^(VALUE|NA|NUM): /);
              else expect(grid[i + 1][j + 1]).toBe(expected);
            }),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it("refuses what it cannot tabulate, naming the argument", () => {
    const args = [[SONNET, 1500, 300]];
    expect(call("GRID", "GRID", args, 2, [[1]])).toBe("VALUE: function: GRID cannot be the function of GRID, SOLVE or TORNADO");
    expect(call("GRID", "TL.MODELS", [[""]], 1, [["claude"]])).toBe("VALUE: function: MODELS does not return a single number");
    expect(call("GRID", "LLMCOS", args, 2, [[1]])).toBe('VALUE: function: unknown TL function "LLMCOS": did you mean LLMCOST?');
    expect(call("GRID", "LLMCOST", args, 8, [[1]])).toBe("VALUE: row_arg: LLMCOST has 7 arguments, not 8");
    expect(call("GRID", "LLMCOST", args, 2, [[1]], 0, [[1]])).toBe("VALUE: col_arg: must be ≥ 1");
    expect(call("GRID", "LLMCOST", args, 2, [[1]], 2, [[1]])).toBe("VALUE: col_arg: must differ from row_arg");
    expect(call("GRID", "LLMCOST", args, 2, [[1]], 3)).toBe("VALUE: col_values: is required with col_arg");
    expect(
      call("GRID", "LLMCOST", args, 2, [
        [1, 2],
        [3, 4],
      ]),
    ).toBe("VALUE: row_values: must be a row or a column");
    expect(call("GRID", "LLMCOST", [[SONNET, 1, 2, 3, 4, 5, "batch", 8]], 2, [[1]])).toBe(
      "VALUE: args: LLMCOST takes at most 7 arguments, got 8",
    );
    // Trailing blanks in a wider range are omitted arguments, not extra ones.
    expect(call("GRID", "LLMCOST", [[SONNET, 1500, 300, null, null, null, null, null, ""]], 2, [[1500]])).toEqual([
      ["LLMCOST", "result"],
      ["1500", "0.009"],
    ]);
    // An error in an argument that does not vary is the whole GRID's.
    expect(call("GRID", "LLMCOST", [["nobody/none", 1, 1]], 2, [[1]])).toMatch(/^NA: unknown model "nobody\/none"/);
  });

  it("keeps each cell's decimal: a proven double's cell reruns the function at its own values", () => {
    // GPU_HOURLY answers a proven double (a quotient); a cell's exact text is the function's own at
    // that row and column, whichever cell filled last. 40 years at 3% escalation leave the exact
    // integers (the double-double path); 4 and 5 stay in them.
    // Along colo as well: the cells of a row share all but their other running lines.
    const years = [4, 5, 40, 41];
    for (const [fn, col, values] of [
      ["GPU_HOURLY", 4, [0.12, 0.121, 0.13799999999999998]],
      ["GPU_TCO", 6, [150, 151, 160.5]],
    ] as const) {
      const args = ["8xh100-sxm", 4, null, 0.12, 1.3, 150, 25_000, 40_000, 0.03];
      const grid = invoke(FUNCTIONS.GRID, [fn, [args], 2, [years], col, [values]]) as SheetResult[][];
      for (const [i, y] of years.entries()) {
        for (const [j, v] of values.entries()) {
          const own = invoke(
            FUNCTIONS[fn],
            args.map((a, k) => (k === 1 ? y : k === col - 1 ? v : a)),
          );
          // The decimal path's decimal, and its double: what the fast path must have answered.
          expect(shown(grid[i + 1][j + 1])).toBe(shown(own));
          expect(toPlain(grid[i + 1][j + 1] as SheetResult)).toBe(new Dec(shown(own)).toNumber());
        }
      }
    }
  });

  it("refuses a grid larger than a spill or than memory allows before computing it", () => {
    const column = (n: number) => Array.from({ length: n }, () => [1]);
    // Excel's limits: 1,048,576 rows and 16,384 columns, one of each taken by the headers.
    expect(call("GRID", "LLMCOST", [[SONNET, 1, 1]], 2, column(1_048_576))).toBe(
      "VALUE: row_values: has 1048576 values; a spill holds at most 1048575",
    );
    expect(call("GRID", "LLMCOST", [[SONNET, 1, 1]], 2, [[1]], 3, [Array(16_384).fill(1)])).toBe(
      "VALUE: col_values: has 16384 values; a spill holds at most 16383",
    );
    expect(call("GRID", "LLMCOST", [[SONNET, 1, 1]], 2, column(2_001), 3, [Array(1_000).fill(1)])).toBe(
      "VALUE: row_values, col_values: 2001000 cells; GRID computes at most 2000000",
    );
  });
});

describe("SOLVE", () => {
  it("solves LLMCOST for input tokens (linear: exact)", () => {
    // 300 output tokens cost 0.0045, each input token 3e-6: 0.0105 needs (0.0105 − 0.0045) ÷ 3e-6 = 2,000.
    expect(call("SOLVE", "LLMCOST", [[SONNET, null, 300]], 2, 0.0105)).toBe("2000");
    // 0.01 needs 0.0055 ÷ 3e-6 = 1,833.33…, which no double holds: to a relative 1e-12.
    const x = new Dec(call("SOLVE", "LLMCOST", [[SONNET, null, 300]], 2, 0.01) as string);
    expect(x.times(3).minus(5500).abs().lte(5500e-12)).toBe(true);
  });

  it("searches 0 … 1 for a fraction: MONTHLYCOST's cache_hit_rate", () => {
    // 1,000 requests of 1,500 in, 300 out on Sonnet 4.6, hit rate h:
    // 1,000 × (1,500 (1 − h) × 3e-6 + 1,500 h × 0.3e-6 + 300 × 15e-6) = 9 − 4.05 h.
    // 7.38 needs h = 1.62 ÷ 4.05 = 0.4.
    expect(call("SOLVE", "MONTHLYCOST", [[SONNET, 1000, 1500, 300]], 5, 7.38)).toBe("0.4");
    // 8 needs h = 1 ÷ 4.05 = 20/81 = 0.246913580246913580…
    const h = new Dec(call("SOLVE", "MONTHLYCOST", [[SONNET, 1000, 1500, 300]], 5, 8) as string);
    expect(h.times(81).minus(20).abs().lte(20e-12)).toBe(true);
  });

  it("is #NUM! when the range holds no answer, saying what the range reaches", () => {
    // h = 0 gives 9 (above); h = 1 gives 1,000 × (1,500 × 0.3e-6 + 0.0045) = 4.95.
    expect(call("SOLVE", "MONTHLYCOST", [[SONNET, 1000, 1500, 300]], 5, 10)).toBe(
      "NUM: target: MONTHLYCOST goes from 9 to 4.95 as cache_hit_rate goes from 0 to 1, never reaching 10",
    );
    // Below the cost of the output alone (0.0045) no prompt is cheap enough.
    expect(call("SOLVE", "LLMCOST", [[SONNET, null, 300]], 2, 0.001, 0, 1000)).toBe(
      "NUM: target: LLMCOST goes from 0.0045 to 0.0075 as input_tokens goes from 0 to 1000, never reaching 0.001",
    );
  });

  it("is #NUM! where the function jumps past the target (a long-context tier)", () => {
    // Gemini 2.5 Pro, 5,000 out: up to 200k in, 0.025 + in × 1.25e-6 (0.275 at 200k); above, the whole
    // request at 2.50 and 10: 0.55 and up. Nothing costs 0.4; 0.2 costs (0.2 − 0.025) ÷ 1.25e-6 = 140,000.
    expect(call("SOLVE", "LLMCOST", [["google/gemini-2.5-pro", null, 5000]], 2, 0.4)).toBe(
      "NUM: target: LLMCOST jumps past 0.4 at input_tokens ≈ 200000, never equal to it",
    );
    expect(call("SOLVE", "LLMCOST", [["google/gemini-2.5-pro", null, 5000]], 2, 0.2)).toBe("140000");
  });

  it("answers the first whole value that reaches the target for a whole-number argument", () => {
    // RETRY_FACTOR(0.5, n) = 1 + 0.5 + … + 0.5^n: 1.875 at 3, 1.9375 at 4.
    expect(call("SOLVE", "RETRY_FACTOR", [[0.5]], 2, 1.9)).toBe("4");
    expect(call("SOLVE", "RETRY_FACTOR", [[0.5]], 2, 1.875)).toBe("3");
  });

  it("keeps its default range inside the argument's own (GPU_TCO's years: 1 … 16,382)", () => {
    // 8×H100 at catalogue defaults: $255,000 capex + 10 kW × 1.4 × 8,760 h × $0.10 = $12,264 power a year.
    // 3 years: 291,792; 4 years: 304,056, the first to reach $300,000. Searching from 0 would fail on years ≥ 1.
    expect(call("SOLVE", "GPU_TCO", [["8xh100-sxm", 3]], 2, 300_000)).toBe("4");
  });

  it("approaches a bound the argument excludes from inside, default or given", () => {
    // SELFHOST_COSTPERM(20, 3,000, u) = 20 × 10^6 ÷ (3,000 × 3,600 × u) = 1.851851… ÷ u; 3.7037… needs
    // u = 0.5. Utilisation must be > 0: the default low 0 is approached from inside, not an error.
    expect(call("SOLVE", "SELFHOST_COSTPERM", [[20, 3000, 1]], 3, 3.7037037037037037)).toBe("0.5");
    expect(call("SOLVE", "SELFHOST_COSTPERM", [[20, 3000, 1]], 3, 3.7037037037037037, 0, 1)).toBe("0.5");
    // A given bound beyond the argument's range is brought inside it too (utilisation ≤ 1).
    expect(call("SOLVE", "SELFHOST_COSTPERM", [[20, 3000, 1]], 3, 3.7037037037037037, -5, 7)).toBe("0.5");
    // HYBRID_COST's hours_per_sample > 0: 1 unit × 150 tokens/s, $2 an hour, demand 100 tokens/s,
    // $1/M: 2 h per sample-hour; 1 needs h = 0.5.
    expect(call("SOLVE", "HYBRID_COST", [[[[100]], 1, 150, 2, 1]], 6, 1)).toBe("0.5");
  });

  it("passes on an error at the ends and checks its own arguments", () => {
    // cached_tokens 1,000 with input 0 breaks LLMCOST's rule at low = 0.
    expect(call("SOLVE", "LLMCOST", [[SONNET, null, 300, 1000]], 2, 0.01)).toBe(
      "VALUE: cached_tokens: cached_tokens + cache_write_tokens must not exceed input_tokens",
    );
    expect(call("SOLVE", "LLMCOST", [[SONNET, null, 300]], 2, 0.01, 5, 5)).toBe("VALUE: high: must be greater than low (5)");
    expect(call("SOLVE", "SOLVE", [[1]], 1, 1)).toBe("VALUE: function: SOLVE cannot be the function of GRID, SOLVE or TORNADO");
    expect(call("SOLVE", "FORECAST", [[10, 3]], 1, 1)).toBe("VALUE: function: FORECAST does not return a single number");
  });
});

describe("TORNADO", () => {
  it("swings a release-2 function's numbers: QUALITY_BREAKEVEN", () => {
    // (0.009 − 0.0001) ÷ (0.95 − 0.7) = 0.0356. cost_a ±20%: 0.0071 ÷ 0.25 = 0.0284, 0.0107 ÷ 0.25 = 0.0428;
    // success_a 0.76 / 1.14: 1.14 breaks its rule. cost_b: 0.00892 ÷ 0.25 = 0.03568, 0.00888 ÷ 0.25 = 0.03552;
    // success_b 0.56 / 0.84: 0.0089 ÷ 0.39 = 0.0228205…, 0.0089 ÷ 0.11 = 0.0809090….
    const rows = call("TORNADO", "QUALITY_BREAKEVEN", [[0.009, 0.95, 0.0001, 0.7]]) as string[][];
    expect(rows.map((r) => r[0])).toEqual(["argument", "success_b", "cost_a", "cost_b", "success_a"]);
    expect(rows[2]).toEqual(["cost_a", "0.0284", "0.0428", "0.0144"]);
    expect(rows[4].slice(2)).toEqual(["VALUE: success_a: must be ≤ 1", "VALUE: success_a: must be ≤ 1"]);
  });

  it("swings each numeric argument, largest spread first, an error where a swing breaks a rule", () => {
    // MONTHLYCOST(Sonnet 4.6, 1,000 requests, 1,500 in, 300 out, 90% hits) = 1,000 × (150 × 3e-6 +
    // 1,350 × 0.3e-6 + 300 × 15e-6) = 5.355. ±20%:
    // requests 800 / 1,200: 4.284 / 6.426, spread 2.142;
    // output 240 / 360: 1,000 × (0.000855 + 0.0036 / 0.0054) = 4.455 / 6.255, spread 1.8;
    // input 1,200 / 1,800: (120 × 3 + 1,080 × 0.3) / (180 × 3 + 1,620 × 0.3) e-6 + 0.0045 → 5.184 / 5.526, spread 0.342;
    // hit rate 0.72: (420 × 3 + 1,080 × 0.3) e-6 + 0.0045 → 6.084; 1.08 is no fraction: that cell and the spread err,
    // and the row sorts last.
    const over = "VALUE: cache_hit_rate: must be ≤ 1";
    expect(call("TORNADO", "MONTHLYCOST", [[SONNET, 1000, 1500, 300, 0.9]])).toEqual([
      ["argument", "low", "high", "spread"],
      ["requests_per_month", "4.284", "6.426", "2.142"],
      ["output_tokens", "4.455", "6.255", "1.8"],
      ["input_tokens", "5.184", "5.526", "0.342"],
      ["cache_hit_rate", "6.084", over, over],
    ]);
  });

  it("keeps ties in argument order and skips text arguments", () => {
    // LLMCOST(Sonnet 4.6, 1,000 in, 200 out) = 0.003 + 0.003. ±10%: input 900 / 1,100 → 0.0057 / 0.0063;
    // output 180 / 220 → 0.0057 / 0.0063: a tie at 0.0006, input first. cached 0 swings to 0: spread 0.
    expect(call("TORNADO", "LLMCOST", [[SONNET, 1000, 200, 0, null, null, "standard"]], 0.1)).toEqual([
      ["argument", "low", "high", "spread"],
      ["input_tokens", "0.0057", "0.0063", "0.0006"],
      ["output_tokens", "0.0057", "0.0063", "0.0006"],
      ["cached_tokens", "0.006", "0.006", "0"],
    ]);
  });

  it("is the function's own error when the arguments given already break a rule", () => {
    expect(call("TORNADO", "LLMCOST", [["claude-sonet-4-6", 1000, 200]])).toMatch(/^NA: unknown model/);
    expect(call("TORNADO", "LLMCOST", [[SONNET, 1000, 200]], 1.5)).toBe("VALUE: swing: must be ≤ 1");
  });
});
