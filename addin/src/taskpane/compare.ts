import { Dec, ZERO, asTlError, invoke } from "@tokenledger/core";
import type { CompiledModel } from "@tokenledger/core/catalogue";
import { parseMode, requestCost } from "@tokenledger/core/pricing";
import { THINKING_TOKENS } from "@tokenledger/core/reasoning";
import { AMOUNT_HINT, parseAmount } from "./amount";
import { count, money, s, shortName, usd } from "./dom";

/**
 * The comparison: one request shape and a monthly volume the user edits, priced by core for every
 * selected model (exact decimals: LLMCOST's request cost, thinking tokens from THINKING_TOKENS as
 * REASONINGCOST takes them), and a bar chart of the results.
 */

export const EFFORTS = ["none", "low", "medium", "high", "tokens"] as const;
export type Effort = (typeof EFFORTS)[number];

export interface Shape {
  /** As typed in the form. */
  readonly input: string;
  readonly output: string;
  readonly cached: string;
  /** "none" (no thinking), an effort word (the catalogue's thinking tokens for it), or "tokens" (`thinking`). */
  readonly effort: string;
  readonly thinking: string;
  readonly requests: string;
  /** LLMCOST's mode flags: "standard", "batch", "offpeak", "batch offpeak", "flex", "priority", "residency". */
  readonly mode: string;
  /** The display currency: USD, or a code TL.FX answers. */
  readonly currency: string;
}

export const DEFAULT_SHAPE: Shape = {
  input: "1,500",
  output: "300",
  cached: "0",
  effort: "none",
  thinking: "2,000",
  requests: "10,000",
  mode: "standard",
  currency: "USD",
};

/** The shape read: exact amounts. */
export interface Request {
  readonly input: Dec;
  readonly output: Dec;
  readonly cached: Dec;
  readonly effort: Effort;
  readonly thinking: Dec;
  readonly requests: Dec;
  readonly mode: string;
  readonly currency: string;
}

/** What is wrong with each field the pane could not read, in a sentence a user acts on. */
export type FieldErrors = Partial<Record<keyof Shape, string>>;

const LABELS: Partial<Record<keyof Shape, string>> = {
  input: "Input tokens",
  output: "Output tokens",
  cached: "Cached tokens",
  thinking: "Thinking tokens",
  requests: "Requests per month",
};

/** The shape as exact amounts, or what is wrong with each field that is not one. */
export function readShape(shape: Shape): { request: Request } | { errors: FieldErrors } {
  const errors: FieldErrors = {};
  const amount = (key: keyof Shape, blank: boolean): Dec => {
    const text = shape[key];
    if (blank && text.trim() === "") return ZERO;
    const d = parseAmount(text);
    if (d && !d.isNegative()) return d;
    errors[key] = `${LABELS[key]}: ${AMOUNT_HINT}, 0 or more.`;
    return ZERO;
  };
  const effort = (EFFORTS as readonly string[]).includes(shape.effort) ? (shape.effort as Effort) : "none";
  const request: Request = {
    input: amount("input", false),
    output: amount("output", false),
    cached: amount("cached", true),
    effort,
    thinking: effort === "tokens" ? amount("thinking", false) : ZERO,
    requests: amount("requests", false),
    mode: shape.mode,
    currency: shape.currency || "USD",
  };
  if (!errors.input && !errors.cached && request.cached.gt(request.input)) {
    errors.cached = "Cached tokens are part of the input: at most the input tokens.";
  }
  return Object.keys(errors).length ? { errors } : { request };
}

export type Priced =
  | {
      readonly id: string;
      readonly ok: true;
      readonly perRequest: Dec;
      readonly perMonth: Dec;
      /** Thinking tokens per request it was priced with. */
      readonly thinking: Dec;
    }
  | { readonly id: string; readonly ok: false; readonly reason: string; readonly detail: string };

/** Whether a model thinks: it has effort defaults or a reasoning price. */
export const isReasoning = (m: CompiledModel) => m.entry.reasoning_effort !== undefined || m.entry.prices.reasoning !== undefined;

/**
 * Thinking tokens per request for a model: the count typed, or THINKING_TOKENS at the effort. A
 * model that does not reason thinks none; a reasoning model without the catalogue's estimate
 * fails (THINKING_TOKENS's error), and its row says to type a count.
 */
function thinkingOf(m: CompiledModel, r: Request): Dec {
  if (r.effort === "none" || !isReasoning(m)) return ZERO;
  if (r.effort === "tokens") return r.thinking;
  return invoke(THINKING_TOKENS, [m.id, r.effort]) as Dec;
}

/** Every model priced at the request; a model that cannot be (no batch price, no cache price) says why. */
export function priceAll(models: readonly CompiledModel[], r: Request): Priced[] {
  const mode = parseMode(r.mode);
  return models.map((m) => {
    try {
      const thinking = thinkingOf(m, r);
      const usage = { input: r.input, output: r.output, cached: r.cached, cacheWrite: ZERO, reasoning: thinking };
      const perRequest = requestCost(m, usage, mode);
      // MONTHLYCOST's volume: requests × cost per request.
      return { id: m.id, ok: true, perRequest, perMonth: perRequest.times(r.requests), thinking };
    } catch (e) {
      const detail = asTlError(e).message;
      return { id: m.id, ok: false, reason: reasonOf(detail, r.mode), detail };
    }
  });
}

/**
 * Why a model has no cost, in a finance user's words: core's message names the argument that
 * failed ("mode: … has no offpeak variant"), which says what price the model lacks.
 */
