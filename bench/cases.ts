import { actualsCases } from "./actuals";
import { bundleCases } from "./bundles";
import { catalogueCases } from "./catalogue";
import { coldStartCases } from "./coldstart";
import { llmcalcCases } from "./llmcalc";
import { llmcostCases } from "./llmcost";
import type { Case } from "./measure";
import { taskpaneCases } from "./taskpane";
import { usagecostCases } from "./usagecost";
import { whatifCases } from "./whatif";

export const cases: Case[] = [
  ...llmcostCases,
  ...usagecostCases,
  ...whatifCases,
  ...catalogueCases,
  ...bundleCases,
  ...coldStartCases,
  ...llmcalcCases,
  ...taskpaneCases,
  ...actualsCases,
];
