/**
 * What each TL cell last answered, by address, for the task pane's Explain view. Excel shows an
 * error's message only on #VALUE! and #N/A, and only as a tooltip; the functions (given their
 * cell's address, `@requiresAddress`) keep the message here, and the arguments of the functions
 * whose bill the pane can itemise. The functions and the pane share one runtime, so one map.
 */

export interface CellOutcome {
  /** The TL function that answered, as declared ("LLMCOST"). */
  readonly fn: string;
  /** Its arguments as Excel passed them, for a function the pane itemises; otherwise empty. */
  readonly args: readonly unknown[];
  /** The error it answered, with the message naming the argument and the rule. */
  readonly error?: { readonly code: string; readonly message: string };
}

/** Functions whose arguments are kept: the pane shows what they billed. */
export const ITEMISED = new Set(["LLMCOST"]);

/** Beyond any workbook's TL cells in practice; the oldest go first, so memory stays bounded. */
const MAX_CELLS = 100_000;
const outcomes = new Map<string, CellOutcome>();

export function recordOutcome(address: string, outcome: CellOutcome): void {
  outcomes.delete(address); // re-inserted last: the map's order is the age
  outcomes.set(address, outcome);
  if (outcomes.size > MAX_CELLS) outcomes.delete(outcomes.keys().next().value!);
}

/** The last answer of the TL function in the cell at `address` ("Sheet1!B2"), if any ran there since the add-in loaded. */
export function outcomeAt(address: string): CellOutcome | undefined {
  return outcomes.get(address);
}
