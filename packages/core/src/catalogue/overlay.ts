import { Dec, fromText } from "../decimal";
import { valueError } from "../errors";
import { MAX_SIGNIFICANT_DIGITS } from "./decimal-text";
import { type Catalogue, COMPONENTS, type Component, type Model, Overlay, type OverlayRule, type Prices } from "./schema";

/**
 * An organisation's negotiated prices on top of the public catalogue: percent off a provider or a
 * model, or explicit prices. The most specific rule wins for a model (a model rule over a provider
 * rule; among equals, the later). A discount lowers every price list of the model (current, dated,
 * tiers and explicit variant prices) on the components it names; explicit prices replace the
 * current standard list's components and win over a discount.
 */

export interface OverlayResult {
  readonly catalogue: Catalogue;
  /** Model id → the components of its current standard price list the overlay changed (the browser marks them). */
  readonly overridden: ReadonlyMap<string, readonly Component[]>;
  /** Rules that matched no model, by index in `rules` (a typo in an id, or a model since removed). */
  readonly unmatched: readonly number[];
}

/** Throws `#VALUE!` naming the first problem when the value is not an overlay. */
export function parseOverlay(input: unknown): Overlay {
  const parsed = Overlay.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw valueError("overlay", `${issue.path.join(".") || "the overlay"}: ${issue.message}`);
}

function discounted(prices: Prices, factor: Dec, components: readonly Component[]): Prices {
  const out: Prices = { ...prices };
  for (const c of components) {
    const p = prices[c];
    // Rounded to the digits a catalogue price may carry, so the discounted catalogue stays valid.
    if (p !== undefined) out[c] = fromText(p).times(factor).toSignificantDigits(MAX_SIGNIFICANT_DIGITS).toString();
  }
  return out;
}

function applyRule(m: Model, rule: OverlayRule): Model {
  let out = m;
  if (rule.discount_percent !== undefined) {
    const factor = new Dec(1).minus(new Dec(rule.discount_percent).div(100));
    const on = rule.components ?? COMPONENTS;
    const cut = (p: Prices) => discounted(p, factor, on);
    out = {
      ...m,
      prices: cut(m.prices),
      price_changes: m.price_changes.map((c) => ({
        ...c,
        prices: cut(c.prices),
        ...(c.tiers ? { tiers: c.tiers.map((t) => ({ ...t, prices: cut(t.prices) })) } : {}),
      })),
      tiers: m.tiers.map((t) => ({ ...t, prices: cut(t.prices) })),
      variants: Object.fromEntries(Object.entries(m.variants).map(([k, v]) => [k, v.prices ? { ...v, prices: cut(v.prices) } : v])),
    };
  }
  return rule.prices ? { ...out, prices: { ...out.prices, ...rule.prices } } : out;
}

/** The index of the rule for a model: its model rule, else its provider rule, the later of equals; -1 for none. */
function ruleFor(rules: readonly OverlayRule[], m: Model): number {
  let byModel = -1;
  let byProvider = -1;
  rules.forEach((r, i) => {
    if (r.model === m.id) byModel = i;
    else if (r.provider?.toLowerCase() === m.provider.toLowerCase()) byProvider = i;
  });
  return byModel >= 0 ? byModel : byProvider;
}

/**
 * The catalogue priced with `overlay`, its planning rates in place of the catalogue's; it no
 * longer carries an overlay of its own, so nothing applies one twice.
 */
export function applyOverlay({ overlay: _carried, ...catalogue }: Catalogue, overlay: Overlay): OverlayResult {
  const matched = new Set<number>();
  const overridden = new Map<string, Component[]>();
  const models = catalogue.models.map((m) => {
    const i = ruleFor(overlay.rules, m);
    if (i < 0) return m;
    matched.add(i);
    const next = applyRule(m, overlay.rules[i]);
    const changed = COMPONENTS.filter((c) => {
      const [before, after] = [m.prices[c], next.prices[c]];
      return after !== undefined && (before === undefined || !fromText(before).eq(after));
    });
    if (changed.length) overridden.set(m.id, changed);
    return next;
  });
  const planning = overlay.planning_rates && { name: overlay.name, per_usd: overlay.planning_rates };
  return {
    catalogue: {
      ...catalogue,
      source: `${catalogue.source}, with ${overlay.name}`,
      models,
      ...(planning ? { fx: { ...catalogue.fx, planning } } : {}),
    },
    overridden,
    unmatched: overlay.rules.map((_, i) => i).filter((i) => !matched.has(i)),
  };
}
