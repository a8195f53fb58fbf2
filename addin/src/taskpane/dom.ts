import { Dec } from "@tokenledger/core";

/**
 * Building the page with DOM calls only: every string, a model name from a feed included, lands
 * as a text node or an attribute value, never as markup.
 */

type Attrs = Record<string, string | number | boolean | undefined>;
type Child = Node | string | null | undefined | false;

function setAttrs(el: Element, attrs: Attrs): void {
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    el.setAttribute(name, value === true ? "" : String(value));
  }
}

function append(el: Element, children: readonly Child[]): void {
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
}

/** An HTML element with attributes and children (strings become text). */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

const SVG_NS = "http://www.w3.org/2000/svg";

/** An SVG element, the same way. */
export function s<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

/** The element with this id, which the page's markup guarantees. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the task pane has no #${id}`);
  return el as T;
}

/** Shows or hides an element (the `hidden` attribute; CSS keeps it authoritative). */
export function show(el: HTMLElement, visible: boolean): void {
  el.hidden = !visible;
}

/** "1234567.5" → "1,234,567.5": digit groups for the integer part of a plain decimal text. */
export function grouped(plain: string): string {
  const [int, frac] = plain.split(".");
  const sign = int.startsWith("-") ? "-" : "";
  const digits = sign ? int.slice(1) : int;
  const withCommas = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${sign}${withCommas}${frac === undefined ? "" : `.${frac}`}`;
}

export const count = (n: number) => n.toLocaleString("en-US");

/** Significant digits money shows below a dollar: "0.00945", "0.1313", never "0.0090000". */
const MONEY_DIGITS = 4;

/**
 * The pane's one money format, without the "$" (headers carry it where space is short): cents from
 * a dollar up, four significant digits below, trailing zeros past the cents dropped, digit groups.
 * 3 → "3.00", 0.0090000 → "0.009", 0.00945 → "0.00945", 1234.5678 → "1,234.57", 2.025 → "2.03".
 */
export function money(d: Dec): string {
  // Most prices already fit (a table of 5,000 models formats 20,000): their exact text, padded to cents.
  const plain = d.toFixed();
  const [int, frac = ""] = plain.replace("-", "").split(".");
  const significant = int === "0" ? frac.replace(/^0+/, "").length : MONEY_DIGITS + 1;
  if (frac.length <= 2 || significant <= MONEY_DIGITS) return grouped(`${plain.split(".")[0]}.${frac.padEnd(2, "0")}`);
  const places = int === "0" ? Math.max(2, MONEY_DIGITS - 1 - Math.floor(Math.log10(d.abs().toNumber()))) : 2;
  // Half up, as people round money by hand: $2.025 shows as $2.03.
  const fixed = d.toDecimalPlaces(places, Dec.ROUND_HALF_UP).toFixed(places);
  return grouped(fixed.replace(/(\.\d\d\d*?)0+$/, "$1"));
}

/** USD: "$0.00945", "$9,450.00". */
export function usd(d: Dec): string {
  return d.isNegative() ? `−$${money(d.abs())}` : `$${money(d)}`;
}

/** Characters of a model's name kept whole at its end when it is cut. */
const TAIL = 10;

/**
 * An id on two lines, the model over its host: "claude-sonnet-4-6" over "anthropic/". A name too
 * long for its box is cut in the middle, its end kept (taskpane.css): hosts list dozens of
 * "claude-3-5-sonnet-…" that differ only in their last characters.
 */
export function modelName(id: string): HTMLElement[] {
  const cut = id.indexOf("/") + 1;
  const name = id.slice(cut);
  const split = Math.max(name.length - TAIL, Math.ceil(name.length / 2));
  return [
    h(
      "span",
      { class: "model" },
      h("span", { class: "model-head" }, name.slice(0, split)),
      h("span", { class: "model-tail" }, name.slice(split)),
    ),
    h("span", { class: "host" }, id.slice(0, cut)),
  ];
}

/** A model's short name, as the comparison and chart label it: the id less its host. */
export function shortName(id: string): string {
  return id.slice(id.indexOf("/") + 1);
}
