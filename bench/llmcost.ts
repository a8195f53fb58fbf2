import { calcPrice } from "@pydantic/genai-prices";
import "../test/setup/custom-functions";
import { LLMCOST } from "../addin/src/functions/pricing";
import { FUNCTIONS, invoke, toPlain } from "../packages/core/src";
import { type Case, rate } from "./measure";

/**
 * LLMCOST from raw cell values to the double Excel shows, over a fixed mix of request shapes
 * (four providers, cached and uncached, one long-context request), beside plain-float arithmetic
 * and @pydantic/genai-prices' calcPrice on the same shapes.
 */
const MODELS = [
  ["anthropic/claude-sonnet-4-6", "anthropic", "claude-sonnet-4-6"],
  ["openai/gpt-4o", "openai", "gpt-4o"],
  ["google/gemini-2.5-flash", "google", "gemini-2.5-flash"],
  ["deepseek/deepseek-v3", "deepseek", "deepseek-chat"],
] as const;

const SHAPES = Array.from({ length: 64 }, (_, i) => {
  const [id, provider, ref] = MODELS[i % MODELS.length];
  const input = 500 + ((i * 7919) % 40_000);
  return { id, provider, ref, input, output: 100 + ((i * 104_729) % 2_000), cached: i % 3 === 0 ? Math.floor(input / 2) : 0 };
});

const flat = FUNCTIONS.LLMCOST;
const core = (i: number) => {
  const s = SHAPES[i & 63];
  return toPlain(invoke(flat, [s.id, s.input, s.output, s.cached, null, null, null]));
};
const wrapper = (i: number) => {
  const s = SHAPES[i & 63];
  return LLMCOST(s.id, s.input, s.output, s.cached, null as never, null as never, null as never);
};

/** The same formula in doubles, with the same per-call model lookup. */
const FLOAT_PRICES = new Map(
  MODELS.map(([id]) => {
    const rows = invoke(FUNCTIONS.MODELS, [id.split("/")[1]]) as unknown as { toNumber(): number }[][];
    const row = rows[1];
    return [id, { input: row[3].toNumber(), output: row[4].toNumber(), cacheRead: row[5].toNumber() }];
  }),
);
const float = (i: number) => {
  const s = SHAPES[i & 63];
  const p = FLOAT_PRICES.get(s.id)!;
  return ((s.input - s.cached) * p.input + s.cached * p.cacheRead + s.output * p.output) / 1e6;
};

const genai = (i: number) => {
  const s = SHAPES[i & 63];
  return calcPrice({ input_tokens: s.input, output_tokens: s.output, cache_read_tokens: s.cached }, s.ref, { providerId: s.provider });
};

let coreRate = 0;
export const llmcostCases: Case[] = [
  {
    name: "LLMCOST through core",
    unit: "evals/s",
    better: "higher",
    run: () => {
      coreRate = rate(core, 2);
      return { value: coreRate, target: 1_000_000, note: "exact decimals, one core" };
    },
  },
  {
    name: "plain floats ÷ core",
    unit: "×",
    better: "lower",
    run: () => ({ value: rate(float, 2) / coreRate, target: 10 }),
  },
  {
    name: "core ÷ genai-prices calcPrice",
    unit: "×",
    better: "higher",
    run: () => ({ value: coreRate / rate(genai, 2), target: 25 }),
  },
  {
    name: "worksheet wrapper overhead",
    unit: "×",
    better: "lower",
    // Measured back to back with a fresh core figure, so both run in the same JIT state.
    run: () => ({ value: rate(core, 2) / rate(wrapper, 2), target: 1.2, note: "wrapper time per call ÷ core time per call" }),
  },
];
