import { referenceCatalogue } from "../../../test/reference";
import { afterEach, describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  Dec,
  FUNCTIONS,
  Fixed,
  Nearest,
  type SheetFunction,
  TlError,
  decimalOf,
  invoke,
  nonNegative,
  parseArg,
  positive,
  toPlain,
  tokens,
} from "../src";
import {
  type CachePrices,
  type Ttl,
  breakevenReads,
  cachePrices,
  expectedWrites,
  nearestStorageCost,
  nearestWrites,
  parseTtl,
  prefixCost,
  prefixSavings,
  storageCost,
} from "../src/caching";
import {
  type CatalogueInput,
  type CompiledModel,
  activeCatalogue,
  compileCatalogue,
  findModel,
  setActiveCatalogue,
} from "../src/catalogue";
import { fixedOf, fromNumber } from "../src/decimal";
import { wideOf } from "../src/wide";
import { noResult, valueError } from "../src/errors";
import { call, dec, held } from "./call";

const SONNET = "anthropic/claude-sonnet-4-6";
const GEMINI_PRO = "google/gemini-2.5-pro";

/** The bundled catalogue plus test models with cache prices no provider has (yet). */
function withTestModels() {
  const data: CatalogueInput = structuredClone(referenceCatalogue().data);
  const model = (id: string, prices: Record<string, string>) => ({ id, provider: "test", name: id.slice(5), prices });
  data.models.push(
    model("test/read-only", { input: "1", output: "2", cache_read: "0.1" }),
    model("test/no-discount", { input: "1", output: "2", cache_read: "1", cache_write: "1.25" }),
    model("test/cheap-write", { input: "1", output: "2", cache_read: "0.1", cache_write: "0.5" }),
  );
  setActiveCatalogue(compileCatalogue(data));
}

afterEach(() => setActiveCatalogue(referenceCatalogue()));

describe("TTL words", () => {
  it("reads minutes, hours and days", () => {
    expect(parseTtl("5m", "ttl").toString()).toBe("5");
    expect(parseTtl("1h", "ttl").toString()).toBe("60");
    expect(parseTtl(" 24H ", "ttl").toString()).toBe("1440");
    expect(parseTtl("1.5 hours", "ttl").toString()).toBe("90");
    expect(parseTtl("2d", "ttl").toString()).toBe("2880");
    expect(parseTtl("90 min", "ttl").toString()).toBe("90");
  });
});

describe("CACHE_WRITES", () => {
  it("follows the Poisson model 1 + (requests − 1) × e^(−λ·ttl)", () => {
    // One request writes once; none write nothing; with no TTL every request writes.
    expect(call("CACHE_WRITES", 1, 60, 5)).toBe("1");
    expect(call("CACHE_WRITES", 0, 60, 5)).toBe("0");
    expect(call("CACHE_WRITES", 40, 60, 0)).toBe("40");
    // 2 requests in 10 minutes, TTL 5: λ·ttl = 0.2 × 5 = 1, so 1 + e^−1, e^−1 =
    // 0.36787944117144232159552377016146086…, the sum carried to 34 digits.
    expect(call("CACHE_WRITES", 2, 10, 5)).toBe("1.367879441171442321595523770161461");
  });

  it("replaces the seed's one-write-per-window guesses", () => {
    // Seed 002 "Caching cost example": 1,000 calls a day with a 5-minute cache, assumed 200
    // writes. Arriving at random: λ·ttl = 1,000 ÷ 1,440 × 5 = 3.4722…, e^−3.4722… = 0.0310…,
    // 1 + 999 × 0.0310… ≈ 32.0 writes (one write per 5-minute window would say 288).
    expect(dec("CACHE_WRITES", 1000, 1440, 5).toNumber()).toBeCloseTo(32.0169105, 6);
    // Its 1-hour variant assumed 20 writes; λ·ttl = 41.67 leaves e^−41.67 ≈ 8e−19 per gap.
    expect(dec("CACHE_WRITES", 1000, 1440, 60).minus(1).lt("1e-15")).toBe(true);
    // 100k messages a day keep a 5-minute cache warm all day: 99,999 × e^−347.2 is below the
    // 34th digit of 1.
    expect(call("CACHE_WRITES", 100_000, 1440, 5)).toBe("1");
  });

  it("rejects bad input with the contract's errors", () => {
    expect(call("CACHE_WRITES", -1, 60, 5)).toBe("VALUE: requests: must be ≥ 0");
    expect(call("CACHE_WRITES", 10, 0, 5)).toBe("VALUE: period_minutes: must be > 0");
    expect(call("CACHE_WRITES", 10, 60, -5)).toBe("VALUE: ttl_minutes: must be ≥ 0");
    expect(call("CACHE_WRITES", 10, 60, "5m")).toBe('VALUE: ttl_minutes: must be a number, got text "5m"');
    expect(call("CACHE_WRITES", 10, 60)).toBe("VALUE: ttl_minutes: is required");
  });

  it("lies between 1 and requests and falls as the TTL grows (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 1, max: 100_000 }),
        fc.nat(100_000),
        fc.nat(100_000),
        (requests, period, a, b) => {
          const writes = (ttl: number) => expectedWrites(new Dec(requests), new Dec(period), new Dec(ttl));
          const [shorter, longer] = [writes(Math.min(a, b)), writes(Math.max(a, b))];
          expect(shorter.gte(1) && shorter.lte(requests)).toBe(true);
          expect(longer.gte(1) && longer.lte(requests)).toBe(true);
          expect(longer.lte(shorter)).toBe(true);
        },
      ),
    );
  });
});

