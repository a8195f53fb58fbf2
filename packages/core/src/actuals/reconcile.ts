import { Dec, ZERO } from "../decimal";
import { type ActualRow, METERS, type Tokens } from "./cost";
import type { Problems } from "./line";

/**
 * Computed against billed, by month and model: the difference (billed − computed) and its share
 * of the computed cost. A steady gap is a negotiated discount or a service tier; a gap on one
 * model is a catalogue error; billed ≈ 100 × computed is cents read as dollars.
 */

export interface Reconciled extends Omit<ActualRow, "team"> {
  /** billed − cost, USD; null unless both are known. */
  readonly difference: Dec | null;
  /** difference ÷ cost × 100; null unless both are known and cost is not 0. */
  readonly percent: Dec | null;
}

const HUNDRED = new Dec(100);

function plusOrNull(a: Dec | null, b: Dec | null): Dec | null {
  return a === null || b === null ? null : a.plus(b);
}

function withDifference(r: Omit<Reconciled, "difference" | "percent">): Reconciled {
  const difference = r.cost === null || r.billed === null ? null : r.billed.minus(r.cost);
  const percent = difference === null || r.cost === null || r.cost.isZero() ? null : difference.div(r.cost).times(HUNDRED);
  return { ...r, difference, percent };
}

type Sum = Omit<Reconciled, "difference" | "percent">;

function add(into: Sum | undefined, r: ActualRow, month: string, model: string): Sum {
  if (!into) return { month, model, requests: r.requests, tokens: r.tokens, webSearches: r.webSearches, cost: r.cost, billed: r.billed };
  return {
    month,
    model,
    requests: into.requests.plus(r.requests),
    tokens: Object.fromEntries(METERS.map((m) => [m, into.tokens[m].plus(r.tokens[m])])) as Tokens,
    webSearches: into.webSearches.plus(r.webSearches),
    cost: plusOrNull(into.cost, r.cost),
    billed: into.billed === null ? r.billed : r.billed === null ? into.billed : into.billed.plus(r.billed),
  };
}

/** Month × model rows (teams summed) and the total, each with its difference. */
export function reconcile(rows: readonly ActualRow[], problems: Problems): { rows: Reconciled[]; total: Reconciled } {
  const byKey = new Map<string, Sum>();
  let total: Sum | undefined;
  for (const r of rows) {
    const key = `${r.month}\u0000${r.model}`;
    byKey.set(key, add(byKey.get(key), r, r.month, r.model));
    total = add(total, r, "", "");
  }
  checkUnit(rows, problems);
  const empty: Sum = {
    month: "",
    model: "",
    requests: ZERO,
    tokens: Object.fromEntries(METERS.map((m) => [m, ZERO])) as Tokens,
    webSearches: ZERO,
    cost: ZERO,
    billed: null,
  };
  return { rows: [...byKey.values()].map(withDifference), total: withDifference(total ?? empty) };
}

/** Billed about 100 times computed (or a hundredth of it) is a unit mistake, not a discount. */
function checkUnit(rows: readonly ActualRow[], problems: Problems): void {
  let cost = ZERO;
  let billed = ZERO;
  for (const r of rows) {
    if (r.cost === null || r.billed === null) continue;
    cost = cost.plus(r.cost);
    billed = billed.plus(r.billed);
  }
  if (cost.isZero() || billed.isZero()) return;
  const ratio = billed.div(cost);
  const shown = ratio.toSignificantDigits(3).toString();
  if (ratio.gte(50) && ratio.lte(200)) {
    problems.add("billed", `billed is ${shown} × the computed cost: amounts look like cents read as dollars`);
  } else if (ratio.gte("0.005") && ratio.lte("0.02")) {
    problems.add("billed", `billed is ${shown} × the computed cost: amounts look like dollars read as cents`);
  }
}
