/**
 * Rules a catalogue entry keeps beyond its shape, which the schema checks: dates that exist on
 * the calendar, long-context tiers in increasing order without repeats, and price lists in date
 * order. Out of order, a later tier or list would silently shadow another, and the price in
 * force would depend on how the file happened to be written.
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** "2026-02-28" yes; "2026-13-45", "2026-02-29" no. */
export function isCalendarDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Why tiers are refused (thresholds not strictly increasing), or undefined. */
export function tiersProblem(tiers: readonly { threshold_tokens: number }[]): string | undefined {
  for (let i = 1; i < tiers.length; i++) {
    const [a, b] = [tiers[i - 1].threshold_tokens, tiers[i].threshold_tokens];
    if (b === a) return `two tiers start at ${a} tokens`;
    if (b < a) return `tiers out of order (${b} after ${a} tokens)`;
  }
  return undefined;
}

/**
 * Why a model's price lists are refused, or undefined: earlier lists (`price_changes`) then the
 * current one, dates strictly increasing, only the first without a date ("for every date before").
 */
export function scheduleProblem(changes: readonly { effective_from?: string }[], currentFrom: string | undefined): string | undefined {
  const dates = [...changes.map((c) => c.effective_from), currentFrom];
  for (let i = 1; i < dates.length; i++) {
    const [a, b] = [dates[i - 1], dates[i]];
    if (b === undefined) return "only the earliest price list may be undated";
    if (a !== undefined && b <= a) return `price lists out of date order (${b} after ${a})`;
  }
  return undefined;
}
