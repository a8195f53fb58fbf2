import { referenceCatalogue } from "../../../test/reference";
import { afterEach, describe, expect, it } from "vitest";
import fc from "fast-check";
import { Dec, FUNCTIONS, Fixed, decimalOf, invoke } from "../src";
import { compileCatalogue, setActiveCatalogue } from "../src/catalogue";
import { fromNumber } from "../src/decimal";
import { imageCount, mediaTokens } from "../src/images";
import { parseArgs } from "../src/sheet";
import { call, held } from "./call";

/**
 * IMAGE_TOKENS against the providers' own worked examples. Seed 002's "1.6 input tokens per image
 * pixel" is wrong: it would make a 1568 × 1568 image 3.9 million tokens (the seed itself then says
 * "~1568"); no provider counts per pixel at that rate.
 */

const tokens = (who: string, w: number, h: number, detail?: string) =>
  decimalOf(invoke(FUNCTIONS.IMAGE_TOKENS, [who, w, h, detail]) as Dec | Fixed);

describe("IMAGE_TOKENS, OpenAI", () => {
  it("counts 512-px tiles after fitting 2048 and 768 (OpenAI's examples)", () => {
    // 1024 × 1024 → 768 × 768 → 4 tiles: 85 + 4 × 170 = 765.
    expect(call("IMAGE_TOKENS", "openai", 1024, 1024)).toBe("765");
    // 2048 × 4096 → 1024 × 2048 → 768 × 1536 → 6 tiles: 85 + 1,020 = 1,105.
    expect(call("IMAGE_TOKENS", "openai", 2048, 4096)).toBe("1105");
    // Low detail is the base alone, whatever the size.
    expect(call("IMAGE_TOKENS", "openai", 4096, 8192, "low")).toBe("85");
    expect(call("IMAGE_TOKENS", "openai", 4096, 8192, "LOW")).toBe("85");
    // Small images are not scaled up: 512 × 512 is one tile, 513 × 500 two.
    expect(call("IMAGE_TOKENS", "openai", 512, 512)).toBe("255");
    expect(call("IMAGE_TOKENS", "openai", 513, 500)).toBe("425");
    expect(call("IMAGE_TOKENS", "openai/gpt-4o", 1024, 1024)).toBe("765");
  });

  it("uses the model's own base and tile tokens (OpenAI's table)", () => {
    // gpt-4o-mini 2,833 + 5,667 per tile; gpt-5 70 + 140; o3 75 + 150; 1024² is 4 tiles.
    expect(call("IMAGE_TOKENS", "openai/gpt-4o-mini", 1024, 1024)).toBe("25501");
    expect(call("IMAGE_TOKENS", "openai/gpt-4o-mini", 1024, 1024, "low")).toBe("2833");
    expect(call("IMAGE_TOKENS", "openai/gpt-5", 1024, 1024)).toBe("630");
    expect(call("IMAGE_TOKENS", "gpt-5", 1024, 1024, "low")).toBe("70");
    expect(call("IMAGE_TOKENS", "openai/o3", 1024, 1024)).toBe("675");
  });

  it("counts 32-px patches times the multiplier for gpt-5-mini (OpenAI's examples)", () => {
    // 1024 × 1024: 32 × 32 = 1,024 patches × 1.62 = 1,658.88 → 1,659.
    expect(call("IMAGE_TOKENS", "openai/gpt-5-mini", 1024, 1024)).toBe("1659");
    // 1800 × 2400: 57 × 75 = 4,275 patches, over 1,536, so shrink √(32² × 1,536 ÷ 4,320,000)
    // = 0.6034, then 0.9723 more so 33 patches fit the width: 1,056 × 1,408 → 33 × 44 = 1,452
    // patches (OpenAI's figure) × 1.62 = 2,352.24 → 2,353.
    expect(call("IMAGE_TOKENS", "openai/gpt-5-mini", 1800, 2400)).toBe("2353");
    // 100 × 50: 4 × 2 = 8 patches × 1.62 = 12.96 → 13; detail changes nothing.
    expect(call("IMAGE_TOKENS", "openai/gpt-5-mini", 100, 50, "low")).toBe("13");
    // A 1 × 49,185 strip is one patch wide; the budget caps it: 1,536 × 1.62 = 2,488.32 → 2,489.
    expect(call("IMAGE_TOKENS", "openai/gpt-5-mini", 1, 49_185)).toBe("2489");
  });

  it("refuses a model that takes no images", () => {
    expect(call("IMAGE_TOKENS", "openai/o3-mini", 1024, 1024)).toBe("VALUE: provider_or_model: openai/o3-mini does not take image input");
  });
});

