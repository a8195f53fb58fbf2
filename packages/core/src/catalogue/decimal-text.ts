import { Dec } from "../decimal";

/**
 * Decimal text as feeds and catalogue files write it ("3", "0.075", "3e-06"), read in one pass
 * with bounds. A regular expression with nested repetition backtracks quadratically on a long
 * digit run, and an unbounded exponent ("1e-20000000") makes a Decimal whose plain text is
 * megabytes long, or Infinity: so the length, the significant digits and the magnitude are all
 * capped here, before anything builds a Decimal from the text.
 */

/** Longest decimal text read: real feeds write at most 24 characters ("0.0000006000000000000001"). */
export const MAX_DECIMAL_LENGTH = 64;
/** Real feeds carry at most 18 (a float artefact); a Decimal of the engine holds 34. */
export const MAX_SIGNIFICANT_DIGITS = 30;
/** A non-zero value lies between 10^MIN_EXPONENT and 10^(MAX_EXPONENT + 1). */
export const MIN_EXPONENT = -30;
export const MAX_EXPONENT = 15;
/** Prices (USD per 1M tokens, per image, per hour…) are at most this; real feeds reach 540,000. */
export const MAX_PRICE = 1_000_000;

export interface DecimalScan {
  readonly negative: boolean;
  readonly zero: boolean;
  /** Digits from the first to the last non-zero digit ("3e-06": 1, "0.60001": 5). */
  readonly significant: number;
  /** The power of ten of the first non-zero digit ("0.075": −2, "3e-06": −6); 0 for zero. */
  readonly exponent: number;
}

const isDigit = (c: number) => c >= 48 && c <= 57;

/** The text for a sentence: at most 24 characters of it, so a rejection never repeats a huge string. */
export function shortText(text: string): string {
  return JSON.stringify(text.length > 24 ? `${text.slice(0, 24)}…` : text);
}

/**
 * Reads decimal text in one pass: digits, an optional point, an optional exponent, and a leading
 * minus when `signed`. Answers what it read, or the reason it is refused (a clause, without the text).
 */
export function scanDecimal(text: string, signed = false): DecimalScan | string {
  if (text.length > MAX_DECIMAL_LENGTH) return `longer than ${MAX_DECIMAL_LENGTH} characters`;
  let i = 0;
  const negative = signed && text.charCodeAt(0) === 45;
  if (negative) i++;
  let digits = 0;
  let intDigits = -1;
  let first = -1;
  let last = -1;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isDigit(c)) {
      if (c !== 48) {
        if (first < 0) first = digits;
        last = digits;
      }
      digits++;
    } else if (c === 46 && intDigits < 0) intDigits = digits;
    else break;
  }
  if (intDigits < 0) intDigits = digits;
  if (digits === 0) return "not a decimal number";
  let exponent = 0;
  if (i < text.length) {
    const e = text.charCodeAt(i++);
    if (e !== 101 && e !== 69) return "not a decimal number";
    const sign = text.charCodeAt(i) === 45 ? -1 : 1;
    if (text.charCodeAt(i) === 45 || text.charCodeAt(i) === 43) i++;
    const start = i;
    while (i < text.length && isDigit(text.charCodeAt(i))) i++;
    if (i === start || i < text.length) return "not a decimal number";
    exponent = sign * Number(text.slice(start, i)); // at most 62 digits: finite
  }
  if (first < 0) return { negative, zero: true, significant: 0, exponent: 0 };
  const significant = last - first + 1;
  if (significant > MAX_SIGNIFICANT_DIGITS) return `more than ${MAX_SIGNIFICANT_DIGITS} significant digits`;
  const magnitude = intDigits - 1 - first + exponent;
  if (magnitude < MIN_EXPONENT || magnitude > MAX_EXPONENT) {
    return `out of range (below 10^${MIN_EXPONENT} or above 10^${MAX_EXPONENT + 1})`;
  }
  return { negative, zero: false, significant, exponent: magnitude };
}

/** Why a non-negative decimal text is refused, or undefined when it is fine. */
export function decimalProblem(text: string): string | undefined {
  const scan = scanDecimal(text);
  return typeof scan === "string" ? (scan === "not a decimal number" ? "a non-negative decimal written as text" : scan) : undefined;
}

/** Why a price text is refused (not a bounded non-negative decimal, or above MAX_PRICE), or undefined. */
export function priceProblem(text: string): string | undefined {
  const problem = decimalProblem(text);
  if (problem !== undefined) return problem;
  // A double below the bound settles it (rounding is monotonic and the bound is a double); only
  // a price at or near it needs the exact comparison. Thousands of prices are checked at a load.
  if (Number(text) < MAX_PRICE) return undefined;
  return new Dec(text).gt(MAX_PRICE) ? `above ${MAX_PRICE.toLocaleString("en-US")} USD per unit` : undefined;
}
