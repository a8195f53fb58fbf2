import { execFileSync } from "node:child_process";
import type { Case } from "./measure";

/** Median of fresh processes, each evaluating the built functions bundle (bundles.ts builds it first). */
export const coldStartCases: Case[] = [
  {
    name: "cold start: functions bundle + first LLMCOST",
    unit: "ms",
    better: "lower",
    run: () => {
      const runs = Array.from({ length: 7 }, () => Number(execFileSync("node", ["bench/coldstart.mjs"], { encoding: "utf8" })));
      runs.sort((a, b) => a - b);
      return { value: runs[3], target: 100, note: "fresh V8 per run, built dist/ scripts" };
    },
  },
];