describe("IMAGE_TOKENS, Anthropic", () => {
  it("divides the pixels by 750 after the resize (Anthropic's table)", () => {
    // 200 × 200 = 40,000 ÷ 750 = 53.3 → 54; 1000 × 1000 → 1,333.3 → 1,334; 1092 × 1092 →
    // 1,589.95 → 1,590 (the docs' "~54", "~1334", "~1590").
    expect(call("IMAGE_TOKENS", "anthropic", 200, 200)).toBe("54");
    expect(call("IMAGE_TOKENS", "anthropic", 1000, 1000)).toBe("1334");
    expect(call("IMAGE_TOKENS", "anthropic/claude-sonnet-4-6", 1092, 1092, "low")).toBe("1590");
    // Long edge 2000 → 1568: 1568 × 313.6 = 491,724.8 px ÷ 750 = 655.63 → 656.
    expect(call("IMAGE_TOKENS", "anthropic", 2000, 400)).toBe("656");
    // 3000 × 2000 → 1568 × 1045.3 = 1.64 MP, over the ~1,600-token limit: 1,600. So is the seed's
    // 1568 × 1568 "Claude's max" (2.46 MP).
    expect(call("IMAGE_TOKENS", "anthropic", 3000, 2000)).toBe("1600");
    expect(call("IMAGE_TOKENS", "anthropic", 1568, 1568)).toBe("1600");
  });
});

describe("IMAGE_TOKENS, Google", () => {
  it("is 258 up to 384 × 384, else 258 per crop-unit tile (Google's example)", () => {
    expect(call("IMAGE_TOKENS", "google", 384, 384)).toBe("258");
    expect(call("IMAGE_TOKENS", "google", 300, 200)).toBe("258");
    // 960 × 540: crop unit ⌊540 ÷ 1.5⌋ = 360, 3 × 2 tiles = 1,548.
    expect(call("IMAGE_TOKENS", "google", 960, 540)).toBe("1548");
    expect(call("IMAGE_TOKENS", "google/gemini-2.5-flash", 960, 540, "low")).toBe("1548");
    // 385 × 385: unit ⌊256.7⌋ = 256, 2 × 2 tiles = 1,032.
    expect(call("IMAGE_TOKENS", "google", 385, 385)).toBe("1032");
    // The unit stays within 256 … 768: 1000 × 100 → 256 (4 × 1 tiles); 3840 × 2160 → 768 (5 × 3).
    expect(call("IMAGE_TOKENS", "google", 1000, 100)).toBe("1032");
    expect(call("IMAGE_TOKENS", "google", 3840, 2160)).toBe("3870");
  });
});

describe("IMAGE_TOKENS errors", () => {
  it("rejects bad input with the contract's errors", () => {
    expect(call("IMAGE_TOKENS", "mistral", 100, 100)).toBe(
      "VALUE: provider_or_model: no published image-token rule for mistral (providers with one: openai, anthropic, google; or give a model id)",
    );
    expect(call("IMAGE_TOKENS", "mistral/codestral", 100, 100)).toBe(
      "VALUE: provider_or_model: no published image-token rule for mistral/codestral (providers with one: openai, anthropic, google)",
    );
    expect(call("IMAGE_TOKENS", "gpt-9", 100, 100)).toMatch(/^NA: unknown model "gpt-9"/);
    expect(call("IMAGE_TOKENS", "openai", 0, 100)).toBe("VALUE: width_px: must be ≥ 1");
    expect(call("IMAGE_TOKENS", "openai", 100, 10.5)).toBe("VALUE: height_px: must be a whole number");
    expect(call("IMAGE_TOKENS", "openai", "wide", 100)).toBe('VALUE: width_px: must be a number, got text "wide"');
    expect(call("IMAGE_TOKENS", "openai", 100)).toBe("VALUE: height_px: is required");
    expect(call("IMAGE_TOKENS", "openai", 100, 100, "auto")).toBe('VALUE: detail: must be high or low, got "auto"');
    expect(call("IMAGE_TOKENS", 42, 100, 100)).toBe("VALUE: provider_or_model: must be text, got number");
  });
});

