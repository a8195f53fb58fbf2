import { diffCatalogues } from "./diff";
import { referenceSummary, withReference } from "./fx";
import { FeedError } from "./import/common";
import { importEcb } from "./import/ecb";
import { type Proposal, type RefreshOptions, type RefreshOutcome, fetchFeed } from "./refresh";
import type { Catalogue } from "./schema";

/**
 * Refreshing the exchange rates from the ECB, as a proposal like a price refresh's, so the task
 * pane and llmcalc show it, accept it, keep it in the history and pin it the same way. The
 * prices do not change: the diff is empty and the summary says what the rates gain.
 */

export const ECB_LABEL = "the ECB's euro reference rates";

/** The catalogue with the file's rates merged into those it holds; throws a FeedError when the file is not ECB rates. */
export function proposeRates(active: Catalogue, text: string): Proposal {
  const { days, rejected } = importEcb(text);
  const catalogue = withReference(active, days);
  return {
    catalogue,
    rejected,
    skipped: {},
    notes: [],
    diff: diffCatalogues(active, catalogue),
    // Rates only: every model is kept as it was.
    kept: [],
    updated: 0,
    summary: referenceSummary(active.fx, days),
  };
}

/** The one sentence a failed rates refresh shows. */
export function ratesFailure(e: unknown): string {
  const what = e instanceof FeedError ? e.message : `an unexpected error (${e instanceof Error ? e.message : String(e)})`;
  return `Refreshing from ${ECB_LABEL} failed: ${what}; the active catalogue stays in force.`;
}

/** Fetches and reads an ECB file; never throws. */
export async function refreshRates(url: string, active: Catalogue, options: RefreshOptions = {}): Promise<RefreshOutcome> {
  try {
    return { ok: true, proposal: proposeRates(active, await fetchFeed(url, options)) };
  } catch (e) {
    return { ok: false, reason: ratesFailure(e) };
  }
}
