import { FUNCTIONS, invoke, toPlain } from "../packages/core/src";
import { type Case, median } from "./measure";

/** GRID of LLMCOST over input × output tokens, through core, down to the doubles Excel receives. */
function grid(size: number) {
  const column = (from: number) => Array.from({ length: size }, (_, i) => [from + i * 10]);
  const row = (from: number) => [Array.from({ length: size }, (_, i) => from + i * 5)];
  return () => toPlain(invoke(FUNCTIONS.GRID, ["LLMCOST", [["anthropic/claude-sonnet-4-6", 1500, 300]], 2, column(500), 3, row(100)]));
}

export const whatifCases: Case[] = [
  { name: "GRID 100 × 100 (LLMCOST)", unit: "ms", better: "lower", run: async () => ({ value: await median(grid(100), 9), target: 10 }) },
  {
    name: "GRID 1,000 × 1,000 (LLMCOST)",
    unit: "ms",
    better: "lower",
    run: async () => ({ value: await median(grid(1000), 3), target: 2000 }),
  },
];