describe("IMAGE_TOKENS properties", () => {
  const side = fc.integer({ min: 1, max: 20_000 });

  it("is whole, the same turned 90°, and within each rule's bounds (property)", () => {
    fc.assert(
      fc.property(side, side, (w, h) => {
        const bounds: [string, number, number][] = [
          ["openai", 255, 85 + 170 * 8], // 1 tile … 768 × 2048 after the fit, 2 × 4 tiles
          ["openai/gpt-5-mini", 2, 2489], // 1 patch × 1.62 … 1,536 × 1.62
          ["anthropic", 1, 1600],
          ["google", 258, Number.MAX_SAFE_INTEGER],
        ];
        for (const [who, low, high] of bounds) {
          const t = tokens(who, w, h);
          expect(t.isInteger()).toBe(true);
          expect(t.eq(tokens(who, h, w))).toBe(true);
          expect(t.gte(low) && t.lte(high)).toBe(true);
        }
        expect(tokens("google", w, h).mod(258).isZero()).toBe(true);
      }),
    );
  });
});

/** Sides as a workbook or a hostile one holds them: small, the rules' edges, huge, not whole, not positive. */
const SIDE = fc.oneof(
  fc.integer({ min: 1, max: 5_000 }),
  fc.constantFrom(1, 31, 32, 33, 384, 385, 511, 512, 513, 767, 768, 769, 1092, 1568, 1569, 2047, 2048, 2049, 49_185),
  fc.integer({ min: 1, max: 2 ** 28 }),
  fc.constantFrom(2 ** 26, 2 ** 26 + 1, 2 ** 53 - 1, 2 ** 53, 1e20, 1e300, 0, -1, 10.5, 0.5, Number.NaN),
);
const IMAGE_WHO = [
  "openai",
  "OpenAI",
  "anthropic",
  "google",
  "openai/gpt-4o",
  "openai/gpt-4o-mini",
  "gpt-5",
  "openai/gpt-5-mini",
  "openai/o3-mini",
  "google/gemini-2.5-flash",
  "anthropic/claude-sonnet-4-6",
  "mistral",
  "gpt-9",
];

describe("IMAGE_TOKENS' integer path", () => {
  afterEach(() => setActiveCatalogue(referenceCatalogue()));

  it("answers exactly what the decimal path answers, errors included (property)", () => {
    fc.assert(
      fc.property(fc.constantFrom(...IMAGE_WHO), SIDE, SIDE, fc.constantFrom(null, "high", "low", "LOW", "auto"), (who, w, h, detail) => {
        const args = [who, w, h, detail];
        const slow = held(() => {
          const [name, width, height, d] = parseArgs(FUNCTIONS.IMAGE_TOKENS, args) as [string, number, number, "high" | "low"];
          return imageCount(name, fromNumber(width), fromNumber(height), d);
        });
        expect(held(() => invoke(FUNCTIONS.IMAGE_TOKENS, args))).toBe(slow);
      }),
      { numRuns: 3_000 },
    );
  });

  it("reads a name afresh in another catalogue (what a name names is remembered per catalogue)", () => {
    expect(call("IMAGE_TOKENS", "openai/gpt-4o-mini", 1024, 1024)).toBe("25501");
    expect(call("MEDIA_TOKENS", "google/gemini-2.5-flash", "audio", 1)).toBe("32");
    const data = referenceCatalogue().data;
    // The same catalogue without gpt-4o-mini and Gemini: both names are unknown there.
    const gone = (m: { id: string }) => m.id !== "openai/gpt-4o-mini" && m.id !== "google/gemini-2.5-flash";
    setActiveCatalogue(compileCatalogue({ ...data, models: data.models.filter(gone) }));
    expect(call("IMAGE_TOKENS", "openai/gpt-4o-mini", 1024, 1024)).toMatch(/^NA: unknown model "openai\/gpt-4o-mini"/);
    expect(call("MEDIA_TOKENS", "google/gemini-2.5-flash", "audio", 1)).toMatch(/^NA: unknown model "google\/gemini-2.5-flash"/);
    setActiveCatalogue(referenceCatalogue());
    expect(call("IMAGE_TOKENS", "openai/gpt-4o-mini", 1024, 1024)).toBe("25501");
  });

  it("takes the bench's images and every rule's common sizes", () => {
    for (const args of [
      ["openai", 1024, 1024, "high"],
      ["anthropic", 1920, 1080, null],
      ["google/gemini-2.5-flash", 800, 600, null],
      ["openai/gpt-5-mini", 1024, 1024, null],
      ["openai", 4096, 8192, "low"],
    ]) {
      expect(invoke(FUNCTIONS.IMAGE_TOKENS, args)).toBeInstanceOf(Fixed);
    }
  });
});

