import { type CompiledModel, modelArg } from "./catalogue";
import { Dec, type Fixed, type Nearest, ZERO, fromNumber, minusFixed, shortFixedOf, timesFixed } from "./decimal";
import { effortDefaults, effortTokens, parseEffort, thinkingFrom } from "./effort";
import { LLMCOST_ARGS, type Mode, STANDARD, fixedCost, flatRates, parseMode, requestCost, wideRequestCost } from "./pricing";
import { count, defineFunction, double, doubleOrText, optional, text } from "./sheet";
import { WIDE_ZERO, WideAcc, exactOfWide } from "./wide";

/**
 * Reasoning models: thinking tokens on top of the visible output, billed at the entry's reasoning
 * rate (its output rate unless it names one; requestCost applies that fallback). How many there
 * are comes from an effort word (the catalogue's per-model defaults), a count, or a capped budget.
 */

/**
 * USD for one request: input, visible output and thinking tokens, under a mode's variant.
 * `thinkingArg` names the argument the thinking tokens came from, for a missing-price message.
 */
export function thinkingCost(
  model: CompiledModel,
  input: Dec,
  visible: Dec,
  thinking: Dec,
  thinkingArg: string,
  mode: Mode = STANDARD,
): Dec {
  const args = { ...LLMCOST_ARGS, output: "visible_output_tokens", reasoning: thinkingArg };
  return requestCost(model, { input, output: visible, cached: ZERO, cacheWrite: ZERO, reasoning: thinking }, mode, args);
}

export const THINKING_TOKENS = defineFunction(
  "THINKING_TOKENS",
  {
    description: "Thinking tokens per request the catalogue assumes for a reasoning model at an effort level.",
    result: "number",
    returns: "Thinking tokens per request.",
    help: {
      model: 'Catalogue id ("openai/o3") or an unambiguous model name; must have effort defaults.',
      effort: '"low", "medium" or "high".',
    },
  },
  [modelArg(), text("effort")],
  (model, word) => {
    const effort = parseEffort(word, "effort", "low, medium or high");
    return new Dec(effortDefaults(model, "model")[effort]);
  },
);

const EFFORT_OR_TOKENS = "effort_or_thinking_tokens";

export const REASONINGCOST = defineFunction(
  "REASONINGCOST",
  {
    description:
      "USD for one request to a reasoning model: input, visible output, and thinking tokens at the reasoning rate (the output rate unless the catalogue names one).",
    result: "number",
    returns: "USD.",
    help: {
      model: 'Catalogue id ("openai/o3") or an unambiguous model name.',
      input_tokens: "Prompt tokens.",
      visible_output_tokens: "Output tokens the user sees.",
      effort_or_thinking_tokens:
        '"low", "medium" or "high" (the catalogue\'s thinking tokens for that effort), or a number of thinking tokens.',
      mode: '"standard" (default), "batch", "offpeak", combined with commas or spaces.',
    },
  },
  [modelArg(), count("input_tokens"), count("visible_output_tokens"), doubleOrText(EFFORT_OR_TOKENS), optional(text("mode"), "standard")],
  (model, input, visible, effortOrTokens, flags) => {
    // An effort word throws here as thinkingFrom would, before the mode is read; a count < 0 is the decimal path's error.
    const thinking =
      typeof effortOrTokens === "string"
        ? effortTokens(model, effortOrTokens, EFFORT_OR_TOKENS)
        : effortOrTokens >= 0
          ? effortOrTokens
          : undefined;
    const fast = thinking === undefined ? undefined : fixedCost(model, input, visible, 0, 0, thinking, parseMode(flags));
    return fast ?? reasoningCost(model, fromNumber(input), fromNumber(visible), effortOrTokens, flags);
  },
);

/** The decimal path of REASONINGCOST. */
export function reasoningCost(model: CompiledModel, input: Dec, visible: Dec, effortOrTokens: number | string, flags: string): Dec {
  const given = typeof effortOrTokens === "string" ? effortOrTokens : fromNumber(effortOrTokens);
  return thinkingCost(model, input, visible, thinkingFrom(model, given, EFFORT_OR_TOKENS), EFFORT_OR_TOKENS, parseMode(flags));
}