/**
 * A value of a fill series as Excel makes it, start + i × step with a round step: 1440 + 3 × 0.1
 * is 1440.3, 5 + 3 × 0.05 is 5.1499999999999995, 17 significant digits.
 */
const fillSeries = (start: fc.Arbitrary<number>) =>
  fc.tuple(start, fc.constantFrom(0.001, 0.01, 0.05, 0.1, 0.2, 0.3, 10, 100), fc.nat(99)).map(([from, step, i]) => from + i * step);

describe("CACHE_WRITES' double-double fast path", () => {
  /** CACHE_WRITES as declared before its fast path: decimal parameters, the decimal formula. */
  const DECIMAL_PARAMS = [tokens("requests"), positive("period_minutes"), nonNegative("ttl_minutes")];
  /** The decimal path's double, or its error's message. */
  const decimalWrites = (...args: unknown[]) => {
    try {
      const [requests, period, ttl] = DECIMAL_PARAMS.map((p, i) => parseArg(p, args[i]) as Dec);
      return expectedWrites(requests, period, ttl).toNumber();
    } catch (e) {
      if (e instanceof TlError) return e.message;
      throw e;
    }
  };
  /** What the worksheet answers: the double, or the message of the error it raises. */
  const sheetWrites = (args: unknown[]) => {
    try {
      return toPlain(invoke(FUNCTIONS.CACHE_WRITES, args));
    } catch (e) {
      if (e instanceof TlError) return e.message;
      throw e;
    }
  };
  /** A count as a worksheet holds it: n ÷ 10^places. */
  const decimals = (max: number) => fc.tuple(fc.nat(max), fc.integer({ min: 0, max: 3 })).map(([n, p]) => n / 10 ** p);
  const any = fc.oneof(
    { weight: 4, arbitrary: decimals(10_000_000) },
    { weight: 3, arbitrary: fillSeries(decimals(100_000)) },
    { weight: 4, arbitrary: decimals(2_000) },
    { weight: 2, arbitrary: fc.constantFrom(0, 1, 0.999, 1.001, 2, 1440, 43_200, 2 ** 53 - 1, 2 ** 53, 1e21, 1e-7, 1 / 3, 0.1 + 0.2) },
    { weight: 1, arbitrary: fc.double({ min: 1e-6, max: 1e12, noNaN: true }) },
  );
  const minutes = fc.oneof(
    { weight: 4, arbitrary: decimals(100_000) },
    { weight: 3, arbitrary: fillSeries(decimals(5_000)) },
    { weight: 2, arbitrary: fc.constantFrom(5, 60, 1440, 0, 1e-22, 1 / 7) },
    { weight: 1, arbitrary: fc.double({ min: 1e-4, max: 1e6, noNaN: true }) },
  );
  const invalid = fc.constantFrom<unknown>(-1, -0.001, Number.NaN, "5m", null, true);

  it("answers the decimal path's double, or falls back to it (property)", () => {
    let fast = 0;
    let decimalInputs = 0;
    let seventeenDigits = 0;
    fc.assert(
      fc.property(
        fc.oneof({ weight: 9, arbitrary: any }, { weight: 1, arbitrary: invalid }),
        fc.oneof({ weight: 9, arbitrary: minutes }, { weight: 1, arbitrary: invalid }),
        fc.oneof({ weight: 9, arbitrary: minutes }, { weight: 1, arbitrary: invalid }),
        (requests, period, ttl) => {
          const got = sheetWrites([requests, period, ttl]);
          // The same double, or the same message for a broken rule.
          expect(got).toBe(decimalWrites(requests, period, ttl));
          if (typeof requests !== "number" || typeof period !== "number" || typeof ttl !== "number" || typeof got === "string") return;
          const wide = wideOf(requests) && wideOf(period) && wideOf(ttl);
          if (wide) decimalInputs++;
          const near = nearestWrites(requests, period, ttl);
          if (near) {
            fast++;
            if (!fixedOf(requests) || !fixedOf(period) || !fixedOf(ttl)) seventeenDigits++;
            // … and, on demand, the decimal path's exact result.
            expect(decimalOf(near).eq(expectedWrites(fromNumber(requests), fromNumber(period), fromNumber(ttl)))).toBe(true);
          }
        },
      ),
      { numRuns: 4000 },
    );
    // The fast path, not the fallback, answered all but a few of the draws it takes (inputs with an
    // exact decimal of at most 22 places, 17-digit fill-series doubles among them; an exponent in
    // the text and errors fall back), many of them with a 17-digit input.
    expect(decimalInputs).toBeGreaterThan(2000);
    expect(fast).toBeGreaterThan(decimalInputs * 0.99);
    expect(seventeenDigits).toBeGreaterThan(600);
  });

  it("decides near the edges: 1 request, requests near 1, no TTL, an always-warm cache", () => {
    for (const [requests, period, ttl] of [
      [1, 60, 5],
      [1.001, 60, 5],
      [0.999, 60, 5],
      [40, 60, 0],
      [1_000_000, 1440, 5], // λ·ttl = 3,472: 1
      [9e15, 1, 1], // past 2^53 / 10^0: still a Fixed, far past the always-warm bound
      [2, 10, 5],
    ]) {
      expect(nearestWrites(requests, period, ttl)).toBeInstanceOf(Nearest);
      expect(toPlain(invoke(FUNCTIONS.CACHE_WRITES, [requests, period, ttl]))).toBe(decimalWrites(requests, period, ttl));
    }
    // No requests write nothing, exactly.
    expect(nearestWrites(0, 60, 5)).toEqual(new Fixed(0, 0));
    // A number written with an exponent has no Fixed form: the decimal path answers.
    expect(nearestWrites(1e21, 60, 5)).toBeUndefined();
    expect(invoke(FUNCTIONS.CACHE_WRITES, [1e21, 60, 5])).toBeInstanceOf(Dec);
  });

  it("answers 1 without an exp only where the decimal path's double is 1: around the always-warm bound (property)", () => {
    let warm = 0;
    let cold = 0;
    fc.assert(
      fc.property(
        fc.oneof(decimals(10_000_000), fillSeries(decimals(100_000))),
        fc.oneof(decimals(1_000), fillSeries(decimals(100))),
        fc.double({ min: 40, max: 70, noNaN: true }),
        (requests, ttl, bits) => {
          fc.pre(requests > 1.5 && ttl > 0);
          // A period that makes (requests − 1) × e^−x about 2^−bits, typed to 3 places: either side of
          // the bound (2^−60) and of where W stops rounding to 1 (2^−53).
          const x = Math.log(requests - 1) + bits * Math.LN2;
          const period = Math.round(((requests * ttl) / x) * 1000) / 1000;
          fc.pre(period > 0);
          expect(toPlain(invoke(FUNCTIONS.CACHE_WRITES, [requests, period, ttl]))).toBe(decimalWrites(requests, period, ttl));
          if (nearestWrites(requests, period, ttl)?.toNumber() === 1) warm++;
          else cold++;
        },
      ),
      { numRuns: 2000 },
    );
    expect(warm).toBeGreaterThan(500);
    expect(cold).toBeGreaterThan(200);
  });

  it("takes the fast path for the bench's examples", () => {
    expect(invoke(FUNCTIONS.CACHE_WRITES, [10_000, 1_440, 5])).toBeInstanceOf(Nearest);
    expect(invoke(FUNCTIONS.CACHE_WRITES, [500, 1_440, 60])).toBeInstanceOf(Nearest);
  });

  it("takes it for every cell of the bench's GRID and of fill series of period and TTL", () => {
    const series = (from: number, step: number) => Array.from({ length: 100 }, (_, i) => from + i * step);
    // The GRID's axes: requests 10,000 + i × 100 by period 1,440 + j × 10 (W just above 1, where
    // Ziv's test once halved its room), then period 1,440 + i × 0.1 by TTL 5 + j × 0.05.
    for (const [k, [requests, period, ttl]] of [
      ...series(10_000, 100).flatMap((r) => series(1440, 10).map((p) => [r, p, 5])),
      ...series(1440, 0.1).flatMap((p) => series(5, 0.05).map((t) => [10_000, p, t])),
    ].entries()) {
      const near = nearestWrites(requests, period, ttl);
      expect(near).toBeInstanceOf(Nearest);
      // The decimal path (an exp at 34 digits) on one cell in 10; the property above holds the rest.
      if (k % 10 === 0) {
        expect(near?.toNumber()).toBe(expectedWrites(fromNumber(requests), fromNumber(period), fromNumber(ttl)).toNumber());
      }
    }
  });
});