describe("MEDIA_TOKENS", () => {
  it("counts Google's video at 263 and audio at 32 tokens a second, rounded up", () => {
    // Seed 002 ("Multimodal cost shape") puts a 5-minute clip at "~5000 video tokens"; by Google's
    // rule it is 300 s × 263 = 78,900, nearly 16× more (at its $1/M: $0.0789, not $0.005).
    expect(call("MEDIA_TOKENS", "google", "video", 300)).toBe("78900");
    // 60.5 s × 32 = 1,936; 0.1 s × 32 = 3.2, rounded up to 4.
    expect(call("MEDIA_TOKENS", "google/gemini-2.5-flash", "audio", 60.5)).toBe("1936");
    expect(call("MEDIA_TOKENS", "Google", "AUDIO", 0.1)).toBe("4");
    expect(call("MEDIA_TOKENS", "google", "video", 0)).toBe("0");
  });

  it("is #N/A for an unknown provider or model and #VALUE! for a known one with no rule", () => {
    expect(call("MEDIA_TOKENS", "acme", "video", 1)).toMatch(/^NA: unknown model "acme"/);
    expect(call("MEDIA_TOKENS", "openai", "audio", 60)).toBe(
      "VALUE: provider_or_model: no published audio-token rule for openai (providers with one: google)",
    );
    expect(call("MEDIA_TOKENS", "anthropic/claude-sonnet-4-6", "video", 60)).toBe(
      "VALUE: provider_or_model: no published video-token rule for anthropic/claude-sonnet-4-6 (providers with one: google)",
    );
  });

  it("rejects bad input naming the argument", () => {
    expect(call("MEDIA_TOKENS", "google", "image", 1)).toBe('VALUE: kind: must be video or audio, got "image"');
    expect(call("MEDIA_TOKENS", "google", "video", -1)).toBe("VALUE: seconds: must be ≥ 0");
    expect(call("MEDIA_TOKENS", "google", "video", "ten")).toBe('VALUE: seconds: must be a number, got text "ten"');
    expect(call("MEDIA_TOKENS", 42, "video", 1)).toBe("VALUE: provider_or_model: must be text, got number");
  });

  it("grows with the seconds and never undercounts the rate (property)", () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e7, noNaN: true }), (s) => {
        const t = new Dec(call("MEDIA_TOKENS", "google", "video", s));
        const exact = new Dec(s).times(263);
        expect(t.isInteger()).toBe(true);
        expect(t.gte(exact) && t.minus(1).lt(exact)).toBe(true);
      }),
    );
  });
});

describe("MEDIA_TOKENS' integer path", () => {
  /** Seconds as a workbook holds them (0–3 decimals), and big, tiny, negative and non-numbers. */
  const SECONDS = fc.oneof(
    fc.tuple(fc.nat(100_000_000), fc.integer({ min: 0, max: 3 })).map(([n, p]) => n / 10 ** p),
    fc.double({ min: 0, max: 1e16, noNaN: true }),
    fc.constantFrom(0, -0, 0.1, 1e-7, 1e-20, 2 ** 53, 1e300, -1, Number.POSITIVE_INFINITY, "ten", true),
  );

  it("answers exactly what the decimal path answers, errors included (property)", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("google", "Google", "google/gemini-2.5-flash", "openai", "acme"),
        fc.constantFrom("video", "AUDIO", "image"),
        SECONDS,
        (who, kind, seconds) => {
          const args = [who, kind, seconds];
          const slow = held(() => {
            const [name, k, s] = parseArgs(FUNCTIONS.MEDIA_TOKENS, args) as [string, "video" | "audio", number];
            return mediaTokens(name, k, fromNumber(s));
          });
          expect(held(() => invoke(FUNCTIONS.MEDIA_TOKENS, args))).toBe(slow);
        },
      ),
      { numRuns: 3_000 },
    );
  });

  it("takes the bench's media", () => {
    expect(invoke(FUNCTIONS.MEDIA_TOKENS, ["google", "video", 30])).toBeInstanceOf(Fixed);
    expect(invoke(FUNCTIONS.MEDIA_TOKENS, ["google/gemini-2.5-flash", "audio", 95.5])).toBeInstanceOf(Fixed);
  });
});
