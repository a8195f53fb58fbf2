import { llmcostCases } from "./llmcost";
import type { Case } from "./measure";

export const cases: Case[] = [...llmcostCases];