describe("CACHE_COST and CACHE_SAVINGS", () => {
  it("prices the seed's caching cost example (Sonnet 4.6, 50k prefix, 1,000 calls)", () => {
    // 5m, 200 writes: 200 × 3.75 × 50k / 1M = 37.50 + 800 × 0.30 × 50k / 1M = 12 → 49.50; 1h,
    // 20 writes: 20 × 6 × 0.05 = 6 + 980 × 0.30 × 0.05 = 14.70 → 20.70. Uncached: 1,000 × 50k
    // × 3 / 1M = 150, so savings 100.50 and 129.30 (seed 002: "~67%", "~86%"). These are right;
    // the write counts are the seed's assumptions (CACHE_WRITES gives about 32 and 1).
    expect(call("CACHE_COST", SONNET, 50_000, 1000, 200, "5m")).toBe("49.5");
    expect(call("CACHE_COST", SONNET, 50_000, 1000, 20, "1h")).toBe("20.7");
    expect(call("CACHE_SAVINGS", SONNET, 50_000, 1000, 200)).toBe("100.5");
    expect(call("CACHE_SAVINGS", SONNET, 50_000, 1000, 20, "1h")).toBe("129.3");
  });

  it("prices the seed's 50,000-token system prompt across 100k daily messages", () => {
    // 100k messages a day write a 5-minute cache once (CACHE_WRITES above): 50,000 × (3.75 +
    // 99,999 × 0.30) / 1M = 0.05 × 30,003.45 = 1,500.1725 for the prefix, against 15,000 uncached.
    expect(call("CACHE_COST", SONNET, 50_000, 100_000, 1)).toBe("1500.1725");
    expect(call("CACHE_SAVINGS", SONNET, 50_000, 100_000, 1)).toBe("13499.8275");
    // The rest of each message, 500 in and 300 out, is 0.006 (LLMCOST), 600 a day: the day costs
    // 2,100.17. The seed's $1,654 "with caching" drops the 300 output tokens ($450 a day) that
    // its no-caching baseline ($15,600) counts, which overstates the savings.
    expect(call("LLMCOST", SONNET, 500, 300)).toBe("0.006");
    // Gemini 2.5 Pro held 24 hours: storage is per 1M tokens per hour, 50,000 × 24 × 4.50 / 1M =
    // 5.40, not the seed's "$4.50/hr × 24 = $108". Prefix: 0.05 × (1.25 + 99,999 × 0.31 + 108).
    expect(call("CACHE_COST", GEMINI_PRO, 50_000, 100_000, 1, "24h", 24)).toBe("1555.447");
  });

  it("picks the write rate by TTL", () => {
    // Sonnet 4.6 writes 3.75 (5m) or 6 (1h) per 1M; up to 5 minutes the first, above it the second.
    expect(call("CACHE_COST", SONNET, 1_000_000, 1, 1, "5m")).toBe("3.75");
    expect(call("CACHE_COST", SONNET, 1_000_000, 1, 1, "3 min")).toBe("3.75");
    expect(call("CACHE_COST", SONNET, 1_000_000, 1, 1, "30m")).toBe("6");
    expect(call("CACHE_COST", SONNET, 1_000_000, 1, 1, "1h")).toBe("6");
    expect(call("CACHE_COST", SONNET, 1_000_000, 1, 1, "24h")).toBe("6");
    // GPT-4o has one write price (= input) for every TTL; Anthropic bills no storage.
    expect(call("CACHE_COST", "openai/gpt-4o", 1_000_000, 1, 1, "1h")).toBe("2.5");
    expect(call("CACHE_COST", SONNET, 1_000_000, 1, 1, "1h", 100)).toBe("6");
  });

  it("uses the long-context tier the prefix reaches", () => {
    // A 250k prefix on Gemini 2.5 Pro is past 200k: write 2.50, read 0.625: 0.25 × 3.125.
    expect(call("CACHE_COST", GEMINI_PRO, 250_000, 2, 1)).toBe("0.78125");
  });

  it("rejects bad input with the contract's errors", () => {
    expect(call("CACHE_COST", "mistral/mistral-large-2", 50_000, 10, 1)).toBe(
      "VALUE: model: mistral/mistral-large-2 has no cache_read price",
    );
    expect(call("CACHE_COST", SONNET, 50_000, 10, 11)).toBe("VALUE: cache_writes: must not exceed requests");
    expect(call("CACHE_SAVINGS", SONNET, 50_000, 10, 11)).toBe("VALUE: cache_writes: must not exceed requests");
    expect(call("CACHE_COST", SONNET, 50_000, 10, 1, "5 fortnights")).toBe(
      'VALUE: ttl: must be a duration such as 5m, 1h or 24h, got "5 fortnights"',
    );
    expect(call("CACHE_COST", SONNET, 50_000, 10, 1, "0m")).toBe("VALUE: ttl: must be longer than 0");
    expect(call("CACHE_COST", SONNET, 50_000, 10, 1, 5)).toBe("VALUE: ttl: must be text, got number");
    expect(call("CACHE_COST", SONNET, -1, 10, 1)).toBe("VALUE: prefix_tokens: must be ≥ 0");
    expect(call("CACHE_COST", SONNET, 50_000, -10, 0)).toBe("VALUE: requests: must be ≥ 0");
    expect(call("CACHE_COST", SONNET, 50_000, 10, -1)).toBe("VALUE: cache_writes: must be ≥ 0");
    expect(call("CACHE_COST", SONNET, 50_000, 10)).toBe("VALUE: cache_writes: is required");
    expect(call("CACHE_SAVINGS", SONNET, 50_000, 10, 1, "5m", -1)).toBe("VALUE: hours_stored: must be ≥ 0");
    expect(call("CACHE_SAVINGS", "claude-sonet", 50_000, 10, 1)).toMatch(/^NA: unknown model "claude-sonet"/);
    withTestModels();
    expect(call("CACHE_COST", "test/read-only", 50_000, 10, 1)).toBe("VALUE: model: test/read-only has no cache_write price");
  });

  it("savings are the uncached prefix minus CACHE_COST, exactly (property)", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(SONNET, GEMINI_PRO, "openai/gpt-4o", "deepseek/deepseek-v3"),
        fc.nat(500_000),
        fc.nat(1_000_000),
        fc.nat(1_000_000),
        fc.constantFrom("5m", "1h", "24h"),
        fc.nat(48),
        (model, prefix, a, b, ttl, hours) => {
          const [writes, requests] = a <= b ? [a, b] : [b, a];
          const cost = dec("CACHE_COST", model, prefix, requests, writes, ttl, hours);
          const savings = dec("CACHE_SAVINGS", model, prefix, requests, writes, ttl, hours);
          const input = dec("PRICE", model, "input", prefix);
          expect(savings.plus(cost).eq(input.times(prefix).times(requests).div(1_000_000))).toBe(true);
        },
      ),
    );
  });
});

