import { readFileSync } from "node:fs";
import "../test/setup/custom-functions";
import * as caching from "../addin/src/functions/caching";
import * as catalogue from "../addin/src/functions/catalogue";
import * as finops from "../addin/src/functions/finops";
import * as images from "../addin/src/functions/images";
import * as pricing from "../addin/src/functions/pricing";
import * as reasoning from "../addin/src/functions/reasoning";
import * as selfhost from "../addin/src/functions/selfhost";
import { FUNCTIONS, type Param, invoke, toPlain } from "../packages/core/src";
import { activeCatalogue, compileCatalogue, setActiveCatalogue } from "../packages/core/src/catalogue";
import { type Case, cold, median, middle, rate, timed, warmUp } from "./measure";

/**
 * Every scalar worksheet function (one number or text per cell) through its add-in wrapper, as
 * Excel calls it: raw cell values in, a double or text out, errors as CustomFunctions.Error.
 * Each function cycles through a few realistic argument lists (omitted arguments are null, as
 * Excel passes them), priced by the reference fixture catalogue. The what-if functions are left
 * out: SOLVE evaluates another function thousands of times, and GRID is measured below.
 */

const WRAPPERS: Record<string, (...args: never[]) => unknown> = {
  ...caching,
  ...catalogue,
  ...finops,
  ...images,
  ...pricing,
  ...reasoning,
  ...selfhost,
};

/** Excel's date serial of an ISO date (1900 system). */
const serial = (iso: string) => Date.parse(iso) / 86_400_000 + 25_569;

const SONNET = "anthropic/claude-sonnet-4-6";
const GPT4O = "openai/gpt-4o";
const FLASH = "google/gemini-2.5-flash";

