import "../test/setup/custom-functions";
import { FUNCTIONS, invoke, toPlain } from "../packages/core/src";
import { type Case, rate } from "./measure";

/**
 * USAGECOST from raw cell values to the double Excel shows, for a five-meter usage (uncached
 * input, cache reads, output, web searches, requests) over a fixed mix of quantities.
 */
const METERS = [["input", "cache_read", "output", "web_search", "request"]];
const USAGES = Array.from({ length: 64 }, (_, i) => [
  [500 + ((i * 7919) % 40_000), (i * 104_729) % 20_000, 100 + ((i * 31) % 2_000), i % 4, 1],
]);

const usagecost = (i: number) => toPlain(invoke(FUNCTIONS.USAGECOST, ["anthropic/claude-sonnet-4-6", METERS, USAGES[i & 63], null]));

export const usagecostCases: Case[] = [
  {
    name: "USAGECOST, five meters, through core",
    unit: "evals/s",
    better: "higher",
    run: () => ({ value: rate(usagecost, 2), target: 1_000_000, note: "exact decimals, one core" }),
  },
];
