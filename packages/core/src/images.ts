import { type CompiledCatalogue, type CompiledModel, activeCatalogue, findModel, normalise } from "./catalogue";
import type { ImageRule } from "./catalogue/schema";
import { Dec, Fixed, MAX_FIXED_SCALE, ONE, POW10, fixedOf, fromNumber } from "./decimal";
import { valueError } from "./errors";
import { type Param, defineFunction, double, optional, text, textAs } from "./sheet";

/**
 * Input tokens one image costs, by each provider's published rule. Sizes are scaled exactly (no
 * rounding to whole pixels, except where OpenAI's patch rule truncates), and the count is rounded
 * up to a whole token. The seed's "1.6 tokens per pixel" matches no provider.
 */

// OpenAI, 512-px tiles (platform.openai.com, Images and vision, "Calculating costs"): fit within
// 2048 × 2048, scale the shortest side down to 768, then base + tile tokens per 512-px tile;
// detail "low" costs the base tokens alone. 85 / 170 is GPT-4o's pair, the provider default.
const FIT_PX = new Dec(2048);
const SHORT_SIDE_PX = new Dec(768);
const TILE_PX = new Dec(512);

// OpenAI, 32-px patches (same page; gpt-5-mini, gpt-4.1-mini/nano, o4-mini): ⌈w/32⌉ × ⌈h/32⌉
// patches; above 1,536 the image is shrunk to fit that budget; tokens = patches × multiplier.
// `detail` does not change the count.
const PATCH_PX = new Dec(32);
const PATCH_BUDGET = new Dec(1536);

// Anthropic (docs.claude.com, Vision, "Evaluate image size"): an image whose long edge exceeds
// 1568 px or that would cost more than ~1,600 tokens is scaled down, keeping its aspect, then
// costs width × height ÷ 750. 1,600 tokens = 1.2 million pixels, the "about 1.15 megapixels"
// (× 2^20) of the docs, and reproduces their table: 1092 × 1092 → 1,590.
const LONG_EDGE_PX = new Dec(1568);
const PIXELS_PER_TOKEN = new Dec(750);
const MAX_TOKENS = new Dec(1600);

// Google (ai.google.dev, Image understanding, and Vertex AI, "Image requirements"): 258 tokens
// when both sides are ≤ 384 px; else tiles of a crop unit = ⌊shorter side ÷ 1.5⌋ held within
// 256 … 768 px, ⌈w ÷ unit⌉ × ⌈h ÷ unit⌉ of them, 258 tokens each (960 × 540: unit 360, 3 × 2).
const GOOGLE_TILE_TOKENS = new Dec(258);
const SMALL_PX = new Dec(384);
const MIN_UNIT_PX = new Dec(256);
const MAX_UNIT_PX = new Dec(768);

export type Detail = "high" | "low";

function openaiTiles(w: Dec, h: Dec, detail: Detail, baseTokens: number, tileTokens: number): Dec {
  const base = new Dec(baseTokens);
  if (detail === "low") return base;
  // The scale as a fraction num ÷ den, so each side is one exact division: fit the long side,
  // then bring the shortest side down to 768 (never up).
  const long = Dec.max(w, h);
  const short = Dec.min(w, h);
  let [num, den] = long.gt(FIT_PX) ? [FIT_PX, long] : [ONE, ONE];
  if (short.times(num).gt(SHORT_SIDE_PX.times(den))) [num, den] = [SHORT_SIDE_PX, short];
  const across = (side: Dec) => side.times(num).div(den.times(TILE_PX)).ceil();
  return base.plus(new Dec(tileTokens).times(across(w)).times(across(h)));
}

function patchesCovering(w: Dec, h: Dec): Dec {
  return w.div(PATCH_PX).ceil().times(h.div(PATCH_PX).ceil());
}

function openaiPatches(w: Dec, h: Dec, multiplier: Dec): Dec {
  let patches = patchesCovering(w, h);
  if (patches.gt(PATCH_BUDGET)) {
    // OpenAI's shrink: scale to the budget, then a little more so whole patches fit each side.
    // A side thinner than a patch stays one patch (and one pixel) wide; the budget caps the rest.
    const shrink = PATCH_PX.pow(2).times(PATCH_BUDGET).div(w.times(h)).sqrt();
    const fit = (side: Dec) => {
      const k = side.times(shrink).div(PATCH_PX);
      return Dec.max(ONE, k.floor()).div(k);
    };
    const scale = shrink.times(Dec.min(fit(w), fit(h)));
    const resized = (side: Dec) => Dec.max(ONE, side.times(scale).floor());
    patches = Dec.min(PATCH_BUDGET, patchesCovering(resized(w), resized(h)));
  }
  return patches.times(multiplier).ceil();
}

