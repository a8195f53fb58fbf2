import { Dec, MILLION, asTlError } from "@tokenledger/core";
import type { CompiledModel } from "@tokenledger/core/catalogue";
import { parseMode, requestCost } from "@tokenledger/core/pricing";
import { money, moneyColumn, s } from "./dom";

/**
 * The comparison: one request shape the user edits, priced by core for every selected model
 * (exact decimals, the same formula as TL.LLMCOST), and a bar chart of the results.
 */

export interface Shape {
  /** As typed in the form. */
  readonly input: string;
  readonly output: string;
  readonly cached: string;
  /** LLMCOST's mode flags: "standard", "batch", "offpeak", "batch offpeak". */
  readonly mode: string;
  /** ISO 4217 code costs are shown in; the engine prices in USD and TL.FX converts. */
  readonly currency: string;
}

export const DEFAULT_SHAPE: Shape = { input: "1500", output: "300", cached: "0", mode: "standard", currency: "USD" };

export type Priced =
  | { readonly id: string; readonly ok: true; readonly perRequest: Dec; readonly perMillion: Dec }
  | { readonly id: string; readonly ok: false; readonly reason: string };

/** A token count from a form field: a non-negative decimal (averages may have fractions). */
function tokens(label: string, text: string): Dec {
  const t = text.trim();
  if (t === "") return new Dec(0);
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(t)) throw new Error(`${label}: a number of tokens, 0 or more`);
  return new Dec(t);
}

/** The shape as core's usage, or the one sentence saying which field is wrong. */
export function usageOf(shape: Shape) {
  return {
    input: tokens("Input tokens", shape.input),
    output: tokens("Output tokens", shape.output),
    cached: tokens("Cached tokens", shape.cached),
    cacheWrite: new Dec(0),
    reasoning: new Dec(0),
  };
}

/** Every model priced at the shape; a model that cannot be (no batch price, no cache price) says why. */
export function priceAll(models: readonly CompiledModel[], shape: Shape): Priced[] {
  const usage = usageOf(shape);
  const mode = parseMode(shape.mode);
  return models.map((m) => {
    try {
      const perRequest = requestCost(m, usage, mode);
      return { id: m.id, ok: true, perRequest, perMillion: perRequest.times(MILLION) };
    } catch (e) {
      return { id: m.id, ok: false, reason: asTlError(e).message };
    }
  });
}

/** USD, exact: "$0.00945", "$9,450.00". */
export function usd(d: Dec): string {
  return `$${money(d)}`;
}

/** A column of money, its decimal points aligned (moneyColumn): "$" before USD, the code before others. */
export function moneyColumnIn(currency: string, ds: readonly Dec[]): string[] {
  const prefix = currency === "USD" ? "$" : `${currency} `;
  return moneyColumn(ds).map((t) => `${prefix}${t}`);
}

/** The LLMCOST formula for a model at this shape, with trailing defaults left out. */
export function llmcostFormula(id: string, shape: Shape): string {
  const quoted = (t: string) => `"${t.replace(/"/g, '""')}"`;
  const usage = usageOf(shape);
  const args: string[] = [quoted(id), usage.input.toFixed(), usage.output.toFixed()];
  const mode = shape.mode.trim().toLowerCase();
  const standard = mode === "" || mode === "standard";
  if (!usage.cached.isZero() || !standard) args.push(usage.cached.toFixed());
  if (!standard) args.push("", "", quoted(shape.mode));
  // Converted by a live rate, never by a constant: the sheet follows the catalogue's rates.
  const fx = shape.currency === "USD" ? "" : `*TL.FX(${quoted(shape.currency)})`;
  return `=TL.LLMCOST(${args.join(",")})${fx}`;
}

/** Narrowest chart drawn (a hidden pane measures 0; it is redrawn when shown). */
const MIN_WIDTH = 200;
/** Room right of the longest bar for its value. */
const VALUE_W = 96;
const LABEL_H = 16;
const BAR_H = 14;
const ITEM_H = LABEL_H + BAR_H + 10;

/**
 * Horizontal bars of cost per request, each under its model's id; a model that cannot be priced
 * says so instead of a bar. Drawn `width` px wide, the box it goes in, so its text stays the
 * page's size however wide the pane.
 */
export function chart(priced: readonly Priced[], width: number, label: (d: Dec) => string = usd): SVGSVGElement {
  const max = priced.reduce((m, p) => (p.ok && p.perRequest.gt(m) ? p.perRequest : m), new Dec(0));
  const chartWidth = Math.max(width, MIN_WIDTH);
  const barSpace = chartWidth - VALUE_W;
  const svg = s("svg", {
    viewBox: `0 0 ${chartWidth} ${priced.length * ITEM_H}`,
    width: "100%",
    role: "img",
    "aria-label": "Cost per request by model",
    class: "chart",
  });
  priced.forEach((p, i) => {
    const top = i * ITEM_H;
    const barY = top + LABEL_H;
    svg.append(s("text", { x: 0, y: top + 11, class: "chart-label" }, p.id));
    if (!p.ok) {
      svg.append(s("text", { x: 0, y: barY + 11, class: "chart-na" }, "not priced for this request"));
      return;
    }
    const w = Math.max(max.isZero() ? 0 : p.perRequest.div(max).times(barSpace).toNumber(), 2);
    svg.append(
      s(
        "rect",
        { x: 0, y: barY, width: w.toFixed(1), height: BAR_H, rx: 2, class: "chart-bar" },
        s("title", {}, `${p.id}: ${label(p.perRequest)} per request`),
      ),
      s("text", { x: (w + 6).toFixed(1), y: barY + 11, class: "chart-value" }, label(p.perRequest)),
    );
  });
  return svg;
}
