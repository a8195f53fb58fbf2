import type { CompiledModel } from "./catalogue";
import { Dec, ZERO } from "./decimal";
import { valueError } from "./errors";

/**
 * Thinking tokens as a user gives them: an effort word (the catalogue's per-model defaults) or a
 * count. REASONINGCOST, THINKING_TOKENS and ROUTECOST read them the same way.
 */

const EFFORTS = ["low", "medium", "high"] as const;
export type Effort = (typeof EFFORTS)[number];

/** An effort word; `accepts` says, for the error, what the argument may be. */
export function parseEffort(word: string, arg: string, accepts: string): Effort {
  const effort = word.trim().toLowerCase() as Effort;
  if (!EFFORTS.includes(effort)) throw valueError(arg, `must be ${accepts}, got "${word}"`);
  return effort;
}

/** The catalogue's thinking tokens per effort; `hint` tells the user what to do without them. */
export function effortDefaults(model: CompiledModel, arg: string, hint = ""): Record<Effort, number> {
  const defaults = model.entry.reasoning_effort;
  if (!defaults) throw valueError(arg, `${model.id} has no reasoning-effort defaults in the catalogue${hint}`);
  return defaults;
}

/** The catalogue's thinking tokens for an effort word, named `arg` in errors. */
export function effortTokens(model: CompiledModel, word: string, arg: string): number {
  const effort = parseEffort(word, arg, "low, medium, high or a number of thinking tokens");
  return effortDefaults(model, arg, "; give a number of thinking tokens")[effort];
}

/** Thinking tokens from an effort word or a count (≥ 0), named `arg` in errors. */
export function thinkingFrom(model: CompiledModel, given: Dec | string, arg: string): Dec {
  if (typeof given === "string") return new Dec(effortTokens(model, given, arg));
  if (given.lt(ZERO)) throw valueError(arg, "must be ≥ 0");
  return given;
}
