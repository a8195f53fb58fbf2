import { readFileSync } from "node:fs";
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { referenceCatalogue } from "../../../test/reference";
import { Dec, type Exact, FUNCTIONS, setDateSystem, Nearest, type TlError, decimalOf, invoke, toPlain } from "../src";
import {
  type Catalogue,
  applyOverlay,
  parseOverlay,
  FeedError,
  ECB_URLS,
  type Fx,
  compileCatalogue,
  deserialise,
  importEcb,
  importFeed,
  propose,
  referenceSummary,
  refreshRates,
  serialise,
  usdRate,
  fxRate,
  setActiveCatalogue,
  withReference,
} from "../src/catalogue";
import { call } from "./call";

/**
 * Exchange rates: the ECB files (fixtures in the ECB's own format, with the Easter 2026 TARGET
 * holidays and a weekend missing as they are in the real files), FX's rate in force on a date,
 * planning rates first, and rates surviving a pin and a price refresh.
 */

const fixture = (name: string) => readFileSync(new URL(`./fixtures/ecb/${name}`, import.meta.url), "utf8");
const NINETY = fixture("eurofxref-hist-90d.xml");
const DAILY = fixture("eurofxref-daily.xml");
const HISTORY = fixture("eurofxref-hist.xml");

/** The reference fixture with these rates: built here, so the fixture file stays prices only. */
function withRates(fx: Fx): Catalogue {
  return { ...referenceCatalogue().data, fx };
}

function use(catalogue: Catalogue): void {
  setActiveCatalogue(compileCatalogue(catalogue));
}

const ninety = () => withReference(referenceCatalogue().data, importEcb(NINETY).days);

afterEach(() => setActiveCatalogue(referenceCatalogue()));

describe("the ECB importer", () => {
  it("reads the 90-day file, newest first in the file, into days oldest first", () => {
    const { days, rejected } = importEcb(NINETY);
    expect(rejected).toEqual([]);
    expect(days.map((d) => d.date)).toEqual(["2026-04-01", "2026-04-02", "2026-04-07"]);
    expect(days[1].per_eur).toEqual({ CHF: "0.96", GBP: "0.84", JPY: "150", USD: "1.2" });
  });

  it("reads the daily file and the full history (double-quoted attributes too)", () => {
    expect(importEcb(DAILY).days).toEqual([{ date: "2026-04-08", per_eur: { GBP: "0.8", JPY: "163.84", USD: "1.28" } }]);
    expect(importEcb(HISTORY).days.map((d) => d.date)).toEqual(["1999-01-04", "1999-01-05", "2026-04-01"]);
  });

  it("lists bad rows and days and keeps the rest", () => {
    const xml = `<gesmes:Envelope><Cube>
      <Cube time='2026-04-02'><Cube currency='USD' rate='1.2'/><Cube currency='JPY' rate='abc'/><Cube currency='gbp' rate='0.8'/><Cube currency='CHF' rate='0'/></Cube>
      <Cube time='2026-02-30'><Cube currency='USD' rate='1.2'/></Cube>
      <Cube time='2026-04-01'><Cube currency='GBP' rate='0.83'/></Cube>
      <Cube time='2026-04-02'><Cube currency='USD' rate='9'/></Cube>
      <!-- a comment with <Cube time='2000-01-01'> inside -->
    </Cube></gesmes:Envelope>`;
    const { days, rejected } = importEcb(xml);
    expect(days).toEqual([{ date: "2026-04-02", per_eur: { USD: "1.2" } }]);
    expect(rejected.map((r) => `${r.entry}: ${r.reason}`)).toEqual([
      '2026-04-02 "JPY": rate "abc": a non-negative decimal written as text',
      '2026-04-02 "gbp": rate "0.8": not an ISO 4217 code',
      '2026-04-02 "CHF": rate "0": a rate above 0',
      'Cube time="2026-02-30": not a date written YYYY-MM-DD',
      "2026-04-02: published twice in the file; the first is kept",
      "2026-04-01: no USD rate, so no rate per USD follows",
    ]);
  });

  it.each([
    ["a JSON price feed", '{"gpt-4o": {}}', /not ECB reference rates/],
    ["an HTML page", "<html><body>Too many requests</body></html>", /not ECB reference rates/],
    ["a file cut inside a tag", `<Cube><Cube time='2026-04-01'><Cube currency='USD' rate='1.1'`, /ends inside a tag/],
    ["an unclosed comment", "<Cube><!-- and then nothing", /ends inside a comment/],
    ["a huge tag", `<Cube time='${"9".repeat(5000)}'>`, /longer than 1000 characters/],
    ["an unquoted attribute", "<Cube time=2026-04-01>", /not in quotes/],
    ["no usable day", "<Cube><Cube time='2026-04-01'><Cube currency='GBP' rate='0.8'/></Cube></Cube>", /no usable day/],
  ])("refuses %s with one sentence", (_, text, message) => {
    expect(() => importEcb(text)).toThrow(FeedError);
    expect(() => importEcb(text)).toThrow(message);
  });

  it("never throws anything but a FeedError, on any text", () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom("<", ">", "Cube", " time='2026-04-01'", " currency='USD'", " rate='1.1'", "/", "'", "x", "!--", "-->"),
        }),
        (text) => {
          try {
            importEcb(text);
          } catch (e) {
            expect(e).toBeInstanceOf(FeedError);
          }
        },
      ),
    );
  });

  it("knows the ECB's three addresses", () => {
    expect(Object.values(ECB_URLS).every((u) => u.startsWith("https://www.ecb.europa.eu/stats/eurofxref/"))).toBe(true);
  });
});