describe("CACHE_COST's and CACHE_SAVINGS' integer hot paths", () => {
  it("answer exactly what the decimal paths answer (property)", () => {
    withTestModels();
    const catalogue = activeCatalogue();
    // A count as a worksheet holds it: n ÷ 10^places (20000, 1234.5).
    const count = (max: number) => fc.tuple(fc.nat(max), fc.integer({ min: 0, max: 3 })).map(([n, p]) => n / 10 ** p);
    fc.assert(
      fc.property(
        fc.constantFrom(...catalogue.models.map((m) => m.id)),
        count(2_000_000),
        count(100_000_000),
        count(100_000_000),
        fc.constantFrom("5m", "1h", "24h"),
        fc.constantFrom(0, 0, 24, 1.5),
        (id, prefix, requests, writes, ttl, hours) => {
          const outcome = (f: () => Dec | Fixed) => {
            try {
              return decimalOf(f()).toString();
            } catch (e) {
              return (e as TlError).message;
            }
          };
          const fast = outcome(() => invoke(FUNCTIONS.CACHE_COST, [id, prefix, requests, writes, ttl, hours]) as Dec | Fixed);
          const slow = outcome(() => {
            if (writes > requests) throw valueError("cache_writes", "must not exceed requests");
            const prices = cachePrices(findModel(catalogue, id), parseTtl(ttl, "ttl"), fromNumber(prefix));
            return prefixCost(prices, fromNumber(prefix), fromNumber(requests), fromNumber(writes), fromNumber(hours));
          });
          expect(fast).toBe(slow);
          const fastSavings = outcome(() => invoke(FUNCTIONS.CACHE_SAVINGS, [id, prefix, requests, writes, ttl, hours]) as Dec | Fixed);
          const [p, q, w, h] = [prefix, requests, writes, hours].map(fromNumber);
          expect(fastSavings).toBe(outcome(() => prefixSavings(findModel(catalogue, id), p, q, w, parseTtl(ttl, "ttl"), h)));
        },
      ),
      { numRuns: 3000 },
    );
    // … and the hot paths are the ones that answer the common case.
    expect(invoke(FUNCTIONS.CACHE_COST, [SONNET, 20_000, 10_000, 120, "1h"])).toBeInstanceOf(Fixed);
    expect(invoke(FUNCTIONS.CACHE_SAVINGS, [SONNET, 20_000, 10_000, 120, "1h"])).toBeInstanceOf(Fixed);
    // Storage billed by the hour too (the bench's Gemini Flash example).
    setActiveCatalogue(referenceCatalogue());
    expect(invoke(FUNCTIONS.CACHE_COST, ["google/gemini-2.5-flash", 40_000, 5_000, 24, "1h", 24])).toBeInstanceOf(Fixed);
    expect(invoke(FUNCTIONS.CACHE_SAVINGS, ["google/gemini-2.5-flash", 40_000, 5_000, 24, "1h", 24])).toBeInstanceOf(Fixed);
  });
});

