import { z } from "zod";
import { Dec } from "../decimal";
import { decimalProblem, priceProblem } from "./decimal-text";
import { Fx, PlanningRateTable } from "./fx";
import { MAX_ID_LENGTH, MAX_NAME_LENGTH, firstDuplicate, idProblem, nameProblem } from "./ids";
import { isCalendarDate, scheduleProblem, tiersProblem } from "./rules";

/**
 * The catalogue file format: prices are data under this schema (the bundled default, a refreshed
 * import, an organisation's curated file all use it). Money and rates are decimal *text*, so
 * that no price ever passes through a double on its way in.
 */

/** A non-negative decimal written as text: "3", "0.075", "3e-6"; bounded (decimal-text.ts). */
export const decimalText = z
  .string()
  // abort: refinements that read it as a decimal must never see text that is not one.
  .refine((s) => decimalProblem(s) === undefined, { error: (i) => decimalProblem(i.input as string), abort: true });

/** A price, USD per unit: a bounded decimal from 0 to MAX_PRICE. */
const priceText = z.string().refine((s) => priceProblem(s) === undefined, { error: (i) => priceProblem(i.input as string), abort: true });

export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: "a date written YYYY-MM-DD", abort: true })
  .refine(isCalendarDate, "a date that exists on the calendar");

/** A text shown to people: no control, bidi or zero-width characters, at most `max` characters (ids.ts). */
const shown = (max: number) =>
  z
    .string()
    .min(1)
    .refine((s) => nameProblem(s, max) === undefined, { error: (i) => nameProblem(i.input as string, max) });
const name = shown(MAX_NAME_LENGTH);

/**
 * Token components, USD per 1M tokens (cache_storage_hour: per 1M tokens per hour). Variants and
 * the residency uplift change these unless a variant lists other meters.
 */
export const TOKEN_COMPONENTS = [
  "input",
  "output",
  "cache_read",
  "cache_write",
  "cache_write_1h",
  "reasoning",
  "cache_storage_hour",
  "audio_input",
  "audio_output",
  "image_input",
  "image_output",
] as const;
/** The meters that are not tokens, each in its own price unit (METER_UNITS). */
export const OTHER_METERS = ["request", "web_search", "image", "audio_minute", "character", "page"] as const;
/** Every priced component: the token components and the other meters. */
export const COMPONENTS = [...TOKEN_COMPONENTS, ...OTHER_METERS] as const;
export const Component = z.enum(COMPONENTS);
export type Component = z.infer<typeof Component>;

export const Prices = z.partialRecord(Component, priceText);
export type Prices = z.infer<typeof Prices>;

/** Each meter's price unit, in words (functions.md, release 2: the meters table). */
const PER_MTOK = "USD per 1M tokens";
export const METER_UNITS: Readonly<Record<Component, string>> = {
  input: PER_MTOK,
  output: PER_MTOK,
  cache_read: PER_MTOK,
  cache_write: PER_MTOK,
  cache_write_1h: PER_MTOK,
  reasoning: PER_MTOK,
  audio_input: PER_MTOK,
  audio_output: PER_MTOK,
  image_input: PER_MTOK,
  image_output: PER_MTOK,
  cache_storage_hour: "USD per 1M tokens per hour",
  request: "USD per 1,000 requests",
  web_search: "USD per 1,000 calls",
  image: "USD per image",
  audio_minute: "USD per minute",
  character: "USD per 1M characters",
  page: "USD per 1,000 pages",
};

/** What a model does, for browsing and filtering (MODELS' kind column); chat when absent. */
export const KINDS = ["chat", "embedding", "image", "speech", "transcription", "ocr", "rerank"] as const;
export const Kind = z.enum(KINDS);
export type Kind = z.infer<typeof Kind>;

/**
 * A priced variant of the standard rates (`batch`, `offpeak`, the service tiers `flex` and
 * `priority`, or a pair such as `batch+offpeak`).
 * Either a multiplier on the components it lists, or explicit prices, or both (explicit wins).
 */
export const Variant = z.object({
  multiplier: decimalText.optional(),
  /** Components the multiplier changes; the rest keep the standard rate (a request fee unless listed). */
  applies_to: z.array(Component).default([...TOKEN_COMPONENTS]),
  prices: Prices.optional(),
  /** Whether cache reads in this variant get its discount (true) or stay at the standard cache-read rate. */
  stacks_with_cache_reads: z.boolean(),
  /** When it applies, for people (e.g. "16:30–00:30 UTC"). */
  window: z.string().optional(),
});
export type Variant = z.infer<typeof Variant>;