describe("FX", () => {
  it("answers X per EUR ÷ USD per EUR of the latest publication on or before the date", () => {
    use(ninety());
    // 2026-04-02: 1 ÷ 1.2 to 34 digits (EUR per USD is 1 ÷ USD per EUR).
    expect(call("FX", "EUR", "2026-04-02")).toBe("0.8333333333333333333333333333333333");
    // 0.84 ÷ 1.2.
    expect(call("FX", "GBP", "2026-04-02")).toBe("0.7");
    // 160 ÷ 1.25 on 2026-04-07.
    expect(call("FX", "JPY", "2026-04-07")).toBe("128");
    // 140 ÷ 1.1, carried to 34 digits.
    expect(call("FX", "JPY", "2026-04-01")).toBe("127.2727272727272727272727272727273");
    // USD is 1 per USD.
    expect(call("FX", "USD", "2026-04-01")).toBe("1");
    // Lower case is the same code.
    expect(call("FX", "gbp", "2026-04-02")).toBe("0.7");
  });

  it("takes Thursday's rates over Good Friday, the Easter weekend and Easter Monday", () => {
    use(ninety());
    // No publication 2026-04-03 (Good Friday) to 04-06 (Easter Monday): 2026-04-02's 0.84 ÷ 1.2 holds.
    for (const date of ["2026-04-03", "2026-04-04", "2026-04-05", "2026-04-06"]) expect(call("FX", "GBP", date)).toBe("0.7");
    // An Excel date serial: 46117 is 2026-04-05.
    expect(call("FX", "GBP", 46117)).toBe("0.7");
    // After the last publication, the last applies: 0.85 ÷ 1.25.
    expect(call("FX", "GBP", "2030-01-01")).toBe("0.68");
  });

  it("is #N/A before the earliest publication, and for a currency the ECB does not publish", () => {
    use(ninety());
    expect(call("FX", "EUR", "2026-03-31")).toBe("NA: as_of: no reference rate before 2026-04-01, the earliest the catalogue holds");
    expect(call("FX", "XAU", "2026-04-02")).toBe("NA: currency: no rate for XAU; the catalogue knows CHF, EUR, GBP, JPY, USD");
    // CHF is known but 2026-04-07's publication (in force on the 8th) has none.
    expect(call("FX", "CHF", "2026-04-08")).toMatch(/^NA: currency: the ECB publication of 2026-04-07 .* has no CHF rate$/);
    // 0.96 ÷ 1.2 on a date whose publication lists it.
    expect(call("FX", "CHF", "2026-04-02")).toBe("0.8");
  });

  it("is #N/A saying so when the catalogue holds no rates", () => {
    expect(call("FX", "EUR")).toBe("NA: currency: no rate for EUR; the catalogue holds no exchange rates (refresh them from the ECB)");
    expect(call("FX", "USD")).toBe("1");
  });

  it("rejects what is not an ISO 4217 code, naming the argument", () => {
    use(ninety());
    for (const bad of ["EURO", "€", "E1R", ""])
      expect(call("FX", bad === "" ? " " : bad)).toMatch(/^VALUE: currency: must be an ISO 4217 code/);
    expect(call("FX", 978)).toBe("VALUE: currency: must be text, got number");
    expect(call("FX", "EUR", "yesterday")).toBe("VALUE: as_of: must be a date (an Excel date or text YYYY-MM-DD)");
  });

  it("prefers the organisation's planning rate, for every date", () => {
    const ecb = ninety().fx!;
    use(withRates({ ...ecb, planning: { name: "Acme FY2027 budget rates", per_usd: { EUR: "0.9", SEK: "10.5" } } }));
    // The budget rate, even where the ECB has one (1 ÷ 1.2 on 2026-04-02) and before its first day.
    expect(call("FX", "EUR", "2026-04-02")).toBe("0.9");
    expect(call("FX", "EUR", "1990-01-01")).toBe("0.9");
    // A currency only the plan has.
    expect(call("FX", "SEK")).toBe("10.5");
    // Others keep the ECB's: 0.84 ÷ 1.2.
    expect(call("FX", "GBP", "2026-04-02")).toBe("0.7");
    expect(call("FX", "XAU")).toMatch(/knows CHF, EUR, GBP, JPY, SEK, USD$/);
  });

  it("takes planning rates from an organisation's overlay, over the catalogue's own", () => {
    const catalogue = withRates({ ...ninety().fx!, planning: { name: "Catalogue budget", per_usd: { EUR: "0.95" } } });
    const overlay = parseOverlay({ format: "tokenledger-overlay/1", name: "Acme 2027 plan", rules: [], planning_rates: { EUR: "0.9" } });
    const priced = applyOverlay(catalogue, overlay).catalogue;
    expect(priced.fx?.planning).toEqual({ name: "Acme 2027 plan", per_usd: { EUR: "0.9" } });
    expect(priced.fx?.reference).toEqual(catalogue.fx?.reference);
    use(priced);
    expect(call("FX", "EUR", "2026-04-02")).toBe("0.9");
    expect(() => parseOverlay({ format: "tokenledger-overlay/1", name: "x", rules: [], planning_rates: { USD: "1" } })).toThrow(
      "overlay: planning_rates: no USD rate (1 USD is 1 USD)",
    );
  });

  it("lists the planning currencies when the catalogue has planning rates only", () => {
    use(withRates({ planning: { name: "Acme budget", per_usd: { EUR: "0.9" } } }));
    expect(call("FX", "GBP")).toBe("NA: currency: no rate for GBP; the catalogue knows EUR, USD");
  });

  it("undoes the ECB's quotation: FX(X) × USD per EUR is X per EUR, to 34 digits (property)", () => {
    const rate = fc
      .tuple(fc.integer({ min: 1, max: 10 ** 9 }), fc.integer({ min: 0, max: 6 }))
      .map(([n, k]) => new Dec(n).div(10 ** k).toString());
    fc.assert(
      fc.property(rate, rate, (usd, jpy) => {
        const fx: Fx = { reference: [{ date: "2026-04-01", per_eur: { JPY: jpy, USD: usd } }] };
        const perUsd = usdRate(fx, "JPY", "2026-04-02").perUsd;
        expect(perUsd.times(usd).minus(jpy).abs().lte(new Dec(jpy).times("1e-33"))).toBe(true);
        // EUR per USD is 1 ÷ USD per EUR.
        expect(usdRate(fx, "EUR", "2026-04-01").perUsd.eq(new Dec(1).div(usd))).toBe(true);
      }),
    );
  });

  it("converts a cost: LLMCOST × FX is the euro cost", () => {
    use(ninety());
    // Sonnet 4.6 at 3 / 15 USD per 1M: 1,500 in and 300 out cost 0.009 USD; × 1 ÷ 1.2 = 0.0075 EUR.
    const eur = new Dec(call("LLMCOST", "anthropic/claude-sonnet-4-6", 1500, 300)).times(call("FX", "EUR", "2026-04-02"));
    expect(eur.toSignificantDigits(20).toString()).toBe("0.0075");
  });

  it("answers the same rate for any date between two publications (property)", () => {
    use(withReference(referenceCatalogue().data, importEcb(HISTORY).days));
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1999, 0, 5), max: Date.UTC(2026, 2, 31) }), (ms) => {
        const date = new Date(ms).toISOString().slice(0, 10);
        // 0.7122 ÷ 1.179, the rate of 1999-01-05, holds until 2026-04-01.
        expect(call("FX", "GBP", date)).toBe("0.6040712468193384223918575063613232");
      }),
      { numRuns: 50 },
    );
    // 133.73 ÷ 1.1789 on the ECB's first day; 1 ÷ 1.1789 EUR.
    expect(call("FX", "JPY", "1999-01-04")).toBe("113.4362541352107897192297904826533");
    expect(call("FX", "EUR", "1999-01-04")).toBe("0.8482483671218932903554160658240733");
  });
});