describe("CACHE_COST's and CACHE_SAVINGS' exact Wide paths (fill-series counts)", () => {
  /** The double Excel gets and, where the answer is not a proven double, its exact decimal; or the error's message. */
  const outcome = (fn: SheetFunction, args: unknown[], exact: boolean) => {
    try {
      const r = invoke(fn, args) as Dec | Fixed | Nearest;
      return { plain: toPlain(r), exact: exact ? decimalOf(r).toString() : undefined };
    } catch (e) {
      return { error: (e as TlError).message };
    }
  };
  /** The functions as they were: the same parameters, the decimal paths alone. */
  const slowCost: SheetFunction = {
    ...FUNCTIONS.CACHE_COST,
    run: (model: CompiledModel, prefix: number, requests: number, writes: number, ttl: Ttl, hours: number) => {
      if (writes > requests) throw valueError("cache_writes", "must not exceed requests");
      const [p, q, w, h] = [prefix, requests, writes, hours].map(fromNumber);
      return prefixCost(cachePrices(model, ttl.minutes, p), p, q, w, h);
    },
  };
  const slowSavings: SheetFunction = {
    ...FUNCTIONS.CACHE_SAVINGS,
    run: (model: CompiledModel, prefix: number, requests: number, writes: number, ttl: Ttl, hours: number) =>
      prefixSavings(model, fromNumber(prefix), fromNumber(requests), fromNumber(writes), ttl.minutes, fromNumber(hours)),
  };
  const decimals = (max: number) => fc.tuple(fc.nat(max), fc.integer({ min: 0, max: 3 })).map(([n, p]) => n / 10 ** p);
  /** Counts typed (0–3 places), along fill series (30 + 82 × 0.2 = 46.400000000000006), big and hostile. */
  const count = (max: number) =>
    fc.oneof(
      { weight: 3, arbitrary: decimals(max) },
      { weight: 4, arbitrary: fillSeries(decimals(max)) },
      { weight: 1, arbitrary: fc.constantFrom(0, 1, 2 ** 53, 2 ** 53 + 2, 1e20, 1e-9, 0.1 + 0.2, -1) },
    );

  it("answer the decimal paths' doubles and exact decimals, or fall back to them (property)", () => {
    withTestModels();
    const ids = activeCatalogue()
      .models.map((m) => m.id)
      .filter((id) => /^(anthropic|google|test)\//.test(id));
    let proven = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...ids),
        count(200_000),
        count(100_000),
        count(100_000),
        fc.constantFrom("5m", "1h", "24h"),
        fc.oneof(fc.constant(0), count(100)),
        fc.boolean(),
        (id, prefix, requests, few, ttl, hours, fewer) => {
          // Writes mostly at most requests (the case that answers), now and then more (the error).
          const writes = fewer ? Math.min(few, requests) : few;
          const args = [id, prefix, requests, writes, ttl, hours];
          for (const [fast, slow] of [
            [FUNCTIONS.CACHE_COST, slowCost],
            [FUNCTIONS.CACHE_SAVINGS, slowSavings],
          ]) {
            let answer: unknown;
            try {
              answer = invoke(fast, args);
            } catch {}
            // A proven double is held to the decimal path's double; a Fixed to its exact decimal too.
            const exact = !(answer instanceof Nearest);
            expect(outcome(fast, args, exact)).toEqual(outcome(slow, args, exact));
            if (answer instanceof Nearest) proven++;
          }
        },
      ),
      { numRuns: 3000 },
    );
    // The Wide paths answered a good share of the draws with a proven double.
    expect(proven).toBeGreaterThan(500);
  });

  it("take the bench's GRID cells: writes and hours along fill series", () => {
    // 30 + 82 × 0.2 writes and 24 + 82 × 0.2 hours: 15 places, past the integer paths' scales.
    const writes = 30 + 82 * 0.2;
    const hours = 24 + 82 * 0.2;
    expect([String(writes), String(hours)]).toEqual(["46.400000000000006", "40.400000000000006"]);
    for (const f of [FUNCTIONS.CACHE_COST, FUNCTIONS.CACHE_SAVINGS]) {
      expect(invoke(f, [SONNET, 50_000, 2_000, writes, "1h", null])).toBeInstanceOf(Nearest);
      expect(invoke(f, ["google/gemini-2.5-flash", 40_000, 5_000, 24, "1h", hours])).toBeInstanceOf(Nearest);
    }
    // Sonnet 4.6, 1-hour writes at $6/MTok, reads at $0.30: 46.400000000000006 × 6 = 278.400000000000036,
    // (2,000 − 46.400000000000006) × 0.3 = 586.0799999999999982, sum 864.4800000000000342, × 50,000 ÷ 10^6.
    expect(toPlain(invoke(FUNCTIONS.CACHE_COST, [SONNET, 50_000, 2_000, writes, "1h", null]))).toBe(
      new Dec("43.22400000000000171").toNumber(),
    );
  });
});

