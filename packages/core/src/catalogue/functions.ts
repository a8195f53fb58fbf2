import { Dec } from "../decimal";
import { valueError } from "../errors";
import { type Matrix, count, date, defineFunction, maybe, optional, text } from "../sheet";
import { activeCatalogue, isPinned } from "./active";
import { modelArg } from "./args";
import { normalise } from "./compile";
import { componentPrice, ratesFor } from "./rates";
import { COMPONENTS, type Component } from "./schema";

/** The catalogue's worksheet functions: one price, the model and hardware tables, and what is in force. */

/** PRICE's components: every meter at the standard rate, and a variant's input and output. */
const PRICE_COMPONENTS = new Map<string, [variant: string, component: Component]>([
  ...COMPONENTS.map((c): [string, [string, Component]] => [c, ["", c]]),
  ...["batch", "offpeak", "flex", "priority"].flatMap((v): [string, [string, Component]][] => [
    [`${v}_input`, [v, "input"]],
    [`${v}_output`, [v, "output"]],
  ]),
]);

/** PRICE's `residency`: the entry's uplift multiplier, 1 where it has none. */
const RESIDENCY = "residency";

export const PRICE = defineFunction(
  "PRICE",
  {
    description: "Price of one component of a model, in its unit (USD per 1M tokens for tokens).",
    result: "number",
    returns: "USD per the component's unit; residency: a multiplier.",
    help: {
      model: 'Catalogue id ("anthropic/claude-sonnet-4-6") or an unambiguous model name.',
      component:
        "input (default), output, cache_read, cache_write, cache_write_1h, reasoning, cache_storage_hour, batch_/offpeak_/flex_/priority_ and audio_/image_ + input or output, request, web_search, image, audio_minute, character, page, residency.",
      prompt_tokens: "Prompt size in tokens; picks the long-context tier. Default 0.",
      as_of: 'Date the price applied (an Excel date or "YYYY-MM-DD"). Default: today.',
    },
  },
  [modelArg(), optional(text("component"), "input"), optional(count("prompt_tokens"), 0), maybe(date("as_of"))],
  (model, componentName, promptTokens, asOf) => {
    const name = componentName.trim().toLowerCase();
    if (name === RESIDENCY) return new Dec(model.entry.residency ?? 1);
    const picked = PRICE_COMPONENTS.get(name);
    if (!picked) {
      throw valueError("component", `unknown component "${componentName}" (use ${[...PRICE_COMPONENTS.keys(), RESIDENCY].join(", ")})`);
    }
    const [variant, component] = picked;
    const rates = ratesFor(model, promptTokens, variant, asOf, "component");
    return componentPrice(model, rates, component, "component");
  },
);

const dash = (d: Dec | undefined) => d ?? null;

export const MODELS = defineFunction(
  "MODELS",
  {
    description: "Spills the catalogue's models with their prices (USD per 1M tokens), header row first.",
    result: "spill",
    returns: "id, provider, name, input, output, cache_read, cache_write, cache_write_1h, context_window, as_of, kind.",
    help: {
      search: "Text to find in the id, name or aliases. Default: every model.",
      provider: 'Only this provider ("openai", "anthropic", …). Default: all.',
    },
  },
  [optional(text("search"), ""), optional(text("provider"), "")],
  (search, provider) => {
    const catalogue = activeCatalogue();
    const q = normalise(search);
    const p = normalise(provider);
    const rows: Matrix = [
      ["id", "provider", "name", "input", "output", "cache_read", "cache_write", "cache_write_1h", "context_window", "as_of", "kind"],
    ];
    for (const m of catalogue.models) {
      const e = m.entry;
      if (p && normalise(e.provider) !== p) continue;
      if (q && ![m.id, e.name, ...e.aliases].some((s) => normalise(s).includes(q))) continue;
      const r = m.rates[0].get("")!;
      rows.push([
        m.id,
        e.provider,
        e.name,
        dash(r.input),
        dash(r.output),
        dash(r.cache_read),
        dash(r.cache_write),
        dash(r.cache_write_1h ?? r.cache_write),
        e.context_window === null ? null : new Dec(e.context_window),
        e.as_of ?? catalogue.data.as_of,
        e.kind ?? "chat",
      ]);
    }
    return rows;
  },
);

export const HARDWARE = defineFunction(
  "HARDWARE",
  {
    description:
      "Spills the catalogue's GPU nodes, header row first. Bandwidth in TB/s and TFLOPS per GPU; power, capex and rental per node.",
    result: "spill",
    returns:
      "id, gpus, hbm_gb, bandwidth_tbs, bf16_tflops, fp8_tflops, kw, capex, rental_per_hour, measured_tokens_per_second, measured_by.",
    help: {
      search: "Text to find in the id or name. Default: every node.",
    },
  },
  [optional(text("search"), "")],
  (search) => {
    const q = normalise(search);
    const rows: Matrix = [
      [
        "id",
        "gpus",
        "hbm_gb",
        "bandwidth_tbs",
        "bf16_tflops",
        "fp8_tflops",
        "kw",
        "capex",
        "rental_per_hour",
        "measured_tokens_per_second",
        "measured_by",
      ],
    ];
    for (const h of activeCatalogue().hardware) {
      if (q && !normalise(h.id).includes(q) && !normalise(h.entry.name).includes(q)) continue;
      const best = h.entry.measured[0];
      rows.push([
        h.id,
        h.gpus,
        h.hbmGb,
        h.bandwidthTbs,
        h.bf16Tflops,
        h.fp8Tflops,
        h.kw,
        h.capex,
        h.rentalPerHour,
        best ? new Dec(best.tokens_per_second) : null,
        best ? `${best.engine}, ${best.scenario}, ${best.model} (${best.source})` : null,
      ]);
    }
    return rows;
  },
);

export const CATALOG_INFO = defineFunction(
  "CATALOG_INFO",
  {
    description: "Spills the active catalogue's source, as-of date, version, model count and whether this workbook pins its own copy.",
    result: "spill",
    returns: "Label/value rows.",
    help: {},
  },
  [],
  () => {
    const { data, models } = activeCatalogue();
    return [
      ["source", data.source],
      ["as_of", data.as_of],
      ["version", data.version],
      ["models", new Dec(models.length)],
      ["pinned", isPinned()],
    ];
  },
);