/** A few argument lists per function, as a workbook would hold them. */
const EXAMPLES: Record<string, unknown[][]> = {
  PRICE: [
    [SONNET, "output", null, null],
    [GPT4O, "input", 1500, serial("2026-03-01")],
    [FLASH, "cache_read", 250_000, "2026-05-15"],
  ],
  BLENDEDCOST: [
    [[[SONNET], [GPT4O]], [[0.7], [0.3]], 1500, 300],
    [[[FLASH], ["openai/gpt-4o-mini"]], [[0.5], [0.5]], 4000, 800],
  ],
  LLMCOST: [
    [SONNET, 12_000, 800, 8_000, 0, 0, null],
    [GPT4O, 1500, 300, null, null, null, null],
    [FLASH, 40_000, 2_000, 0, 0, 1_200, "batch"],
  ],
  USAGECOST: [
    [SONNET, [["input", "cache_read", "output", "web_search", "request"]], [[12_000, 8_000, 800, 2, 1]], null],
    [GPT4O, [["input"], ["output"]], [[1_500], [300]], "batch"],
  ],
  MONTHLYCOST: [
    [SONNET, 250_000, 3_000, 400, 0.6, 0.02, null],
    [GPT4O, 1_000_000, 1_500, 300, null, null, null],
    [FLASH, 50_000, 12_000, 900, 0.35, 0.05, "batch"],
  ],
  CONVERSATION_COST: [
    [SONNET, 10, 200, 400, 2_000, null, null],
    [SONNET, 20, 150, 300, 4_000, true, null],
  ],
  ROUTECOST: [
    [[[SONNET], ["openai/o3-mini"]], [[0.8], [0.2]], 2_000, 400, [["low"], ["medium"]], 0.0001],
    [[[GPT4O], ["openai/gpt-4o-mini"]], [[0.3], [0.7]], 1_500, 300, null, null],
  ],
  MEDIA_TOKENS: [
    ["google", "video", 30],
    [FLASH, "audio", 95.5],
  ],
  HYBRID_COST: [
    [[[1_200], [2_400], [3_100], [900]], 1, 2_400, 24.5, 3, null],
    [[[500], [800], [1_500]], 0.5, 1_100, 3.2, 0.9, 2],
  ],
  COMMITTED_COST: [
    [
      42_000,
      [
        [0, 0],
        [10_000, 0.05],
        [50_000, 0.1],
      ],
      null,
    ],
    [
      80_000,
      [
        [0, 0],
        [10_000, 0.05],
        [50_000, 0.1],
      ],
      true,
    ],
  ],
  FX: [
    ["EUR", null],
    ["GBP", "2026-05-15"],
    ["JPY", 46157], // a date cell: 2026-05-15
  ],
  QUALITY_BREAKEVEN: [
    [0.012, 0.82, 0.03, 0.97],
    [0.002, 0.6, 0.01, 0.9],
  ],
  TOKENCOST: [
    [1500, 300, 3, 15, null, null],
    [12_000, 800, 2.5, 10, 6_000, 1.25],
  ],
  CACHE_BREAKEVEN_READS: [
    [SONNET, null],
    [SONNET, "1h"],
    [FLASH, "1h"],
  ],
  CACHE_COST: [
    [SONNET, 20_000, 10_000, 120, "5m", null],
    [SONNET, 50_000, 2_000, 30, "1h", null],
    [FLASH, 40_000, 5_000, 24, "1h", 24],
  ],
  CACHE_SAVINGS: [
    [SONNET, 20_000, 10_000, 120, "5m", null],
    [FLASH, 40_000, 5_000, 24, "1h", 24],
  ],
  CACHE_STORAGE: [
    [FLASH, 40_000, 24],
    [SONNET, 20_000, 1],
  ],
  CACHE_WRITES: [
    [10_000, 1_440, 5],
    [500, 1_440, 60],
  ],
  BUDGETCOST: [
    ["anthropic/claude-opus-4", 5_000, 800, 16_000, null],
    [SONNET, 3_000, 500, 8_000, 0.4],
  ],
  REASONINGCOST: [
    ["openai/o3", 5_000, 800, "medium", null],
    ["openai/o3-mini", 2_000, 400, 3_000, "batch"],
  ],
  THINKING_TOKENS: [
    ["openai/o3", "high"],
    [SONNET, "low"],
  ],
  IMAGE_TOKENS: [
    ["openai", 1024, 1024, "high"],
    ["anthropic", 1920, 1080, null],
    [FLASH, 800, 600, null],
  ],
  DECODE_TPS: [
    ["8xh100-sxm", 70, 2, 32, 4_000, 327_680, null],
    ["8xmi300x", 405, 1, 8, 8_000, 516_096, 0.5],
  ],
  GPUS_NEEDED: [
    [12_000, 2_400, null],
    [50_000, 3_100, 0.2],
  ],
  GPU_HOURLY: [
    ["8xh100-sxm", 4, null, 0.12, 1.3, 150, 25_000, 40_000, 0.03, null],
    [280_000, 5, 10.2, null, null, null, null, null, null, null],
  ],
  GPU_TCO: [
    ["8xh100-sxm", 4, null, 0.12, 1.3, 150, 25_000, 40_000, 0.03, null],
    [
      "8xb200-sxm",
      5,
      null,
      0.08,
      1.2,
      180,
      30_000,
      50_000,
      0.02,
      [
        ["residual", 60_000],
        ["discount_rate", 0.08],
      ],
    ],
    [280_000, 3, 10.2, null, null, null, null, null, null, null],
  ],
  KVCACHE_BYTES: [
    [80, 8, 128, 32_768, null],
    [61, 8, 128, 128_000, 1],
  ],
  RENT_COST: [
    ["8xh100-sxm", 1, 0.7, null, null],
    [24.5, 2.5, null, null, null],
    ["8xh100-sxm", 3, 0.8, -0.2, 0.08],
  ],
  SELFHOST_BREAKEVEN: [
    [600_000, SONNET, null],
    [600_000, 4.2, 0.3],
  ],
  SELFHOST_COSTPERM: [
    [98.6, 2_400, 0.6],
    [24.5, 1_100, null],
  ],
  BUDGET_STATUS: [
    [4_200, 10_000, null],
    [9_300, 10_000, [[0.5, 0.9, 1]]],
  ],
  FINETUNE_BREAKEVEN: [
    [25_000, 0.012, 0.004],
    [8_000, 0.03, 0.018],
  ],
  FREE_TIER_COST: [
    [0.04, 0.35],
    [0.02, 1.1],
  ],
  RETRY_FACTOR: [
    [0.02, 3],
    [0.1, 5],
  ],
};

const WHAT_IF = new Set(["GRID", "SOLVE", "TORNADO"]);
export const SCALAR_FUNCTIONS = Object.values(FUNCTIONS).filter((f) => f.result !== "spill" && !WHAT_IF.has(f.name));

