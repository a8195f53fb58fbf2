import { REFERENCE_CATALOGUE, referenceCatalogue } from "../../../test/reference";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { FUNCTIONS, invoke } from "@tokenledger/core";
import { Catalogue, setActiveCatalogue } from "@tokenledger/core/catalogue";
import { describe, expect, it } from "vitest";
import { runCatalogCommand } from "../src/catalog";
import { loadCatalogueFile } from "../src/catalogue-file";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const DATA = path.resolve(repoRoot, "../shared/data");
const LITELLM = path.join(DATA, "litellm-model-prices-2026-07-24.json");
const BUNDLED = path.join(repoRoot, "packages/core/src/catalogue/bundled.json");
/** Merged into and compared with: the frozen reference fixture, not the shipped default. */
const CURRENT = ["--catalog", REFERENCE_CATALOGUE];
const dir = mkdtempSync(path.join(tmpdir(), "llmcalc-catalog-"));

async function run(...args: string[]): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await runCatalogCommand(args, (line) => lines.push(line));
  return { code, lines };
}

describe("llmcalc catalog refresh", () => {
  it("merges LiteLLM's map into a catalogue file, prints counts, rejections and the diff, and writes the result", async () => {
    const out = path.join(dir, "litellm.json");
    const { code, lines } = await run("refresh", "--source", "litellm", "--from", LITELLM, ...CURRENT, "--out", out);
    expect(code).toBe(0);
    // Counts as in core's import test (worked out independently over the same file).
    expect(lines).toContain("imported 2,596 models; 329 entries rejected; 59 skipped (no meter prices them)");
    expect(lines).toContain("  rejected anthropic.claude-mythos-preview: input price is 0 (free or unpriced)");
    expect(lines).toContain("  skipped 25 × video_generation (no meter prices it)");
    // LiteLLM lists all 38 reference ids (mapping.json): 38 updated, 20 changed (as in core's refresh test).
    expect(lines.find((l) => l.startsWith("merged into "))).toMatch(/: 38 updated$/);
    expect(lines).toContain("2,558 added, 0 removed, 20 changed (1 by more than ×10), 18 unchanged");
    // o3 in the reference catalogue: 15 / 60 / 7.50; LiteLLM: 2e-06, 8e-06, 5e-07 per token.
    expect(lines.find((l) => l.startsWith("  changed openai/o3:"))).toContain("cache_read 7.50 → 0.5 (-93.33%) ⚠ beyond ×10");
    expect(lines).toContain("0 models the source does not list kept");
    expect(lines).toContain("  kept google/gemini-2.5-pro: cache_storage_hour, batch variant");
    expect(lines.at(-1)).toBe(`written ${out}`);
    const written = Catalogue.parse(JSON.parse(readFileSync(out, "utf8")));
    expect(written.models).toHaveLength(2596);
    expect(written.models.find((m) => m.id === "anthropic/claude-sonnet-4-5")?.prices.input).toBe("3");
  });

  it.each([
    ["openrouter", "openrouter-models-2026-08-01.json", "imported 304 models; 22 entries rejected; 0 skipped (no meter prices them)"],
    ["genai-prices", "genai-prices/data-v2.json", "imported 1,280 models; 0 entries rejected; 186 skipped (no meter prices them)"],
  ])("imports %s", async (source, file, counts) => {
    const { code, lines } = await run(
      "refresh",
      "--source",
      source,
      "--from",
      path.join(DATA, file),
      "--out",
      path.join(dir, `${source}.json`),
    );
    expect(code).toBe(0);
    expect(lines).toContain(counts);
  });

  it("keeps an organisation catalogue's overlay in the file it writes, and --catalog applies it", async () => {
    const overlay = {
      format: "tokenledger-overlay/1",
      name: "Acme negotiated rates",
      rules: [{ provider: "anthropic", discount_percent: "20" }],
    };
    const org = path.join(dir, "org.json");
    writeFileSync(org, JSON.stringify({ ...JSON.parse(readFileSync(REFERENCE_CATALOGUE, "utf8")), version: "acme-1", overlay }));
    const out = path.join(dir, "org-out.json");
    const { code, lines } = await run("refresh", "--source", "url", "--from", org, ...CURRENT, "--out", out);
    expect(code).toBe(0);
    expect(lines).toContain("organisation prices: Acme negotiated rates (1 rule), kept in the written catalogue");
    expect(Catalogue.parse(JSON.parse(readFileSync(out, "utf8"))).overlay).toEqual(overlay);
    try {
      expect(loadCatalogueFile(out)).toBeUndefined();
      // Sonnet 4.6 at 3 / 15 per 1M less 20 % = 2.40 / 12: 1500 × 2.4e-6 + 300 × 12e-6 = 0.0036 + 0.0036.
      expect(String(invoke(FUNCTIONS.LLMCOST, ["anthropic/claude-sonnet-4-6", 1500, 300]))).toBe("0.0072");
    } finally {
      setActiveCatalogue(referenceCatalogue());
    }
  });

  it("refuses a broken source in one sentence, exit code 1, and writes nothing", async () => {
    const cut = path.join(dir, "cut.json");
    writeFileSync(cut, readFileSync(LITELLM, "utf8").slice(0, 1000));
    const out = path.join(dir, "never.json");
    expect(await run("refresh", "--source", "litellm", "--from", cut, "--out", out)).toEqual({
      code: 1,
      lines: [
        "Refreshing from the LiteLLM price map failed: the response ends early (truncated after 1,000 characters); the active catalogue stays in force.",
      ],
    });
    expect(await run("refresh", "--source", "url", "--from", "http://example.com/catalogue.json", "--out", out)).toEqual({
      code: 1,
      lines: [
        "Refreshing from the organisation's catalogue failed: only https addresses are fetched, not “http://example.com/catalogue.json”; the active catalogue stays in force.",
      ],
    });
    expect((await run("refresh", "--source", "litellm", "--from", path.join(dir, "missing.json"), "--out", out)).lines[0]).toMatch(
      /there is no file “.*missing\.json”/,
    );
    expect(() => readFileSync(out)).toThrow();
  });

  it("refreshes a catalogue file in place, source after source, and prunes only when asked", async () => {
    const file = path.join(dir, "in-place.json");
    writeFileSync(file, readFileSync(REFERENCE_CATALOGUE));
    const llmPrices = path.join(dir, "llm-prices-openai.json");
    writeFileSync(llmPrices, readFileSync(path.join(DATA, "llm-prices/openai.json")));
    expect((await run("refresh", "--source", "litellm", "--from", LITELLM, "--catalog", file, "--out", file)).code).toBe(0);
    // One llm-prices vendor file lists only OpenAI models: the reference ids it does not list stay.
    const merged = await run("refresh", "--source", "llm-prices", "--from", llmPrices, "--catalog", file, "--out", file);
    expect(merged.code).toBe(0);
    expect(merged.lines).toContain("  kept groq/llama-3.1-8b (not listed by the source)");
    const written = Catalogue.parse(JSON.parse(readFileSync(file, "utf8")));
    expect(written.models).toHaveLength(2596 + 13); // 33 of the file's 46 models are LiteLLM's too (by canonical id); 13 are new
    expect(written.supplied).toMatchObject({ "simonw/llm-prices": { models: 46 } });
    const pruned = path.join(dir, "pruned.json");
    const prune = await run("refresh", "--source", "llm-prices", "--from", llmPrices, ...CURRENT, "--out", pruned, "--prune");
    expect(prune.code).toBe(0);
    expect(prune.lines).toContain("  removed groq/llama-3.1-8b");
    // The 6 OpenAI reference ids stay, with llm-prices' other 40 OpenAI models.
    expect(Catalogue.parse(JSON.parse(readFileSync(pruned, "utf8"))).models).toHaveLength(46);
  });

  it("refuses a shrunken feed against a catalogue file in one sentence, and leaves the file byte-identical", async () => {
    const file = path.join(dir, "kept-as-is.json");
    await run("refresh", "--source", "litellm", "--from", LITELLM, ...CURRENT, "--out", file);
    const before = readFileSync(file);
    // The first 400 keys of the map: 365 models a meter prices, under half of the 2,596 LiteLLM supplied last time.
    const doc = JSON.parse(readFileSync(LITELLM, "utf8")) as Record<string, unknown>;
    const partial = path.join(dir, "partial.json");
    writeFileSync(partial, JSON.stringify(Object.fromEntries(Object.entries(doc).slice(0, 400))));
    expect(await run("refresh", "--source", "litellm", "--from", partial, "--catalog", file, "--out", file)).toEqual({
      code: 1,
      lines: [
        "Refreshing from the LiteLLM price map failed: the result has only 365 models where the same source supplied 2,596 last time, so it looks incomplete; the active catalogue stays in force.",
      ],
    });
    expect(readFileSync(file).equals(before)).toBe(true);
    const broken = path.join(dir, "broken-current.json");
    writeFileSync(broken, "{}");
    expect((await run("refresh", "--source", "litellm", "--from", LITELLM, "--catalog", broken, "--out", broken)).lines).toEqual([
      `Refreshing from the LiteLLM price map failed: the catalogue ${broken} does not fit TokenLedger's catalogue schema; the active catalogue stays in force.`,
    ]);
    expect(readFileSync(broken, "utf8")).toBe("{}");
  });

  it("answers usage errors with exit code 2", async () => {
    expect((await run()).code).toBe(2);
    expect(await run("refresh", "--source", "litellm", "--from", LITELLM)).toMatchObject({
      code: 2,
      lines: expect.arrayContaining(["refresh needs --source (litellm, openrouter, genai-prices, llm-prices or url), --from and --out"]),
    });
    expect((await run("refresh", "--source", "nope", "--from", LITELLM, "--out", "x")).code).toBe(2);
    expect((await run("refresh", "--source", "litellm", "--from", LITELLM, "--out", "x", "--prune", "yes")).code).toBe(2);
    expect((await run("refresh", "--source", "litellm", "--from", LITELLM, "--out", "x", "--catalog")).code).toBe(2);
  });
});

