import { type Catalogue, SOURCES, type SourceKind, bundledCatalogue } from "@tokenledger/core/catalogue";

/**
 * How the pane names a catalogue and says how old its prices are, in words rather than the
 * catalogue's own fields: "LiteLLM price map", "15 Jun 2026", "171 days old".
 */

/** Prices older than this many days get a notice asking for a refresh. */
export const STALE_DAYS = 30;

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const DAY_MS = 86_400_000;

/** "2026-06-15" → "15 Jun 2026"; anything else as it is. */
export function dayText(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m && MONTHS[Number(m[2]) - 1] ? `${Number(m[3])} ${MONTHS[Number(m[2]) - 1]} ${m[1]}` : iso;
}

/** Whole days from a "YYYY-MM-DD" date to `now` (UTC); 0 for a date to come or one that is not a date. */
export function ageInDays(asOf: string, now: Date): number {
  const then = Date.parse(`${asOf.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(then)) return 0;
  return Math.max(0, Math.floor((now.getTime() - then) / DAY_MS));
}

export function ageText(days: number): string {
  return days === 0 ? "from today" : days === 1 ? "1 day old" : `${days.toLocaleString("en-US")} days old`;
}

/** A version readable: a timestamp as day and UTC time, a date as a day, a name as it is. */
export function versionText(version: string): string {
  if (/^\d{4}-\d{2}-\d{2}T/.test(version)) {
    const t = new Date(version);
    if (!Number.isNaN(t.getTime())) return `${dayText(t.toISOString())}, ${t.toISOString().slice(11, 16)} UTC`;
  }
  return dayText(version);
}

/** Whether a catalogue is the one that ships with the add-in. */
export function isBundled(c: Pick<Catalogue, "version" | "source">): boolean {
  const b = bundledCatalogue().data;
  return c.version === b.version && c.source === b.source;
}

/** The public sources by the name the refresh form gives them. */
const SOURCE_NAMES: Partial<Record<SourceKind, string>> = {
  litellm: "LiteLLM price map",
  openrouter: "OpenRouter models API",
  "genai-prices": "genai-prices data",
  "llm-prices": "llm-prices data",
};

/** Where a catalogue's prices come from, as a user knows the source: "Bundled", "LiteLLM price map", an organisation's own words. */
export function sourceText(c: Pick<Catalogue, "version" | "source">): string {
  if (isBundled(c)) return "Bundled";
  const kind = (Object.keys(SOURCES) as SourceKind[]).find((k) => SOURCES[k].catalogueSource === c.source);
  return (kind && SOURCE_NAMES[kind]) ?? c.source;
}