/** ECB-shaped reference days for FX: the fixture holds no exchange rates. */
const FX_DAYS = ["2026-05-14", "2026-05-15", "2026-06-12"].map((date, i) => ({
  date,
  per_eur: { USD: `1.08${i}`, GBP: `0.85${i}`, JPY: `162.${i}` },
}));

function referenceCatalogue() {
  const fixture = JSON.parse(readFileSync("test/fixtures/reference-2026-06.json", "utf8"));
  return compileCatalogue({ ...fixture, fx: { reference: FX_DAYS } });
}

/** Runs `f` with the reference fixture active, then puts back what was active. */
async function withReference<T>(f: () => T | Promise<T>): Promise<T> {
  const before = activeCatalogue();
  setActiveCatalogue(referenceCatalogue());
  try {
    return await f();
  } finally {
    setActiveCatalogue(before);
  }
}

/** Calls per second of one function's wrapper over its examples; each example must succeed. */
function wrapperRate(name: string): number {
  const wrapper = WRAPPERS[name];
  const examples = EXAMPLES[name];
  for (const args of examples) Reflect.apply(wrapper, undefined, args); // an example that throws is a bench bug
  const n = examples.length;
  const r = rate((i) => Reflect.apply(wrapper, undefined, examples[i % n]), 0.5);
  process.stderr.write(`  ${name.padEnd(22)} ${fmt(r)} calls/s\n`);
  return r;
}

export const TARGET_CALLS_PER_SECOND = 500_000;

const fmt = (r: number) => `${(r / 1000).toFixed(0)}k`;

export const functionCases: Case[] = [
  {
    name: "slowest scalar function through its wrapper",
    unit: "calls/s",
    better: "higher",
    run: () =>
      withReference(() => {
        const missing = SCALAR_FUNCTIONS.filter((f) => !EXAMPLES[f.name] || !WRAPPERS[f.name]).map((f) => f.name);
        const rates = SCALAR_FUNCTIONS.filter((f) => !missing.includes(f.name))
          .map((f) => ({ name: f.name, rate: wrapperRate(f.name) }))
          .sort((a, b) => a.rate - b.rate);
        const slowest = rates
          .slice(0, 5)
          .map((r) => `${r.name} ${fmt(r.rate)}`)
          .join(", ");
        const note = `${rates.length} functions; slowest five: ${slowest}${missing.length ? `; no example for ${missing.join(", ")}` : ""}`;
        // A function with no example is unmeasured, so the target cannot be called met.
        return { value: missing.length ? 0 : rates[0].rate, target: TARGET_CALLS_PER_SECOND, note };
      }),
  },
];

// --- GRID of each heavy scalar function ------------------------------------------------------

const column = (values: unknown[]) => values.map((v) => [v]);
const series = (n: number, f: (i: number) => unknown) => Array.from({ length: n }, (_, i) => f(i));

/** GRID(function, args, row_arg, rows, col_arg, cols) through core, down to the doubles Excel receives. */
function grid(fn: string, args: unknown[], rowArg: number, rows: unknown[], colArg: number, cols: unknown[]) {
  return () => toPlain(invoke(FUNCTIONS.GRID, [fn, [args], rowArg, column(rows), colArg, [cols]]));
}

const GRIDS: [label: string, run: () => unknown][] = [
  [
    "MONTHLYCOST: requests × input tokens",
    grid(
      "MONTHLYCOST",
      [SONNET, 250_000, 3_000, 400, 0.6, 0.02],
      2,
      series(100, (i) => 10_000 * (i + 1)),
      3,
      series(100, (j) => 500 + 100 * j),
    ),
  ],
  [
    "GPU_TCO: power price × colo",
    grid(
      "GPU_TCO",
      ["8xh100-sxm", 4, null, 0.12, 1.3, 150, 25_000, 40_000, 0.03],
      4,
      series(100, (i) => 0.05 + i / 1000),
      6,
      series(100, (j) => 100 + 2 * j),
    ),
  ],
  [
    "PRICE with as_of: prompt tokens × date",
    grid(
      "PRICE",
      [GPT4O, "input", 0, serial("2026-03-01")],
      3,
      series(100, (i) => 2_000 * i),
      4,
      series(100, (j) => serial("2026-01-01") + 2 * j),
    ),
  ],
  [
    "CACHE_COST: requests × prefix tokens",
    grid(
      "CACHE_COST",
      [SONNET, 20_000, 10_000, 120, "1h"],
      3,
      series(100, (i) => 1_000 * (i + 1)),
      2,
      series(100, (j) => 1_000 + 500 * j),
    ),
  ],
];