export function reasonOf(message: string, mode: string): string {
  const arg = message.slice(0, message.indexOf(":"));
  if (arg === "mode") {
    const flags = mode.toLowerCase();
    if (flags.includes("batch") && flags.includes("offpeak")) return "No combined batch and off-peak price";
    if (flags.includes("flex")) return "No flex price";
    if (flags.includes("priority")) return "No priority price";
    return flags.includes("offpeak") ? "No off-peak price" : "No batch price";
  }
  if (arg === "cached_tokens") return "No cached-input price";
  if (arg === "model" || arg === "effort") return "No thinking estimate at this effort: give thinking tokens instead";
  return "Not priced for this request";
}

/** The LLMCOST formula for a model at this request, with trailing defaults left out. */
export function llmcostFormula(m: CompiledModel, r: Request): string {
  const quoted = (t: string) => `"${t.replace(/"/g, '""')}"`;
  const args: string[] = [quoted(m.id), r.input.toFixed(), r.output.toFixed()];
  const flags = r.mode.trim().toLowerCase();
  const standard = flags === "" || flags === "standard";
  const thinking =
    r.effort === "tokens" && !r.thinking.isZero()
      ? r.thinking.toFixed()
      : r.effort !== "none" && r.effort !== "tokens" && m.entry.reasoning_effort
        ? `TL.THINKING_TOKENS(${quoted(m.id)},${quoted(r.effort)})`
        : "";
  // Blanks are omitted arguments (their defaults): cache_write_tokens is never set here.
  const rest = [r.cached.isZero() ? "" : r.cached.toFixed(), "", thinking, standard ? "" : quoted(r.mode)];
  while (rest.length && rest[rest.length - 1] === "") rest.pop();
  // Another currency converts live in the sheet, never as a pasted rate.
  const fx = r.currency === "USD" ? "" : `*TL.FX(${quoted(r.currency)})`;
  return `=TL.LLMCOST(${[...args, ...rest].join(",")})${fx}`;
}

/** Money in the display currency: "$0.009" for USD, "EUR 0.0072" for another. */
export function moneyIn(currency: string, d: Dec): string {
  return currency === "USD" ? usd(d) : `${d.isNegative() ? "−" : ""}${currency} ${money(d.abs())}`;
}

/** Costs in the display currency: USD × TL.FX's rate today, exact. */
export function inCurrency(priced: readonly Priced[], currency: string, perUsd: Dec): Priced[] {
  if (currency === "USD") return [...priced];
  return priced.map((p) => (p.ok ? { ...p, perRequest: p.perRequest.times(perUsd), perMonth: p.perMonth.times(perUsd) } : p));
}

/** Narrowest chart drawn (a hidden pane measures 0; it is redrawn when shown). */
const MIN_WIDTH = 200;
/** Room right of the longest bar for its value. */
const VALUE_W = 96;
const TITLE_H = 22;
const LABEL_H = 16;
const BAR_H = 14;
const ITEM_H = LABEL_H + BAR_H + 10;

/**
 * Horizontal bars of cost per month (per request when no volume is given), each under its
 * model's short name and host as the table shows them; a model that cannot be priced says so
 * instead of a bar. Drawn `width` px wide, the box it goes in, so its text stays the page's size.
 */
export function chart(priced: readonly Priced[], requests: Dec, width: number, label: (d: Dec) => string = usd): SVGSVGElement {
  const monthly = !requests.isZero();
  const value = (p: Priced & { ok: true }) => (monthly ? p.perMonth : p.perRequest);
  const title = monthly ? `Cost per month at ${count(requests.toNumber())} requests` : "Cost per request";
  const max = priced.reduce((m, p) => (p.ok && value(p).gt(m) ? value(p) : m), new Dec(0));
  const chartWidth = Math.max(width, MIN_WIDTH);
  const barSpace = chartWidth - VALUE_W;
  const svg = s(
    "svg",
    {
      viewBox: `0 0 ${chartWidth} ${TITLE_H + priced.length * ITEM_H}`,
      width: "100%",
      role: "img",
      "aria-label": title,
      class: "chart",
    },
    s("text", { x: 0, y: 13, class: "chart-title" }, title),
  );
  priced.forEach((p, i) => {
    const top = TITLE_H + i * ITEM_H;
    const barY = top + LABEL_H;
    const host = p.id.slice(0, p.id.indexOf("/"));
    svg.append(
      s("text", { x: 0, y: top + 11, class: "chart-label" }, shortName(p.id), s("tspan", { class: "chart-host" }, host && ` ${host}`)),
    );
    if (!p.ok) {
      svg.append(s("text", { x: 0, y: barY + 11, class: "chart-na" }, p.reason));
      return;
    }
    const v = value(p);
    const w = Math.max(max.isZero() ? 0 : v.div(max).times(barSpace).toNumber(), 2);
    svg.append(
      s(
        "rect",
        { x: 0, y: barY, width: w.toFixed(1), height: BAR_H, rx: 2, class: "chart-bar" },
        s("title", {}, `${shortName(p.id)}: ${label(v)} ${monthly ? "per month" : "per request"}`),
      ),
      s("text", { x: (w + 6).toFixed(1), y: barY + 11, class: "chart-value" }, label(v)),
    );
  });
  return svg;
}

/** Thinking tokens as the table notes them under a model: "+ 2,000 thinking tokens". */
export function thinkingNote(thinking: Dec): string {
  return thinking.isZero() ? "" : `+ ${count(thinking.toNumber())} thinking tokens`;
}
