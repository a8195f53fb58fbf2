import * as reasoning from "@tokenledger/core/reasoning";
import { numberResult } from "./excel";

/**
 * Thinking tokens per request the catalogue assumes for a reasoning model at an effort level.
 * @customfunction THINKING_TOKENS
 * @param model Catalogue id ("openai/o3") or an unambiguous model name; must have effort defaults.
 * @param effort "low", "medium" or "high".
 * @returns Thinking tokens per request.
 */
export function THINKING_TOKENS(model: string, effort: string): number {
  return numberResult(reasoning.THINKING_TOKENS, [model, effort]);
}

/**
 * USD for one request to a reasoning model: input, visible output, and thinking tokens at the reasoning rate (the output rate unless the catalogue names one).
 * @customfunction REASONINGCOST
 * @param model Catalogue id ("openai/o3") or an unambiguous model name.
 * @param input_tokens Prompt tokens.
 * @param visible_output_tokens Output tokens the user sees.
 * @param effort_or_thinking_tokens "low", "medium" or "high" (the catalogue's thinking tokens for that effort), or a number of thinking tokens.
 * @param [mode] "standard" (default), "batch", "offpeak", combined with commas or spaces.
 * @returns USD.
 */
export function REASONINGCOST(
  model: string,
  input_tokens: number,
  visible_output_tokens: number,
  effort_or_thinking_tokens: any,
  mode?: string,
): number {
  return numberResult(reasoning.REASONINGCOST, [model, input_tokens, visible_output_tokens, effort_or_thinking_tokens, mode]);
}

/**
 * Expected USD for one request when thinking is capped: visible output plus expected_use × thinking_budget thinking tokens.
 * @customfunction BUDGETCOST
 * @param model Catalogue id ("anthropic/claude-opus-4") or an unambiguous model name.
 * @param input_tokens Prompt tokens.
 * @param visible_output_tokens Output tokens the user sees.
 * @param thinking_budget The cap on thinking tokens per request.
 * @param [expected_use] Fraction of the budget used on average, 0 to 1 (1 gives the worst case). Default 0.75.
 * @returns USD.
 */
export function BUDGETCOST(
  model: string,
  input_tokens: number,
  visible_output_tokens: number,
  thinking_budget: number,
  expected_use?: number,
): number {
  return numberResult(reasoning.BUDGETCOST, [model, input_tokens, visible_output_tokens, thinking_budget, expected_use]);
}