describe("CACHE_BREAKEVEN_READS", () => {
  it("answers the fewest reads per write that make caching pay", () => {
    // Sonnet 4.6, 5m: 3.75 + n × 0.30 < 3 (1 + n) ⇔ n > 0.75 ÷ 2.7 = 0.28 → 1. 1h: write 6,
    // n > 3 ÷ 2.7 = 1.11 → 2 (n = 1: 6.30 is not below 6).
    expect(call("CACHE_BREAKEVEN_READS", SONNET)).toBe("1");
    expect(call("CACHE_BREAKEVEN_READS", SONNET, "1h")).toBe("2");
    // GPT-4o writes at the input price: n = 0 ties (2.5 is not below 2.5), so 1.
    expect(call("CACHE_BREAKEVEN_READS", "openai/gpt-4o")).toBe("1");
    expect(call("CACHE_BREAKEVEN_READS", "deepseek/deepseek-v3", "24h")).toBe("1");
  });

  it("counts Google's storage for one TTL", () => {
    // Gemini 2.5 Pro: write = input = 1.25, read 0.31, storage 4.50 per 1M per hour. 1h: n × 0.94
    // > 4.50 → n > 4.79 → 5; 24h: n × 0.94 > 108 → n > 114.9 → 115; 5m: 0.375 ÷ 0.94 → 1.
    // (The seed's "only cache if you expect ≥20 reads per cache write" fits neither TTL.)
    expect(call("CACHE_BREAKEVEN_READS", GEMINI_PRO, "1h")).toBe("5");
    expect(call("CACHE_BREAKEVEN_READS", GEMINI_PRO, "24h")).toBe("115");
    expect(call("CACHE_BREAKEVEN_READS", GEMINI_PRO, "5m")).toBe("1");
    // Gemini 2.5 Flash, 1h: n × (0.075 − 0.019) > 1.00 → n > 17.86 → 18.
    expect(call("CACHE_BREAKEVEN_READS", "google/gemini-2.5-flash", "1h")).toBe("18");
  });

  it("answers 0 when the write alone is cheaper and #NUM! when caching never pays", () => {
    withTestModels();
    // Write 0.5 < input 1: the first request already saves.
    expect(call("CACHE_BREAKEVEN_READS", "test/cheap-write")).toBe("0");
    expect(call("CACHE_BREAKEVEN_READS", "test/no-discount")).toBe(
      "NUM: model: caching never pays for test/no-discount: a cache read costs no less than uncached input",
    );
  });

  it("rejects bad input with the contract's errors", () => {
    expect(call("CACHE_BREAKEVEN_READS", "mistral/codestral")).toBe("VALUE: model: mistral/codestral has no cache_read price");
    expect(call("CACHE_BREAKEVEN_READS", SONNET, "soon")).toBe('VALUE: ttl: must be a duration such as 5m, 1h or 24h, got "soon"');
    expect(call("CACHE_BREAKEVEN_READS")).toBe("VALUE: model: is required");
  });

  it("answers from the integer tables exactly what the decimal path answers (property)", () => {
    // Models with random cache prices (0–4 places, some missing, some free) beside the catalogue's.
    const price = fc.oneof(fc.constant(undefined), fc.constant("0"), {
      weight: 8,
      arbitrary: fc.tuple(fc.nat(20_000), fc.integer({ min: 0, max: 4 })).map(([n, p]) => String(n / 10 ** p)),
    });
    const data: CatalogueInput = structuredClone(referenceCatalogue().data);
    const drawn = fc.sample(fc.tuple(price, price, price, price, price), { numRuns: 300, seed: 19 });
    drawn.forEach(([input, cacheRead, write, write1h, storage], i) => {
      const prices = {
        input,
        output: "1",
        cache_read: cacheRead,
        cache_write: write,
        cache_write_1h: write1h,
        cache_storage_hour: storage,
      };
      const defined = Object.fromEntries(Object.entries(prices).filter(([, v]) => v !== undefined)) as Record<string, string>;
      data.models.push({ id: `test/m${i}`, provider: "test", name: `m${i}`, prices: defined });
    });
    setActiveCatalogue(compileCatalogue(data));
    const catalogue = activeCatalogue();
    const outcome = (f: () => unknown) => {
      try {
        return decimalOf(f() as Dec).toString();
      } catch (e) {
        return (e as TlError).message;
      }
    };
    let fast = 0;
    let answered = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...catalogue.models.map((m) => m.id)),
        fc.constantFrom(null, "5m", "1h", "24h", "3 min", "90 min", "1.5h", "0.1m", "2d", "0.0000000000000000000000001m"),
        (id, ttl) => {
          let answer: unknown;
          const got = outcome(() => {
            answer = invoke(FUNCTIONS.CACHE_BREAKEVEN_READS, [id, ttl]);
            return answer;
          });
          const want = outcome(() => {
            const model = findModel(catalogue, id);
            const minutes = parseTtl(ttl ?? "5m", "ttl");
            const n = breakevenReads(cachePrices(model, minutes), minutes);
            if (!n) throw noResult(`model: caching never pays for ${id}: a cache read costs no less than uncached input`);
            return n;
          });
          expect(got).toBe(want);
          if (answer instanceof Fixed) fast++;
          if (answer) answered++;
        },
      ),
      { numRuns: 3000 },
    );
    // Errors fall back by design, as do TTLs with 23 places or more and storage prices with
    // more places than the model's other prices: the integer path answered most of the rest.
    expect(answered).toBeGreaterThan(800);
    expect(fast).toBeGreaterThan(answered * 0.6);
    // The bench's examples take the integer path, storage (Gemini Flash) included.
    setActiveCatalogue(referenceCatalogue());
    expect(invoke(FUNCTIONS.CACHE_BREAKEVEN_READS, [SONNET, null])).toBeInstanceOf(Fixed);
    expect(invoke(FUNCTIONS.CACHE_BREAKEVEN_READS, [SONNET, "1h"])).toBeInstanceOf(Fixed);
    expect(invoke(FUNCTIONS.CACHE_BREAKEVEN_READS, ["google/gemini-2.5-flash", "1h"])).toBeInstanceOf(Fixed);
  });

  /** Prices in cents per 1M, as per-token decimals, with read below input. */
  const prices = fc
    .tuple(fc.integer({ min: 1, max: 5000 }), fc.nat(5000), fc.nat(10_000), fc.nat(1000))
    .map(([input, readBelow, write, storage]): CachePrices => {
      const perToken = (cents: number) => new Dec(cents).div(100_000_000);
      return {
        input: perToken(input),
        read: perToken(Math.min(readBelow, input - 1)),
        write: perToken(write),
        storageHour: perToken(storage),
      };
    });
  const ttlMinutes = fc.integer({ min: 1, max: 2880 }).map((m) => new Dec(m));

  /** Whether n reads per write cost less than no cache (both sides × 60, exact). */
  const pays = (p: CachePrices, ttl: Dec, n: Dec) =>
    p.write.plus(n.times(p.read)).times(60).plus(p.storageHour.times(ttl)).lt(n.plus(1).times(p.input).times(60));

  it("is the smallest n that pays, and more reads keep paying (property)", () => {
    fc.assert(
      fc.property(prices, ttlMinutes, fc.nat(1000), (p, ttl, extra) => {
        const n = breakevenReads(p, ttl)!;
        expect(pays(p, ttl, n)).toBe(true);
        expect(pays(p, ttl, n.plus(extra))).toBe(true);
        if (n.gt(0)) expect(pays(p, ttl, n.minus(1))).toBe(false);
      }),
    );
  });

  it("never rises when reads get cheaper or the TTL shorter (property)", () => {
    fc.assert(
      fc.property(prices, ttlMinutes, ttlMinutes, (p, a, b) => {
        const cheaperRead = { ...p, read: p.read.div(2) };
        expect(breakevenReads(cheaperRead, a)!.lte(breakevenReads(p, a)!)).toBe(true);
        const [shorter, longer] = a.lte(b) ? [a, b] : [b, a];
        expect(breakevenReads(p, shorter)!.lte(breakevenReads(p, longer)!)).toBe(true);
      }),
    );
  });
});