describe("FX's exact fast path", () => {
  it("answers the decimal path's double, its decimal on demand, and its errors (property)", () => {
    // Rates as the ECB writes them (4–6 significant digits), long ones, exponents, and codes a day leaves out.
    const rate = fc.oneof(
      {
        weight: 6,
        arbitrary: fc
          .tuple(fc.integer({ min: 1, max: 10 ** 6 }), fc.integer({ min: 0, max: 4 }))
          .map(([n, k]) => new Dec(n).div(10 ** k).toFixed()),
      },
      {
        weight: 1,
        arbitrary: fc.constantFrom("1.23456789012345678", "9007199254740993", "1e-3", "2.5E2", "0.000000000000000000000001", "1.10"),
      },
    );
    const table = fc.record({ USD: rate, GBP: rate, JPY: rate, CHF: rate }, { requiredKeys: [] }) as fc.Arbitrary<Record<string, string>>;
    const day = (n: number) => new Date(Date.UTC(2026, 0, 1 + n)).toISOString().slice(0, 10);
    const fxArb = fc
      .tuple(fc.uniqueArray(fc.nat(60), { maxLength: 4 }), fc.array(table, { minLength: 4, maxLength: 4 }), fc.option(table))
      .map(
        ([days, tables, planning]): Fx => ({
          ...(days.length ? { reference: days.sort((a, b) => a - b).map((d, i) => ({ date: day(d), per_eur: tables[i] })) } : {}),
          ...(planning
            ? { planning: { name: "Plan", per_usd: Object.fromEntries(Object.entries(planning).filter(([c]) => c !== "USD")) } }
            : {}),
        }),
      );
    const outcome = (f: () => Exact) => {
      try {
        const r = f();
        return { plain: toPlain(r), exact: decimalOf(r).toString() };
      } catch (e) {
        return { error: (e as TlError).message };
      }
    };
    fc.assert(
      fc.property(fxArb, fc.constantFrom("EUR", "USD", "GBP", "JPY", "CHF", "XAU"), fc.integer({ min: -5, max: 70 }), (fx, code, d) => {
        // Twice: the second answer comes from the remembered day and date.
        expect(outcome(() => fxRate(fx, code, day(d)))).toEqual(outcome(() => usdRate(fx, code, day(d)).perUsd));
        expect(outcome(() => fxRate(fx, code, day(d)))).toEqual(outcome(() => usdRate(fx, code, day(d)).perUsd));
      }),
      { numRuns: 3000 },
    );
  });

  it("answers the bench's cases without a Decimal: today, a text date, a date cell", () => {
    use(ninety());
    expect(invoke(FUNCTIONS.FX, ["EUR", null])).toBeInstanceOf(Nearest);
    expect(invoke(FUNCTIONS.FX, ["GBP", "2026-04-02"])).toBeInstanceOf(Nearest);
    // 46117 is 2026-04-05: 2026-04-02's 150 ÷ 1.2, as toString shows from the decimal path.
    const jpy = invoke(FUNCTIONS.FX, ["JPY", 46117]);
    expect(jpy).toBeInstanceOf(Nearest);
    expect(toPlain(jpy)).toBe(125);
    expect(String(jpy)).toBe("125");
  });
});