function anthropic(w: Dec, h: Dec): Dec {
  const long = Dec.max(w, h);
  const area = w.times(h);
  const tokens = long.gt(LONG_EDGE_PX)
    ? area.times(LONG_EDGE_PX.pow(2)).div(long.pow(2).times(PIXELS_PER_TOKEN))
    : area.div(PIXELS_PER_TOKEN);
  return Dec.min(tokens, MAX_TOKENS).ceil();
}

function google(w: Dec, h: Dec): Dec {
  if (w.lte(SMALL_PX) && h.lte(SMALL_PX)) return GOOGLE_TILE_TOKENS;
  const unit = Dec.min(MAX_UNIT_PX, Dec.max(MIN_UNIT_PX, Dec.min(w, h).times(2).div(3).floor()));
  return GOOGLE_TILE_TOKENS.times(w.div(unit).ceil()).times(h.div(unit).ceil());
}

/** Whole input tokens for one image of `w` × `h` pixels under a rule; undefined for "none". */
export function imageTokens(rule: ImageRule, w: Dec, h: Dec, detail: Detail): Dec | undefined {
  switch (rule.rule) {
    case "openai_tiles":
      return openaiTiles(w, h, detail, rule.base_tokens, rule.tile_tokens);
    case "openai_patches":
      return openaiPatches(w, h, new Dec(rule.multiplier));
    case "anthropic":
      return anthropic(w, h);
    case "google":
      return google(w, h);
    case "none":
      return undefined;
  }
}

// --- the integer path ------------------------------------------------------------------------

/**
 * ⌈a ÷ b⌉ for whole a ≥ 0 and b ≥ 1, or NaN unless both are safe integers (a product past 2^53
 * rounds to 2^53 or more, so it fails too). One IEEE division: the quotient's rounding error
 * (under a ÷ b × 2^−53) is less than its distance (≥ 1 ÷ b) from any whole number it is not,
 * while a < 2^53. The decimal path's 34-digit quotient moves less still (a ÷ b × 5 × 10^−34), so
 * its ceiling and floor are the exact ones too: both paths agree.
 */
function ceilDiv(a: number, b: number): number {
  return Number.isSafeInteger(a) && Number.isSafeInteger(b) ? Math.ceil(a / b) : Number.NaN;
}

/** ⌊a ÷ b⌋ under ceilDiv's conditions. */
function floorDiv(a: number, b: number): number {
  return Number.isSafeInteger(a) && Number.isSafeInteger(b) ? Math.floor(a / b) : Number.NaN;
}

/** Sides up to 2^26 px keep a side times 2,048 and the area safe; ceilDiv checks Anthropic's larger products. */
const MAX_FAST_PX = 2 ** 26;

function openaiTilesFast(w: number, h: number, detail: Detail, baseTokens: number, tileTokens: number): number {
  if (detail === "low") return baseTokens;
  const long = Math.max(w, h);
  const short = Math.min(w, h);
  let num = 1;
  let den = 1;
  if (long > 2048) {
    num = 2048;
    den = long;
  }
  if (short * num > 768 * den) {
    num = 768;
    den = short;
  }
  return baseTokens + tileTokens * ceilDiv(w * num, den * 512) * ceilDiv(h * num, den * 512);
}

/**
 * Patches within the budget only: the shrink above it takes a square root, whose 34-digit
 * rounding the decimal path's floors then see, so it stays there.
 */
function openaiPatchesFast(w: number, h: number, multiplier: Fixed | undefined): number {
  const patches = ceilDiv(w, 32) * ceilDiv(h, 32);
  if (!(patches <= 1536) || !multiplier) return Number.NaN;
  return ceilDiv(patches * multiplier.units, POW10[multiplier.scale]);
}

function anthropicFast(w: number, h: number): number {
  const long = Math.max(w, h);
  const tokens = long > 1568 ? ceilDiv(w * h * 1568 * 1568, long * long * 750) : ceilDiv(w * h, 750);
  return Math.min(tokens, 1600);
}

function googleFast(w: number, h: number): number {
  if (w <= 384 && h <= 384) return 258;
  const unit = Math.min(768, Math.max(256, floorDiv(2 * Math.min(w, h), 3)));
  return 258 * ceilDiv(w, unit) * ceilDiv(h, unit);
}

/** A patch rule's multiplier as a Fixed, read once per rule (undefined when it has no safe form). */
const multipliers = new WeakMap<ImageRule, Fixed | undefined>();

