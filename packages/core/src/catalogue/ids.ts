/**
 * What an id (and any other name a catalogue shows: provider, model name, alias, version) may be.
 * Bounded, so "did you mean" and error messages stay small; free of control, bidi and zero-width
 * characters, so an id prints as what it is in a cell, the pane and a terminal; ids in Unicode
 * NFC and unique ignoring case, so "café" (NFC) and "café" (NFD), or "A/b" and "a/B", cannot be
 * two models at two prices.
 */

/** Real ids are at most 76 characters (LiteLLM's longest fireworks_ai path). */
export const MAX_ID_LENGTH = 200;
/** Names, aliases, versions and sources are shown, never compared character by character. */
export const MAX_NAME_LENGTH = 500;

/** C0 and C1 controls, DEL, bidi marks, embeddings, overrides and isolates, zero-width characters and the BOM. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/;

/** Why a shown text is refused, or undefined. */
export function nameProblem(text: string, max = MAX_NAME_LENGTH): string | undefined {
  if (text.length > max) return `longer than ${max.toLocaleString("en-US")} characters`;
  if (HIDDEN.test(text)) return "contains a control, bidi or zero-width character";
  return undefined;
}

/** Why an id is refused, or undefined. */
export function idProblem(id: string): string | undefined {
  return nameProblem(id, MAX_ID_LENGTH) ?? (id.normalize("NFC") === id ? undefined : "not in Unicode NFC form");
}

/** The key two ids share when they are the same id to a person: NFC, lower case. */
export function idKey(id: string): string {
  return id.normalize("NFC").toLowerCase();
}

/** The first id that repeats an earlier one ignoring case and Unicode form, with that earlier one. */
export function firstDuplicate(ids: Iterable<string>): { readonly id: string; readonly first: string } | undefined {
  const seen = new Map<string, string>();
  for (const id of ids) {
    const key = idKey(id);
    const first = seen.get(key);
    if (first !== undefined) return { id, first };
    seen.set(key, id);
  }
  return undefined;
}

/** A name for a sentence: hidden characters as "?", at most `max` characters. */
export function shownName(text: string, max = 80): string {
  const clean = text.replace(new RegExp(HIDDEN.source, "g"), "?");
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}