describe("CACHE_STORAGE", () => {
  it("bills tokens × hours × the storage price, 0 where storage is not billed", () => {
    // Seed 002: "A 200k-token Gemini Pro cache held for 24 hours costs $21.60 (0.2 × 24 × 4.5)".
    expect(call("CACHE_STORAGE", GEMINI_PRO, 200_000, 24)).toBe("21.6");
    expect(call("CACHE_STORAGE", GEMINI_PRO, 50_000, 24)).toBe("5.4");
    expect(call("CACHE_STORAGE", "google/gemini-2.5-flash", 1_000_000, 1.5)).toBe("1.5");
    expect(call("CACHE_STORAGE", SONNET, 200_000, 24)).toBe("0");
    expect(call("CACHE_STORAGE", "mistral/mistral-large-2", 200_000, 24)).toBe("0");
  });

  it("rejects bad input with the contract's errors", () => {
    expect(call("CACHE_STORAGE", GEMINI_PRO, -1, 24)).toBe("VALUE: tokens: must be ≥ 0");
    expect(call("CACHE_STORAGE", GEMINI_PRO, 1000, -24)).toBe("VALUE: hours: must be ≥ 0");
    expect(call("CACHE_STORAGE", GEMINI_PRO, 1000)).toBe("VALUE: hours: is required");
    expect(call("CACHE_STORAGE", "gemini-9", 1000, 1)).toMatch(/^NA: unknown model "gemini-9"/);
  });
});