describe("llmcalc catalog diff", () => {
  it("compares two catalogue files", async () => {
    const out = path.join(dir, "for-diff.json");
    await run("refresh", "--source", "litellm", "--from", LITELLM, ...CURRENT, "--out", out);
    const { code, lines } = await run("diff", REFERENCE_CATALOGUE, out);
    expect(code).toBe(0);
    expect(lines[1]).toBe("2,558 added, 0 removed, 20 changed (1 by more than ×10), 18 unchanged");
    // GPT-5: reference 5.00 / 20.00; LiteLLM 1.25e-06 / 1e-05 per token: −75 % and −50 %.
    expect(lines.find((l) => l.startsWith("  changed openai/gpt-5:"))).toContain("input 5.00 → 1.25 (-75%), output 20.00 → 10 (-50%)");
  });

  it("says why it cannot compare", async () => {
    const { code, lines } = await run("diff", BUNDLED, LITELLM);
    expect(code).toBe(1);
    expect(lines).toEqual([
      `Cannot compare: ${LITELLM}: the response is not a TokenLedger catalogue (its format is not tokenledger-catalogue/1).`,
    ]);
  });
});

describe("llmcalc catalog refresh --source ecb", () => {
  const ECB = path.join(repoRoot, "packages/core/test/fixtures/ecb");

  it("merges the 90-day file, then the daily one, into a catalogue, keeping its prices and the rates held", async () => {
    const reference = path.join(dir, "reference.json");
    writeFileSync(reference, JSON.stringify(referenceCatalogue().data));
    const first = path.join(dir, "rates-1.json");
    const ninety = await run(
      "refresh",
      "--source",
      "ecb",
      "--from",
      path.join(ECB, "eurofxref-hist-90d.xml"),
      "--catalog",
      reference,
      "--out",
      first,
    );
    expect(ninety.code).toBe(0);
    expect(ninety.lines).toContain("ECB reference rates: 3 days added, 0 already held; 3 days held, 2026-04-01 to 2026-04-07");
    const second = path.join(dir, "rates-2.json");
    const daily = await run(
      "refresh",
      "--source",
      "ecb",
      "--from",
      path.join(ECB, "eurofxref-daily.xml"),
      "--catalog",
      first,
      "--out",
      second,
    );
    expect(daily.lines).toContain("ECB reference rates: 1 days added, 0 already held; 4 days held, 2026-04-01 to 2026-04-08");
    expect(daily.lines.at(-1)).toBe(`written ${second}`);
    const written = Catalogue.parse(JSON.parse(readFileSync(second, "utf8")));
    expect(written.models).toEqual(referenceCatalogue().data.models);
    expect(written.fx?.reference?.map((d) => d.date)).toEqual(["2026-04-01", "2026-04-02", "2026-04-07", "2026-04-08"]);
    try {
      expect(loadCatalogueFile(second)).toBeUndefined();
      // 2026-04-06 is Easter Monday: 2026-04-02's 0.84 GBP ÷ 1.2 USD per EUR.
      expect(String(invoke(FUNCTIONS.FX, ["GBP", "2026-04-06"]))).toBe("0.7");
    } finally {
      setActiveCatalogue(referenceCatalogue());
    }
  });

  it("refuses what is not ECB rates and writes nothing", async () => {
    const out = path.join(dir, "never.json");
    const { code, lines } = await run("refresh", "--source", "ecb", "--from", LITELLM, "--out", out);
    expect(code).toBe(1);
    expect(lines).toEqual([
      "Refreshing from the ECB's euro reference rates failed: the response is not ECB reference rates (it has no Cube element); the active catalogue stays in force.",
    ]);
    expect(() => readFileSync(out)).toThrow();
  });
});
