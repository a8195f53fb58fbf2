import { Dec, MILLION, asTlError } from "@tokenledger/core";
import type { CompiledModel } from "@tokenledger/core/catalogue";
import { parseMode, requestCost } from "@tokenledger/core/pricing";
import { grouped, s } from "./dom";

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
}

export const DEFAULT_SHAPE: Shape = { input: "1500", output: "300", cached: "0", mode: "standard" };

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

/** USD as an exact plain decimal with digit groups: "$0.00945", "$9,450". */
export function usd(d: Dec): string {
  return `$${grouped(d.toFixed())}`;
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
  return `=TL.LLMCOST(${args.join(",")})`;
}

const BAR_H = 18;
const GAP = 8;
const LABEL_W = 132;
const VALUE_W = 84;
const WIDTH = 320;

/** Horizontal bars of cost per request, longest the most expensive; unpriced models are listed without a bar. */
export function chart(priced: readonly Priced[]): SVGSVGElement {
  const max = priced.reduce((m, p) => (p.ok && p.perRequest.gt(m) ? p.perRequest : m), new Dec(0));
  const barSpace = WIDTH - LABEL_W - VALUE_W;
  const height = priced.length * (BAR_H + GAP) + GAP;
  const svg = s("svg", {
    viewBox: `0 0 ${WIDTH} ${height}`,
    width: "100%",
    role: "img",
    "aria-label": "Cost per request by model",
    class: "chart",
  });
  priced.forEach((p, i) => {
    const y = GAP + i * (BAR_H + GAP);
    const mid = y + BAR_H / 2;
    const label = s("text", { x: LABEL_W - 6, y: mid, class: "chart-label", "text-anchor": "end", "dominant-baseline": "middle" }, shorten(p.id));
    label.append(s("title", {}, p.id));
    svg.append(label);
    if (!p.ok) {
      svg.append(s("text", { x: LABEL_W, y: mid, class: "chart-na", "dominant-baseline": "middle" }, "not priced"));
      return;
    }
    const w = max.isZero() ? 0 : p.perRequest.div(max).times(barSpace).toNumber();
    svg.append(
      s("rect", { x: LABEL_W, y, width: Math.max(w, 1).toFixed(1), height: BAR_H, rx: 2, class: "chart-bar" }, s("title", {}, `${p.id}: ${usd(p.perRequest)} per request`)),
      s("text", { x: LABEL_W + Math.max(w, 1) + 4, y: mid, class: "chart-value", "dominant-baseline": "middle" }, usd(p.perRequest)),
    );
  });
  return svg;
}

/** The model part of an id, cut to fit beside a bar. */
function shorten(id: string): string {
  const bare = id.slice(id.indexOf("/") + 1);
  return bare.length > 20 ? `${bare.slice(0, 19)}…` : bare;
}