/**
 * A long-context tier. `inclusive`: the tier starts at a prompt of exactly `threshold_tokens`
 * (otherwise only above it). `whole_request`: every component of the request is billed at the
 * tier's rates; `marginal`: only the prompt tokens past the threshold are.
 */
export const Tier = z.object({
  threshold_tokens: z.number().int().positive(),
  inclusive: z.boolean(),
  basis: z.enum(["whole_request", "marginal"]),
  prices: Prices,
});
export type Tier = z.infer<typeof Tier>;

/**
 * An earlier price list of the same model, in force from `effective_from` until the next one
 * (without a date: for every date before the next one, as when a source's first list is undated).
 */
export const PriceChange = z.object({
  effective_from: isoDate.optional(),
  prices: Prices,
  /** The long-context tiers of this list (none when absent): a list's tiers apply only while it is in force. */
  tiers: z.array(Tier).optional(),
});

export const EffortDefaults = z.object({
  low: z.number().nonnegative(),
  medium: z.number().nonnegative(),
  high: z.number().nonnegative(),
});

/**
 * How a model counts an image's input tokens (IMAGE_TOKENS; the rules are in images.ts). An
 * entry names one only where it differs from its provider's rule: OpenAI's 512-px tiles with the
 * model's own base and per-tile tokens, OpenAI's 32-px patches times the model's multiplier, or
 * no image input at all.
 */
export const ImageRule = z.discriminatedUnion("rule", [
  z.object({
    rule: z.literal("openai_tiles"),
    base_tokens: z.number().int().nonnegative(),
    tile_tokens: z.number().int().nonnegative(),
  }),
  z.object({ rule: z.literal("openai_patches"), multiplier: decimalText }),
  z.object({ rule: z.literal("anthropic") }),
  z.object({ rule: z.literal("google") }),
  z.object({ rule: z.literal("none") }),
]);
export type ImageRule = z.infer<typeof ImageRule>;

/** A model's fields; Model adds the rule that spans two of them (price lists in date order). */
const ModelFields = z.object({
  /** `provider/model`. */
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]*\/[^\s/][^\s]*$/i, { message: "an id written provider/model", abort: true })
    .refine((s) => idProblem(s) === undefined, { error: (i) => idProblem(i.input as string) }),
  provider: name,
  name,
  aliases: z.array(name).default([]),
  context_window: z.number().int().positive().nullable().default(null),
  /** Provenance of this entry when it differs from the file's. */
  source: z.string().optional(),
  as_of: isoDate.optional(),
  /** The current price list, in force from `effective_from` (or for all dates when absent). */
  prices: Prices,
  effective_from: isoDate.optional(),
  /** Earlier price lists, so PRICE(…, as_of) answers what was charged then. */
  price_changes: z.array(PriceChange).default([]),
  /** Which source last set each price of the current list (absent: the entry's or the file's source). */
  price_sources: z.partialRecord(Component, z.string().min(1)).optional(),
  variants: z.record(z.string(), Variant).default({}),
  tiers: z
    .array(Tier)
    .refine((t) => tiersProblem(t) === undefined, { error: (i) => tiersProblem(i.input as Tier[]) })
    .default([]),
  reasoning_effort: EffortDefaults.optional(),
  image_tokens: ImageRule.optional(),
  /** Absent: chat. */
  kind: Kind.optional(),
  /** The data-residency uplift, a multiplier on the token meters under mode `residency` (1 where absent). */
  residency: decimalText.optional(),
});

export const Model = ModelFields.superRefine((m, ctx) => {
  const problem = scheduleProblem(m.price_changes, m.effective_from);
  if (problem) ctx.addIssue({ code: "custom", path: ["price_changes"], message: problem });
});
export type Model = z.infer<typeof Model>;

export const ThroughputAnchor = z.object({
  tokens_per_second: decimalText,
  engine: z.string(),
  scenario: z.string(),
  model: z.string(),
  source: z.string(),
});

