import { actualsCases } from "./actuals";
import { bundleCases } from "./bundles";
import { catalogueCases } from "./catalogue";
import { coldStartCases } from "./coldstart";
import { everyGridCase, functionCases, gridCases } from "./functions";
import { llmcalcCases } from "./llmcalc";
import { llmcostCases } from "./llmcost";
import { recalcCases } from "./recalc";
import type { Case } from "./measure";
import { taskpaneCases } from "./taskpane";
import { usagecostCases } from "./usagecost";
import { whatifCases } from "./whatif";

export const cases: Case[] = [
  ...llmcostCases,
  ...functionCases,
  ...usagecostCases,
  ...whatifCases,
  ...gridCases,
  everyGridCase,
  ...recalcCases,
  ...catalogueCases,
  ...bundleCases,
  ...coldStartCases,
  ...llmcalcCases,
  ...taskpaneCases,
  ...actualsCases,
];