export const BUDGETCOST = defineFunction(
  "BUDGETCOST",
  {
    description:
      "Expected USD for one request when thinking is capped: visible output plus expected_use × thinking_budget thinking tokens.",
    result: "number",
    returns: "USD.",
    help: {
      model: 'Catalogue id ("anthropic/claude-opus-4") or an unambiguous model name.',
      input_tokens: "Prompt tokens.",
      visible_output_tokens: "Output tokens the user sees.",
      thinking_budget: "The cap on thinking tokens per request.",
      expected_use: "Fraction of the budget used on average, 0 to 1 (1 gives the worst case). Default 0.75.",
    },
  },
  [
    modelArg(),
    count("input_tokens"),
    count("visible_output_tokens"),
    count("thinking_budget"),
    optional(double("expected_use", { min: 0, max: 1, fraction: true }), 0.75),
  ],
  (model, input, visible, budget, expectedUse) => {
    const thinking = exactProduct(budget, expectedUse);
    const fast = thinking === undefined ? undefined : fixedCost(model, input, visible, 0, 0, thinking, STANDARD);
    return fast ?? wideBudget(model, input, visible, budget, expectedUse) ?? budgetOf(model, input, visible, budget, expectedUse);
  },
);

/** BUDGETCOST's decimal path from its run's arguments (a proven double's, run only on demand). */
const budgetOf = (model: CompiledModel, input: number, visible: number, budget: number, expectedUse: number) =>
  budgetCost(model, fromNumber(input), fromNumber(visible), fromNumber(budget), fromNumber(expectedUse));

/** BUDGETCOST's wide path, worked in place: input, visible and thinking tokens, the request. */
const INPUT = new WideAcc();
const VISIBLE = new WideAcc();
const THINKING = new WideAcc();
const COST = new WideAcc();

/**
 * BUDGETCOST past the integer path (a fill series' 17-digit expected_use): the counts as their
 * exact decimals (wide.ts), thinking tokens budget × expected_use (the decimal path's own product,
 * below 2^103 units, so exact at 34 digits too) and the request priced as the decimal path prices
 * it (wideRequestCost). Its Fixed, or the double nearest that exact decimal; undefined (the
 * decimal path answers or raises) where a step leaves the Wides, a part with tokens has no price,
 * or the double is not decided.
 */
function wideBudget(
  model: CompiledModel,
  input: number,
  visible: number,
  budget: number,
  expectedUse: number,
): Fixed | Nearest | undefined {
  const r = flatRates(model, input, STANDARD.key);
  if (!r) return undefined;
  const thinking = THINKING.setDouble(budget).timesDouble(expectedUse);
  const cost = wideRequestCost(COST, r, INPUT.setDouble(input), WIDE_ZERO, VISIBLE.setDouble(visible), thinking);
  return exactOfWide(cost, budgetOf, [model, input, visible, budget, expectedUse]);
}

/** The decimal path of BUDGETCOST. */
export function budgetCost(model: CompiledModel, input: Dec, visible: Dec, budget: Dec, expectedUse: Dec): Dec {
  return thinkingCost(model, input, visible, budget.times(expectedUse), "thinking_budget");
}

/**
 * a × b exactly (as decimals read from their texts) as the double whose shortest text is that
 * product, so LLMCOST's integer path reads it back exactly; undefined when there is none.
 */
function exactProduct(a: number, b: number): number | undefined {
  // Values of 16 or 17 digits are left to wideBudget, which reads their text once for a GRID's row.
  const fa = shortFixedOf(a);
  const fb = shortFixedOf(b);
  const product = fa && fb && timesFixed(fa, fb);
  if (!product) return undefined;
  const n = product.toNumber();
  const back = shortFixedOf(n);
  return back && minusFixed(back, product)?.units === 0 ? n : undefined;
}
