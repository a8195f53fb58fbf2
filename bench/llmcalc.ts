import { spawnSync } from "node:child_process";
import type { Case } from "./measure";

/** Wall time of the CLI, start to exit, printing a 1,000 × 1,000 GRID as tab-separated rows. */
const FORMULA = '=TL.GRID("LLMCOST",{"anthropic/claude-sonnet-4-6",1500,300},2,SEQUENCE(1000,1,500,10),3,SEQUENCE(1,1000,100,5))';

export const llmcalcCases: Case[] = [
  {
    name: "llmcalc: 1,000,000-cell GRID formula",
    unit: "s",
    better: "lower",
    run: () => {
      const times = Array.from({ length: 3 }, () => {
        const start = performance.now();
        const run = spawnSync("node", ["packages/llmcalc/bin/llmcalc.mjs", FORMULA], { maxBuffer: 1 << 30 });
        if (run.status !== 0) throw new Error(String(run.stderr));
        return (performance.now() - start) / 1000;
      }).sort((a, b) => a - b);
      return { value: times[1], target: 3, note: "median of 3 runs, whole process" };
    },
  },
];