describe("FX's dates, read once", () => {
  afterEach(() => {
    setDateSystem(1900);
    vi.useRealTimers();
  });

  it("reads a date cell in the workbook's date system, even after the same number in the other", () => {
    use(ninety());
    // 46117 is 2026-04-05 in 1900 (2026-04-02's 0.84 ÷ 1.2) and 2030-04-06 in 1904 (the last, 0.85 ÷ 1.25).
    expect(call("FX", "GBP", 46117)).toBe("0.7");
    setDateSystem(1904);
    expect(call("FX", "GBP", 46117)).toBe("0.68");
    // 2,958,000 is in 9998 in 1900, past 9999-12-31 in 1904.
    setDateSystem(1900);
    expect(call("FX", "GBP", 2_958_000)).toBe("0.68");
    setDateSystem(1904);
    expect(call("FX", "GBP", 2_958_000)).toBe("VALUE: as_of: must be a date (an Excel date or text YYYY-MM-DD)");
  });

  it("takes today's rate, and tomorrow's once the UTC day turns", () => {
    use(ninety());
    vi.useFakeTimers();
    // The last millisecond of Easter Monday 2026-04-06: 2026-04-02's 0.84 ÷ 1.2; from midnight, 2026-04-07's 0.85 ÷ 1.25.
    vi.setSystemTime(new Date("2026-04-06T23:59:59.999Z"));
    expect(call("FX", "GBP")).toBe("0.7");
    vi.setSystemTime(new Date("2026-04-07T00:00:00Z"));
    expect(call("FX", "GBP")).toBe("0.68");
  });
});