function multiplierOf(rule: Extract<ImageRule, { rule: "openai_patches" }>): Fixed | undefined {
  if (multipliers.has(rule)) return multipliers.get(rule);
  const d = new Dec(rule.multiplier);
  const units = d.times(new Dec(10).pow(d.decimalPlaces())).toNumber();
  const fixed = d.decimalPlaces() <= MAX_FIXED_SCALE && Number.isSafeInteger(units) ? new Fixed(units, d.decimalPlaces()) : undefined;
  multipliers.set(rule, fixed);
  return fixed;
}

/**
 * imageTokens in exact integer arithmetic, for whole sides up to MAX_FAST_PX: every decimal
 * operation of the decimal path on such sides is an exact product or a quotient that a ceiling
 * or floor follows (see ceilDiv), so the two agree. Undefined for "none", OpenAI's shrink to the
 * patch budget, and anything past the safe integers; the decimal path takes over.
 */
function fastImageTokens(rule: ImageRule, w: number, h: number, detail: Detail): Fixed | undefined {
  if (w > MAX_FAST_PX || h > MAX_FAST_PX) return undefined;
  let tokens: number;
  switch (rule.rule) {
    case "openai_tiles":
      tokens = openaiTilesFast(w, h, detail, rule.base_tokens, rule.tile_tokens);
      break;
    case "openai_patches":
      tokens = openaiPatchesFast(w, h, multiplierOf(rule));
      break;
    case "anthropic":
      tokens = anthropicFast(w, h);
      break;
    case "google":
      tokens = googleFast(w, h);
      break;
    case "none":
      return undefined;
  }
  return Number.isSafeInteger(tokens) ? new Fixed(tokens, 0) : undefined;
}

/** Each provider's rule; a catalogue entry's `image_tokens` overrides its provider's. */
export const PROVIDER_RULES: Readonly<Record<string, ImageRule>> = {
  openai: { rule: "openai_tiles", base_tokens: 85, tile_tokens: 170 },
  anthropic: { rule: "anthropic" },
  google: { rule: "google" },
};

const ARG = "provider_or_model";
const KNOWN = Object.keys(PROVIDER_RULES).join(", ");

/** A provider named outright, or the model named (with its provider). */
type Named = { readonly provider: string; readonly model?: CompiledModel };

/**
 * What `provider_or_model` names: a provider with a rule, a provider of the catalogue, or a model
 * (`#N/A` with the closest ids when it is none of them).
 */
function providerOrModel(name: string, rules: Readonly<Record<string, unknown>>, catalogue: CompiledCatalogue): Named {
  const key = normalise(name);
  if (Object.hasOwn(rules, key)) return { provider: key };
  if (catalogue.models.some((m) => normalise(m.entry.provider) === key)) return { provider: key };
  const model = findModel(catalogue, name);
  return { provider: normalise(model.entry.provider), model };
}

/** Names remembered per catalogue: as many as a workbook uses, within reason. */
const MAX_NAMES = 256;

/**
 * providerOrModel under one rule table, remembered per catalogue (a compiled catalogue never
 * changes): a workbook names the same few providers and models in every cell, and reading a name
 * (normalising it, scanning the providers) costs more than the rest of the call.
 */
function namer(rules: Readonly<Record<string, unknown>>): (name: string) => Named {
  const byCatalogue = new WeakMap<CompiledCatalogue, Map<string, Named>>();
  return (name) => {
    const catalogue = activeCatalogue();
    let known = byCatalogue.get(catalogue);
    if (!known) {
      known = new Map();
      byCatalogue.set(catalogue, known);
    }
    let named = known.get(name);
    if (!named) {
      named = providerOrModel(name, rules, catalogue);
      if (known.size >= MAX_NAMES) known.clear();
      known.set(name, named);
    }
    return named;
  };
}

const imageNamed = namer(PROVIDER_RULES);

/** The image rule a provider name or a model stands for, and what to call it in a message. */
function ruleFor(name: string): { rule: ImageRule; who: string } {
  const { provider, model } = imageNamed(name);
  const rule = model?.entry.image_tokens ?? (Object.hasOwn(PROVIDER_RULES, provider) ? PROVIDER_RULES[provider] : undefined);
  if (rule) return { rule, who: model?.id ?? provider };
  if (!model) throw valueError(ARG, `no published image-token rule for ${provider} (providers with one: ${KNOWN}; or give a model id)`);
  throw valueError(ARG, `no published image-token rule for ${model.id} (providers with one: ${KNOWN})`);
}