export const gridCases: Case[] = GRIDS.map(([label, run]) => ({
  name: `GRID 100 × 100 (${label})`,
  unit: "ms",
  better: "lower",
  run: () => withReference(async () => ({ value: await median(run, 9), target: 10 })),
}));

/** The round step (1, 2 or 5 × 10^k) at most `x`: what a user types as a series' step. */
function roundStep(x: number): number {
  const unit = 10 ** Math.floor(Math.log10(x));
  return [5, 2, 1].map((m) => m * unit).find((step) => step <= x) ?? unit;
}

/**
 * 100 values from an example's number as a sensitivity axis runs, inside its parameter's rule:
 * a round step about a hundredth of the value's size (a share from half its value up to it; a
 * negative value towards 0), each value start + i × step as a fill series makes it, with the float
 * noise a decimal step brings (0.3 + 3 × 0.005 is 0.315 and a few units in the 17th digit).
 */
function axis(p: Param<unknown>, v: number): number[] {
  const start = v === 0 ? 0 : p.fraction ? v / 2 : v;
  const step = v === 0 ? (p.fraction ? 0.01 : 1) : Math.max(roundStep(Math.abs(start) / 100), p.whole ? 1 : 0);
  return series(100, (i) => start + i * step) as number[];
}

/**
 * GRID over every scalar function along every number argument: for each of its examples, each
 * number argument down the rows against the first other number argument across (functions with
 * fewer than two are left out and named). The slowest GRID is the figure; a function's first GRID
 * is also timed cold. Each GRID's figure is the median of nine runs taken in three passes over all
 * of them, a few seconds apart: the slowest of 198 medians would otherwise be whichever GRID's
 * nine back-to-back runs met a moment of load on a shared machine.
 */
export const everyGridCase: Case = {
  name: "GRID 100 × 100, slowest scalar function",
  unit: "ms",
  better: "lower",
  run: () =>
    withReference(async () => {
      const grids: { label: string; run: () => unknown; times: number[] }[] = [];
      const colds: { name: string; ms: number }[] = [];
      const skipped = new Set<string>();
      for (const f of SCALAR_FUNCTIONS.filter((f) => f.result === "number")) {
        for (const [e, args] of (EXAMPLES[f.name] ?? [[]]).entries()) {
          const numbers = f.params.flatMap((p, i) => (p.kind !== "range" && typeof args[i] === "number" ? [i] : []));
          if (numbers.length < 2) {
            skipped.add(f.name);
            continue;
          }
          for (const r of numbers) {
            const c = numbers.find((i) => i !== r) as number;
            const run = grid(f.name, args, r + 1, axis(f.params[r], args[r] as number), c + 1, axis(f.params[c], args[c] as number));
            if (colds.at(-1)?.name !== f.name) colds.push({ name: f.name, ms: await cold(run) });
            await warmUp(run);
            grids.push({ label: `${f.name} (example ${e + 1}: ${f.params[r].name} × ${f.params[c].name})`, run, times: [] });
          }
        }
      }
      for (let pass = 0; pass < 3; pass++) for (const g of grids) g.times.push(...(await timed(g.run, 3)));
      const times = grids.map((g) => ({ label: g.label, ms: middle(g.times) }));
      for (const t of times) process.stderr.write(`  ${t.ms.toFixed(2).padStart(6)} ms  ${t.label}\n`);
      times.sort((a, b) => b.ms - a.ms);
      const slowest = times
        .slice(0, 5)
        .map((t) => `${t.label} ${t.ms.toFixed(1)}`)
        .join(", ");
      const coldest = colds.reduce((a, b) => (b.ms > a.ms ? b : a));
      return {
        value: times[0].ms,
        target: 10,
        note: `${times.length} GRIDs: every scalar number function, each bench example, each number argument down 100 rows against the first other across 100 columns, each the median of 9 runs in 3 passes over all; slowest five (ms): ${slowest}; a function's first GRID, cold, up to ${coldest.ms.toFixed(0)} ms (${coldest.name}); fewer than two number arguments: ${[...skipped].join(", ")}`,
      };
    }),
};