describe("rates kept as catalogue data", () => {
  it("merging a newer file keeps the history; a date published again is corrected", () => {
    const merged = withReference(ninety(), importEcb(DAILY).days);
    expect(merged.fx?.reference?.map((d) => d.date)).toEqual(["2026-04-01", "2026-04-02", "2026-04-07", "2026-04-08"]);
    expect(referenceSummary(ninety().fx, importEcb(DAILY).days)).toBe(
      "ECB reference rates: 1 days added, 0 already held; 4 days held, 2026-04-01 to 2026-04-08",
    );
    const corrected = withReference(merged, [{ date: "2026-04-02", per_eur: { USD: "1.25", GBP: "1" } }]);
    expect(corrected.fx?.reference).toHaveLength(4);
    use(corrected);
    // 1 ÷ 1.25.
    expect(call("FX", "GBP", "2026-04-02")).toBe("0.8");
    // 163.84 ÷ 1.28 from the daily file.
    expect(call("FX", "JPY", "2026-04-08")).toBe("128");
  });

  it("pins into a workbook and back, byte-identical, rates and planning rates included", () => {
    const catalogue = withRates({ ...ninety().fx!, planning: { name: "Acme budget", per_usd: { JPY: "150", EUR: "0.9" } } });
    const text = serialise(catalogue);
    const back = deserialise(text);
    expect(back.fx).toEqual({ ...catalogue.fx, planning: { name: "Acme budget", per_usd: { EUR: "0.9", JPY: "150" } } });
    expect(serialise(back)).toBe(text);
    // Currency codes in one order whatever order they were built in.
    expect(serialise(withRates({ ...catalogue.fx, planning: { name: "Acme budget", per_usd: { EUR: "0.9", JPY: "150" } } }))).toBe(text);
  });

  it("a pinned catalogue with broken rates is refused, naming the field", () => {
    const text = serialise(ninety()).replace('"USD":"1.2"', '"USD":"-1.2"');
    expect(() => deserialise(text)).toThrow(/fx\.reference\.1\.per_eur\.USD/);
    const unordered = JSON.stringify(withRates({ reference: [...importEcb(NINETY).days].reverse() }));
    expect(() => deserialise(unordered)).toThrow(/increasing order/);
  });

  it("a price refresh keeps the rates; an organisation's catalogue brings its planning rates", () => {
    const active = ninety();
    const litellm = importFeed("tokenledger", JSON.stringify({ ...referenceCatalogue().data, source: "a price feed" }), {
      today: "2026-06-01",
    });
    expect(propose(active, litellm).catalogue.fx).toEqual(active.fx);
    const org = JSON.stringify({ ...referenceCatalogue().data, fx: { planning: { name: "Acme budget", per_usd: { EUR: "0.9" } } } });
    const proposal = propose(active, importFeed("tokenledger", org, { today: "2026-06-01" }));
    expect(proposal.catalogue.fx).toEqual({ ...active.fx, planning: { name: "Acme budget", per_usd: { EUR: "0.9" } } });
    const broken = JSON.stringify({ ...referenceCatalogue().data, fx: { planning: { name: "x", per_usd: { USD: "1" } } } });
    const refused = importFeed("tokenledger", broken, { today: "2026-06-01" });
    expect(refused.rejected.map((r) => r.entry)).toEqual(["fx"]);
    expect(refused.catalogue.fx).toBeUndefined();
  });

  it("a rates refresh is a proposal with no price change, fetched like any feed (XML allowed)", async () => {
    const active = referenceCatalogue().data;
    const xml = (body: string, type: string) => async () => new Response(body, { headers: { "content-type": type } });
    const outcome = await refreshRates("https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist-90d.xml", active, {
      fetch: xml(NINETY, "text/xml"),
    });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.proposal.summary).toBe("ECB reference rates: 3 days added, 0 already held; 3 days held, 2026-04-01 to 2026-04-07");
    expect(outcome.proposal.diff.changed).toEqual([]);
    expect(outcome.proposal.catalogue.models).toEqual(active.models);
    const refused = await refreshRates("https://www.ecb.europa.eu/x.xml", active, { fetch: xml("<html></html>", "text/html") });
    expect(refused).toEqual({
      ok: false,
      reason:
        "Refreshing from the ECB's euro reference rates failed: www.ecb.europa.eu answered with text/html, not a JSON or XML document; the active catalogue stays in force.",
    });
    expect((await refreshRates("http://www.ecb.europa.eu/x.xml", active)).ok).toBe(false);
  });
});