describe("CACHE_STORAGE's exact fast path", () => {
  /** CACHE_STORAGE as declared before its fast path: decimal parameters. */
  const DECIMAL_PARAMS = [tokens("tokens"), nonNegative("hours")];
  /** The reference catalogue plus storage prices finer than a double holds or past one. */
  function withStorageModels() {
    const data: CatalogueInput = structuredClone(referenceCatalogue().data);
    const model = (id: string, storage: string) => ({
      id,
      provider: "test",
      name: id.slice(5),
      prices: { input: "1", output: "2", cache_storage_hour: storage },
    });
    data.models.push(
      model("test/fine-storage", "0.123456789"),
      model("test/tiny-storage", "0.0000001"),
      // 17 significant digits: no double reads as it, so no exact Wide; the decimal path prices it.
      model("test/long-storage", "1.0000000000000001"),
    );
    setActiveCatalogue(compileCatalogue(data));
  }
  const decimals = (max: number) => fc.tuple(fc.nat(max), fc.integer({ min: 0, max: 3 })).map(([n, p]) => n / 10 ** p);
  const amount = (max: number) =>
    fc.oneof(
      { weight: 4, arbitrary: decimals(max) },
      { weight: 4, arbitrary: fillSeries(decimals(max)) },
      { weight: 1, arbitrary: fc.constantFrom<unknown>(0, 2 ** 53 - 1, 2 ** 53, 1e21, 1e-7, 0.1 + 0.2, 1 / 3, 200_000, 200_001) },
      { weight: 1, arbitrary: fc.double({ min: 0, max: 1e15, noNaN: true }) },
      { weight: 1, arbitrary: fc.constantFrom<unknown>(-1, -0.001, Number.NaN, "24", null, true) },
    );

  it("answers the decimal path's double and exact decimal, or falls back to it (property)", () => {
    withStorageModels();
    const catalogue = activeCatalogue();
    let fast = 0;
    let seventeenDigits = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(GEMINI_PRO, "google/gemini-2.5-flash", SONNET, "test/fine-storage", "test/tiny-storage", "test/long-storage"),
        amount(2_000_000),
        amount(10_000),
        (id, tokenCount, hours) => {
          const model = findModel(catalogue, id);
          const got = held(() => invoke(FUNCTIONS.CACHE_STORAGE, [id, tokenCount, hours]));
          const decimal = () => {
            const [t, h] = DECIMAL_PARAMS.map((p, i) => parseArg(p, [tokenCount, hours][i]) as Dec);
            return storageCost(model, t, h);
          };
          // The same double and decimal, or the same message for a broken rule.
          expect(got).toBe(held(decimal));
          if (typeof tokenCount !== "number" || typeof hours !== "number" || !(tokenCount >= 0) || !(hours >= 0)) return;
          const near = nearestStorageCost(model, tokenCount, hours);
          if (!near) return;
          fast++;
          if (near instanceof Nearest || !fixedOf(tokenCount) || !fixedOf(hours)) seventeenDigits++;
          expect(decimalOf(near).eq(decimal())).toBe(true);
        },
      ),
      { numRuns: 3000 },
    );
    // The fast path answered most draws, hundreds of them from 17-digit inputs or past 2^53.
    expect(fast).toBeGreaterThan(1400);
    expect(seventeenDigits).toBeGreaterThan(400);
    expect(nearestStorageCost(findModel(catalogue, "test/long-storage"), 1000, 1)).toBeUndefined();
  });

  it("takes the fast path for the bench's examples and the cells of its GRID", () => {
    expect(invoke(FUNCTIONS.CACHE_STORAGE, ["google/gemini-2.5-flash", 40_000, 24])).toBeInstanceOf(Fixed);
    expect(invoke(FUNCTIONS.CACHE_STORAGE, [SONNET, 20_000, 1])).toBeInstanceOf(Fixed);
    // 40,000 tokens for 40.400000000000006 hours (24 + 82 × 0.2) at $1 per 1M per hour: 0.04 ×
    // 40.400000000000006 = 1.61600000000000024 exactly, 18 digits: no Fixed, its nearest double.
    const cell = invoke(FUNCTIONS.CACHE_STORAGE, ["google/gemini-2.5-flash", 40_000, 24 + 82 * 0.2]);
    expect(cell).toBeInstanceOf(Nearest);
    expect(toPlain(cell)).toBe(new Dec("1.61600000000000024").toNumber());
    expect(decimalOf(cell as Nearest).toString()).toBe("1.61600000000000024");
  });
});
