import type { Dec } from "@tokenledger/core";

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

/** Money as an exact plain decimal with at least cents: "5.00", "0.075", "9,000.00". */
export function money(d: Dec): string {
  return moneyColumn([d])[0];
}

/**
 * A column of money with its decimal points aligned: every value to the column's most places
 * (at least cents, padding to at most 10), never fewer than its own, so each stays exact.
 */
export function moneyColumn(ds: readonly Dec[]): string[] {
  const places = Math.min(10, Math.max(2, ...ds.map((d) => d.decimalPlaces())));
  return ds.map((d) => grouped(d.toFixed(Math.max(places, d.decimalPlaces()))));
}

/** An id on two lines, the model over its host: "claude-sonnet-4-6" over "anthropic/". */
export function modelName(id: string): HTMLElement[] {
  const cut = id.indexOf("/") + 1;
  return [h("span", { class: "model" }, id.slice(cut)), h("span", { class: "host" }, id.slice(0, cut))];
}
