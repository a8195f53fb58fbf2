import { Dec } from "@tokenledger/core";

/**
 * Numbers as people type them into the pane: "1500", "1,500", "1.5k", "2M", "-20". Commas
 * group thousands (never a decimal comma: "1,5" is refused, not read as 15), k is thousands and
 * M millions; the value is exact.
 */

const AMOUNT = /^([+-]?)((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|\.\d+)([km]?)$/i;
const SCALE: Record<string, string> = { "": "1", k: "1000", m: "1000000" };

/** The amount typed, or undefined when the text is not one. */
export function parseAmount(text: string): Dec | undefined {
  const match = AMOUNT.exec(text.trim().replace(/^−/, "-"));
  if (!match) return undefined;
  const [, sign, digits, suffix] = match;
  return new Dec(`${sign}${digits.replace(/,/g, "")}`).times(SCALE[suffix.toLowerCase()]);
}

/** What a field that takes an amount says when it cannot read one. */
export const AMOUNT_HINT = "a number such as 1,500, 1.5k or 2M";