export const Hardware = z.object({
  id: z
    .string()
    .max(MAX_ID_LENGTH)
    .regex(/^[a-z0-9][a-z0-9._-]*$/),
  name: z.string(),
  gpus: z.number().int().positive(),
  /** Per GPU, as vendors publish them. */
  hbm_gb: decimalText,
  bandwidth_tbs: decimalText,
  bf16_tflops: decimalText,
  fp8_tflops: decimalText.nullable(),
  /** Per node. */
  kw: decimalText,
  capex: decimalText,
  rental_per_hour: decimalText,
  source: z.string().optional(),
  /** Measured node throughput, best first: what money should be computed from. */
  measured: z.array(ThroughputAnchor).default([]),
});
export type Hardware = z.infer<typeof Hardware>;

/**
 * An organisation's negotiated prices on top of the public catalogue (how they apply: overlay.ts).
 * Here, not in overlay.ts, because a catalogue file may carry one.
 */
export const OverlayRule = z
  .object({
    /** A provider id ("anthropic") or a model id ("anthropic/claude-sonnet-4-6"): exactly one. */
    provider: z.string().min(1).optional(),
    model: z.string().min(1).optional(),
    /** Percent off the public price, 0–100 ("15" is 15 % off). */
    // Below 100: a full discount would price the model at 0, which no import accepts.
    discount_percent: decimalText.refine((p) => new Dec(p).lt(100), "a percentage from 0 to below 100").optional(),
    /** The components the discount applies to (all when absent). */
    components: z.array(Component).optional(),
    /** Negotiated prices, USD per 1M tokens; above 0, as a public price must be. */
    prices: Prices.refine((p) => Object.values(p).every((v) => !new Dec(v).isZero()), "a negotiated price above 0").optional(),
  })
  .refine((r) => (r.provider === undefined) !== (r.model === undefined), "a rule names a provider or a model, not both")
  .refine((r) => r.discount_percent !== undefined || r.prices !== undefined, "a rule gives a discount_percent or prices");
export type OverlayRule = z.infer<typeof OverlayRule>;

export const Overlay = z.object({
  format: z.literal("tokenledger-overlay/1"),
  /** Shown to people: "Acme negotiated rates 2026". */
  name,
  rules: z.array(OverlayRule),
  /** Its budget exchange rates, units per 1 USD: FX prefers them to any other rate (fx.ts). */
  planning_rates: PlanningRateTable.optional(),
});
export type Overlay = z.infer<typeof Overlay>;

export const Catalogue = z.object({
  format: z.literal("tokenledger-catalogue/1"),
  version: name,
  // Unbounded: applying an overlay appends its name ("…, with Acme rates").
  source: shown(Number.POSITIVE_INFINITY),
  as_of: isoDate,
  models: z.array(Model).superRefine((models, ctx) => {
    const dup = firstDuplicate(models.map((m) => m.id));
    if (dup) ctx.addIssue({ code: "custom", message: `${dup.id} repeats ${dup.first} (ids are unique ignoring case and Unicode form)` });
  }),
  hardware: z.array(Hardware).default([]),
  /** An organisation's catalogue may carry its negotiated prices; importing lifts them out (ImportResult.overlay). */
  overlay: Overlay.optional(),
  /** Providers that bill written cache tokens as ordinary input: a model of theirs with no cache-write price uses its input rate. */
  cache_write_as_input: z.array(z.string().min(1)).optional(),
  /** What each source supplied at its latest refresh, for the next refresh's sanity check. */
  supplied: z.record(z.string(), z.object({ as_of: isoDate, models: z.number().int().nonnegative() })).optional(),
  /** Exchange rates: ECB reference rates by date and an organisation's planning rates (fx.ts). */
  fx: Fx.optional(),
});
export type Catalogue = z.infer<typeof Catalogue>;

/**
 * What `parseCatalogue` answered: a catalogue loaded (validated) and then compiled is not validated
 * twice, which with 5,000 models is a tenth of a second of the pane's start. Core never changes a
 * parsed catalogue (refresh, overlays and pins build new ones).
 */
const validated = new WeakSet<object>();

/** Validates a catalogue (zod), once per parsed object. Throws a ZodError on one that breaks the schema. */
export function parseCatalogue(input: unknown): Catalogue {
  if (typeof input === "object" && input !== null && validated.has(input)) return input as Catalogue;
  const data = Catalogue.parse(input);
  validated.add(data);
  return data;
}
export type CatalogueInput = z.input<typeof Catalogue>;
