import * as finops from "@tokenledger/core/finops";
import { numberResult, spillResult, textResult } from "./excel";

/**
 * Expected attempts per request when each failed attempt is retried: 1 + p + p² + … + p^max_retries.
 * @customfunction RETRY_FACTOR
 * @param failure_rate Fraction of attempts that fail (0.01 = 1%), 0 to 1.
 * @param max_retries Retries after the first attempt (a whole number ≥ 0).
 * @returns Attempts per request (1.010101 for 1% and 3 retries).
 */
export function RETRY_FACTOR(failure_rate: number, max_retries: number): number {
  return numberResult(finops.RETRY_FACTOR, [failure_rate, max_retries]);
}

/**
 * USD of free users each paying user carries: (1 − conversion_rate) ÷ conversion_rate × cost_per_free_user.
 * @customfunction FREE_TIER_COST
 * @param conversion_rate Fraction of users who pay (0.05 = 5%), above 0 and at most 1.
 * @param cost_per_free_user USD a free user costs (per month, say).
 * @returns USD per paying user, in the period of cost_per_free_user.
 */
export function FREE_TIER_COST(conversion_rate: number, cost_per_free_user: number): number {
  return numberResult(finops.FREE_TIER_COST, [conversion_rate, cost_per_free_user]);
}

/**
 * Calls after which a fine-tune has paid for itself: training_cost ÷ (cost_per_call_before − cost_per_call_after).
 * @customfunction FINETUNE_BREAKEVEN
 * @param training_cost USD, one-off.
 * @param cost_per_call_before USD per call without the fine-tune.
 * @param cost_per_call_after USD per call with it; #NUM! unless below cost_per_call_before.
 * @returns Calls.
 */
export function FINETUNE_BREAKEVEN(training_cost: number, cost_per_call_before: number, cost_per_call_after: number): number {
  return numberResult(finops.FINETUNE_BREAKEVEN, [training_cost, cost_per_call_before, cost_per_call_after]);
}

/**
 * Spills each tenant's share of a shared cost: total × (w × token share + (1 − w) × peak share); the shares add up to the total.
 * @customfunction ALLOCATE
 * @param total_cost USD to share out.
 * @param token_use Column of each tenant's tokens (or requests). Blank cells at the end answer blank.
 * @param peak_use Column of the same length: each tenant's use at the peak.
 * @param [token_weight] Weight of the token share, 0 to 1. Default 0.7.
 * @returns USD per tenant, one row per tenant.
 */
export function ALLOCATE(total_cost: number, token_use: number[][], peak_use: number[][], token_weight?: number): any[][] {
  return spillResult(finops.ALLOCATE, [total_cost, token_use, peak_use, token_weight]);
}

/**
 * Spills TRUE beside each day whose spend exceeds factor × the average of the window days before it.
 * @customfunction SPEND_ALERT
 * @param daily_spend Column of USD per day, oldest first. Blank cells at the end answer blank.
 * @param [factor] Multiple of the trailing average that alerts. Default 1.5.
 * @param [window] Days in the trailing average (a whole number ≥ 1). Default 7.
 * @returns TRUE/FALSE per day; FALSE for the first window days.
 */
export function SPEND_ALERT(daily_spend: number[][], factor?: number, window?: number): any[][] {
  return spillResult(finops.SPEND_ALERT, [daily_spend, factor, window]);
}

/**
 * Budget status as text: "ok", the highest threshold reached ("50%", "80%"), or "over budget" at the last threshold.
 * @customfunction BUDGET_STATUS
 * @param spend USD spent so far.
 * @param budget USD budget, above 0.
 * @param [thresholds] Row or column of increasing fractions of the budget. Default {0.5,0.8,1}.
 * @returns "ok", a percentage such as "80%", or "over budget".
 */
export function BUDGET_STATUS(spend: number, budget: number, thresholds?: number[][]): string {
  return textResult(finops.BUDGET_STATUS, [spend, budget, thresholds]);
}