function detailArg(name: string): Param<Detail> {
  return textAs(name, (given): Detail => {
    const word = given.trim().toLowerCase();
    if (word !== "high" && word !== "low") throw valueError(name, `must be high or low, got "${given}"`);
    return word;
  });
}

/** The decimal path of IMAGE_TOKENS. */
export function imageCount(name: string, width: Dec, height: Dec, detail: Detail): Dec {
  const { rule, who } = ruleFor(name);
  const tokens = imageTokens(rule, width, height, detail);
  if (!tokens) throw valueError(ARG, `${who} does not take image input`);
  return tokens;
}

const pixels = (name: string) => double(name, { min: 1, whole: true });

export const IMAGE_TOKENS = defineFunction(
  "IMAGE_TOKENS",
  {
    description:
      "Input tokens one image costs, by the provider's published rule (OpenAI 512-px tiles or 32-px patches, Anthropic width × height ÷ 750 after resizing, Google 258-token tiles), rounded up.",
    result: "number",
    returns: "Input tokens (whole).",
    help: {
      provider_or_model:
        '"openai", "anthropic", "google", or a catalogue model id (its own rule where it has one: o-series and mini models count differently).',
      width_px: "Image width in pixels (a whole number ≥ 1).",
      height_px: "Image height in pixels (a whole number ≥ 1).",
      detail: '"high" (default) or "low"; matters for OpenAI tile models only.',
    },
  },
  [text(ARG), pixels("width_px"), pixels("height_px"), optional(detailArg("detail"), "high" as Detail)],
  (name, width, height, detail) =>
    fastImageTokens(ruleFor(name).rule, width, height, detail) ?? imageCount(name, fromNumber(width), fromNumber(height), detail),
);

// --- video and audio -------------------------------------------------------------------------

export type MediaKind = "video" | "audio";

/**
 * Input tokens per second of media, by provider. Google (ai.google.dev, "Token counting" and
 * Video/Audio understanding): video 263 tokens a second (frames at the default resolution with
 * their sound), audio 32. No other provider publishes a per-second rule.
 */
export const MEDIA_RULES: Readonly<Record<string, Readonly<Record<MediaKind, number>>>> = {
  google: { video: 263, audio: 32 },
};
const MEDIA_KNOWN = Object.keys(MEDIA_RULES).join(", ");
const mediaNamed = namer(MEDIA_RULES);

function kindArg(name: string): Param<MediaKind> {
  return textAs(name, (given): MediaKind => {
    const word = given.trim().toLowerCase();
    if (word !== "video" && word !== "audio") throw valueError(name, `must be video or audio, got "${given}"`);
    return word;
  });
}

/** Tokens a second of a kind of media, by the provider `name` is or makes the model. */
function perSecond(name: string, kind: MediaKind): number {
  const { provider, model } = mediaNamed(name);
  const rule = Object.hasOwn(MEDIA_RULES, provider) ? MEDIA_RULES[provider] : undefined;
  if (!rule) throw valueError(ARG, `no published ${kind}-token rule for ${model?.id ?? provider} (providers with one: ${MEDIA_KNOWN})`);
  return rule[kind];
}

/** The decimal path of MEDIA_TOKENS. */
export function mediaTokens(name: string, kind: MediaKind, seconds: Dec): Dec {
  return seconds.times(perSecond(name, kind)).ceil();
}

/**
 * ⌈seconds × tokens a second⌉ in integers: seconds as read from its text (units × 10^−scale), so
 * the product is exact as the decimal path's is, and one ceilDiv. Undefined past the safe integers.
 */
function fastMediaTokens(seconds: number, perSecond: number): Fixed | undefined {
  const s = fixedOf(seconds);
  const tokens = s ? ceilDiv(s.units * perSecond, POW10[s.scale]) : Number.NaN;
  return Number.isSafeInteger(tokens) ? new Fixed(tokens, 0) : undefined;
}

export const MEDIA_TOKENS = defineFunction(
  "MEDIA_TOKENS",
  {
    description:
      "Input tokens for seconds of video or audio, by the provider's published rule (Google: video 263 tokens a second, audio 32), rounded up.",
    result: "number",
    returns: "Input tokens (whole).",
    help: {
      provider_or_model: '"google", or a catalogue model id (its provider\'s rule).',
      kind: '"video" or "audio".',
      seconds: "Length of the media in seconds (≥ 0, fractions allowed).",
    },
  },
  [text(ARG), kindArg("kind"), double("seconds", { min: 0 })],
  (name, kind, seconds) => fastMediaTokens(seconds, perSecond(name, kind)) ?? mediaTokens(name, kind, fromNumber(seconds)),
);
