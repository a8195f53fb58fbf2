import { referenceCatalogue } from "./reference";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SOURCES, type SourceKind, importFeed, propose, today } from "../packages/core/src/catalogue";
import { ageInDays, ageText, dayText, sourceText, versionText } from "../addin/src/taskpane/freshness";
import {
  type PaneServer,
  type Route,
  dataDir,
  ensureBuilt,
  launchChromium,
  repoRoot,
  routeOfficeJs,
  startServer,
  testDist,
} from "./taskpane-harness";

/**
 * The task pane end to end, in Chromium, outside Excel (Office.onReady gives host null, which is
 * how the pane runs as a standalone pricing browser): the built dist/ and the catalogue snapshots
 * served over https by a local server, the refresh pipeline fetching from it. Each test has a
 * fresh browser context, so its own empty localStorage.
 */

const SNAPSHOTS: Record<"litellm" | "openrouter" | "genai-prices", string> = {
  litellm: "litellm-model-prices-2026-07-24.json",
  openrouter: "openrouter-models-2026-08-01.json",
  "genai-prices": "genai-prices/data-v2.json",
};
const snapshot = (kind: keyof typeof SNAPSHOTS) => fs.readFileSync(path.join(dataDir, SNAPSHOTS[kind]), "utf8");
const LITELLM = snapshot("litellm");
/** Cut mid-document, as a dropped connection leaves it. */
const TRUNCATED = LITELLM.slice(0, 700_000);

const bundled = referenceCatalogue().data;
const XSS = "<img src=x onerror=alert(1)>";
/** A catalogue in our schema whose strings are markup: they must show as text. */
const XSS_CATALOGUE = {
  ...bundled,
  version: "xss-1",
  source: `Hostile ${XSS}`,
  models: [...bundled.models, { id: "evil/<img/src=x/onerror=alert(1)>", provider: XSS, name: XSS, prices: { input: "1", output: "2" } }],
};
/** An organisation's catalogue in our schema: the bundled one with Sonnet's input price cut from 3 to 2.70. */
const ORG_CATALOGUE = {
  ...bundled,
  version: "acme-2026.08",
  source: "Acme curated catalogue",
  models: bundled.models.map((m) => (m.id === "anthropic/claude-sonnet-4-6" ? { ...m, prices: { ...m.prices, input: "2.70" } } : m)),
};
const OVERLAY = {
  format: "tokenledger-overlay/1",
  name: "Acme negotiated rates",
  rules: [{ provider: "anthropic", discount_percent: "20" }],
};
/** The organisation's catalogue carrying its own negotiated prices: 10 % off Sonnet alone. */
const ORG_WITH_OVERLAY = {
  ...ORG_CATALOGUE,
  overlay: {
    format: "tokenledger-overlay/1",
    name: "Acme rates 2026-08",
    rules: [{ model: "anthropic/claude-sonnet-4-6", discount_percent: "10" }],
  },
};

/** A catalogue written to hurt (issue 13): a price of 10^-20000000, a 10 KB id, a right-to-left override in an id. */
const HOSTILE_CATALOGUE = {
  ...bundled,
  version: "hostile-1",
  models: [
    ...bundled.models,
    { id: "evil/tiny", provider: "evil", name: "tiny", prices: { input: "1e-20000000", output: "1" } },
    { id: `evil/${"m".repeat(10_000)}`, provider: "evil", name: "long", prices: { input: "1", output: "1" } },
    { id: "evil/\u202egnp.exe", provider: "evil", name: "rlo", prices: { input: "1", output: "1" } },
  ],
};

let fetches: string[] = [];
const json =
  (body: unknown): Route =>
  (_req, res) =>
    void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
const ROUTES: Record<string, Route> = {
  "/feed/404": (_req, res) => void res.writeHead(404, { "content-type": "text/plain" }).end("no such feed"),
  "/feed/500": (_req, res) => void res.writeHead(500, { "content-type": "text/plain" }).end("boom"),
  "/feed/not-json": (_req, res) => void res.writeHead(200, { "content-type": "application/json" }).end("Service temporarily unavailable"),
  "/feed/truncated": (_req, res) => void res.writeHead(200, { "content-type": "application/json" }).end(TRUNCATED),
  // A captive portal or login page where JSON was expected.
  "/feed/html": (_req, res) =>
    void res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><html><body>Sign in</body></html>"),
  "/feed/wrong-shape": json({ hello: "world" }),
  // Never answers: the pipeline's time limit must end it.
  "/feed/hang": () => undefined,
  // Declares 60 MB, over the 50 MB limit, and sends nothing: refused on the header alone.
  "/feed/huge": (_req, res) => {
    res.writeHead(200, { "content-type": "application/json", "content-length": String(60_000_000) });
    res.flushHeaders();
  },
  "/feed/xss.json": json(XSS_CATALOGUE),
  "/feed/org.json": json(ORG_CATALOGUE),
  "/feed/overlay.json": json(OVERLAY),
  "/feed/org-overlay.json": json(ORG_WITH_OVERLAY),
  "/feed/hostile.json": json(HOSTILE_CATALOGUE),
};

let server: PaneServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let host: string;
let dialogs: string[];
let pageErrors: string[];

beforeAll(async () => {
  ensureBuilt(testDist);
  const counted = Object.fromEntries(
    Object.entries(ROUTES).map(([p, route]): [string, Route] => [
      p,
      (req, res) => {
        fetches.push(p);
        route(req, res);
      },
    ]),
  );
  server = await startServer(counted, testDist);
  host = new URL(server.origin).host;
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

beforeEach(async () => {
  fetches = [];
  dialogs = [];
  pageErrors = [];
  context = await browser.newContext({ viewport: { width: 350, height: 900 } });
  await routeOfficeJs(context);
  page = await context.newPage();
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on("pageerror", (e) => pageErrors.push(e.message));
  await open();
});

afterEach(async () => {
  expect(pageErrors).toEqual([]);
  expect(dialogs).toEqual([]);
  await context.close();
});

/** The masthead's line for the bundled catalogue (38 models of 15 June 2026), its age counted to today. */
const bundledLine = () => `38 models · prices of 15 Jun 2026, ${ageText(ageInDays("2026-06-15", new Date()))}`;

async function open(): Promise<void> {
  await page.goto(`${server.origin}/taskpane.html`);
  await page.waitForSelector("#grid-body .grid-row[data-id]");
}

const text = (selector: string) => page.locator(selector).innerText();
/** Ids of the table rows in the DOM, top to bottom. */
const rowIds = () => page.$$eval("#grid-body .grid-row[data-id]", (rows) => rows.map((row) => row.getAttribute("data-id")!));
/** Ticks a model for comparison as a user would: search for it, tick it, clear the search. */
async function tick(id: string): Promise<void> {
  await page.fill("#search", id);
  await page.locator(`#grid-body input[aria-label="Compare ${id}"]`).check();
  await page.fill("#search", "");
}

async function refresh(kind: SourceKind, url: string): Promise<void> {
  await page.click("#tab-catalogue");
  await page.selectOption("#refresh-source", kind);
  await page.fill("#refresh-url", url);
  await page.click("#refresh-fetch");
  await page.waitForFunction(() => !document.querySelector<HTMLButtonElement>("#refresh-fetch")!.disabled);
}

/** What CATALOG_INFO shows, label → text. */
async function catalogueInfo(): Promise<Record<string, string>> {
  return page.$$eval("#catalogue-info dd", (dds) => Object.fromEntries(dds.map((dd) => [dd.getAttribute("data-info")!, dd.textContent!])));
}

describe("pricing browser", () => {
  it("lists every model of the bundled catalogue, outside Excel without sheet actions", async () => {
    // shared/reference/catalogue-2026-06.md: 30 hosted models and the 8 release-2 "More entries".
    expect(await text("#model-count")).toBe("38 models");
    expect(await text("#catalogue-line")).toBe(bundledLine());
    // Sorted by id: the first is anthropic/claude-haiku-4-5; 336 px of 36-px rows plus overscan render, not all 30.
    const ids = await rowIds();
    expect(ids[0]).toBe("anthropic/claude-haiku-4-5");
    const row = page.locator('#grid-body .grid-row[data-id="anthropic/claude-sonnet-4-6"] .cell');
    // Sonnet: input 3.00, output 15.00, cache read 0.30, cache write 3.75, 200,000 tokens (reference table).
    // The model's name is its head and tail (cut in the middle when long), over its host.
    expect(await row.allTextContents()).toEqual([
      "",
      "claude-sonnet-4-6anthropic/",
      "3.00",
      "15.00",
      "0.30",
      "3.75",
      "200,000",
      "anthropic",
      "2026-06-15",
      "chat",
    ]);
    // In a plain browser the sheet actions are hidden.
    await tick("anthropic/claude-sonnet-4-6");
    expect(await page.locator("#insert").isVisible()).toBe(false);
    expect(await page.locator("#cost-body button").isVisible()).toBe(false);
    await page.click("#tab-catalogue");
    expect(await page.locator("#pin").isVisible()).toBe(false);
    // The Scenarios tab holds what the scenario builders mount.
    await page.click("#tab-scenarios");
    expect(await page.locator("#panel-prices").isVisible()).toBe(false);
    expect(await page.locator("#panel-scenarios").isVisible()).toBe(true);
    expect(await page.locator("#panel-scenarios").innerText()).not.toBe("");
  });

  it("searches id, name, provider and alias, with . - _ and spaces alike", async () => {
    await page.fill("#search", "llama 3.3");
    // Five hosts serve llama-3.3-70b in the reference catalogue: together, fireworks, deepinfra, bedrock, groq.
    expect(await text("#model-count")).toBe("5 of 38 models");
    expect((await rowIds()).every((id) => id.endsWith("/llama-3.3-70b"))).toBe(true);
    await page.fill("#search", "Claude Sonnet 4.6");
    expect(await rowIds()).toEqual(["anthropic/claude-sonnet-4-6"]);
    await page.fill("#search", "deepseek"); // provider
    expect(await rowIds()).toEqual(["deepseek/deepseek-r1", "deepseek/deepseek-v3"]);
    await page.fill("#search", "no such model");
    expect(await text("#model-count")).toBe("0 of 38 models");
    expect(await text("#grid-body")).toBe("No model matches the search and filters. Show all models");
    await page.check("#filter-batch");
    await page.click("#grid-body button");
    expect(await text("#model-count")).toBe("38 models");
    expect([await page.inputValue("#search"), await page.isChecked("#filter-batch")]).toEqual(["", false]);
  });

  it("filters by provider, cache pricing, reasoning and batch", async () => {
    await page.selectOption("#provider-filter", "anthropic");
    expect(await rowIds()).toEqual([
      "anthropic/claude-haiku-4-5",
      "anthropic/claude-opus-4",
      "anthropic/claude-opus-4-7",
      "anthropic/claude-sonnet-4-6",
    ]);
    await page.selectOption("#provider-filter", "");
    // Cache prices: openai 6, anthropic 4 (with Opus 4.7), google 3, deepseek 2 (reference table) = 15.
    await page.check("#filter-cache");
    expect(await text("#model-count")).toBe("15 of 38 models");
    // Reasoning among those: o3, o3-mini, claude-opus-4, claude-sonnet-4-6, gemini-2.5-pro, deepseek-r1.
    await page.check("#filter-reasoning");
    expect(await text("#model-count")).toBe("6 of 38 models");
    // Batch as well drops deepseek-r1 (off-peak, no batch): 5.
    await page.check("#filter-batch");
    expect(await text("#model-count")).toBe("5 of 38 models");
    expect(await rowIds()).not.toContain("deepseek/deepseek-r1");
  });

  it("takes the keyboard: the rows are one tab stop, arrows and Home/End move through all of them, Space or Enter ticks", async () => {
    const focused = () => page.evaluate(() => document.activeElement!.getAttribute("aria-label") ?? document.activeElement!.id);
    await page.focus("#grid-head .kind button");
    await page.keyboard.press("Tab");
    expect(await focused()).toBe("Compare anthropic/claude-haiku-4-5");
    // The last id A to Z, past the rows rendered at first: End renders it and moves focus there.
    await page.keyboard.press("End");
    expect(await focused()).toBe("Compare xai/grok-3-mini");
    await page.keyboard.press("Space");
    await page.keyboard.press("Home");
    await page.keyboard.press("ArrowDown");
    expect(await focused()).toBe("Compare anthropic/claude-opus-4");
    await page.keyboard.press("Enter");
    expect(await text("#clear-selection")).toBe("Clear selection (2)");
    // One Tab leaves the table for the comparison.
    await page.keyboard.press("Tab");
    expect(await focused()).toBe("shape-input");
  });

  it("sorts on any column, missing values last", async () => {
    const header = (label: string) => page.locator("#grid-head button", { hasText: label });
    // Numbers sort highest first on the first click: output 75 (opus 4), 60 (o3), 25 (opus 4.7).
    await header("Output").click();
    expect((await rowIds()).slice(0, 3)).toEqual(["anthropic/claude-opus-4", "openai/o3", "anthropic/claude-opus-4-7"]);
    expect(await page.getAttribute("#grid-head .output", "aria-sort")).toBe("descending");
    // Again: lowest first: deepinfra/llama-3.1-8b 0.06, groq/llama-3.1-8b 0.08.
    await header("Output").click();
    expect((await rowIds()).slice(0, 2)).toEqual(["deepinfra/llama-3.1-8b", "groq/llama-3.1-8b"]);
    // Cache read, highest first: o3 7.50, claude-opus-4 1.50, then gpt-5 and gpt-4o at 1.25 in catalogue order;
    // the 23 models without one (38 − 15) come last.
    await header("Cache read").click();
    expect((await rowIds()).slice(0, 4)).toEqual(["openai/o3", "anthropic/claude-opus-4", "openai/gpt-5", "openai/gpt-4o"]);
    await page.evaluate(() => {
      const grid = document.getElementById("grid")!;
      grid.scrollTop = grid.scrollHeight;
    });
    await page.waitForFunction(
      () => [...document.querySelectorAll("#grid-body .grid-row[data-id]")].pop()?.querySelector(".cache_read")?.textContent === "—",
    );
    // Provider, A to Z: anthropic first.
    await header("Provider").click();
    expect((await rowIds())[0]).toMatch(/^anthropic\//);
  });
});

/** The comparison's rows: the model's full id (its row header's title), then the cells' texts. */
const costs = async () =>
  page.$$eval("#cost-body tr", (trs) =>
    trs.map((tr) => [tr.querySelector("th")!.title, ...[...tr.querySelectorAll("td:not(.sheet-only)")].map((c) => c.textContent)]),
  );

describe("comparison", () => {
  it("prices the ticked models at the request and a month's volume, exactly, with a titled bar chart", async () => {
    for (const id of ["anthropic/claude-sonnet-4-6", "openai/gpt-4o", "google/gemini-2.5-flash"]) await tick(id);
    // 1,500 in, 300 out, 10,000 requests a month: Sonnet 1500 × 3 + 300 × 15 = 9,000 per 1M → $0.009, × 10,000 = $90;
    // gpt-4o 1500 × 2.5 + 300 × 10 = 6,750 → $0.00675, $67.50; gemini-2.5-flash 1500 × 0.075 + 300 × 0.30 = 202.5
    // → $0.0002025, $2.025 → $2.03 (cents from a dollar up, half up). No padding to a column's longest.
    expect(await costs()).toEqual([
      ["anthropic/claude-sonnet-4-6", "$0.009", "$90.00"],
      ["openai/gpt-4o", "$0.00675", "$67.50"],
      ["google/gemini-2.5-flash", "$0.0002025", "$2.03"],
    ]);
    // The chart is as wide as its card's inside: 350 − 2 × 12 (page) − 2 × 1 (border) − 2 × 12 (card) = 300 px.
    // Bars of the monthly cost scale to the dearest (204 px: 300 less 96 for the values): gpt-4o 67.50 ÷ 90 × 204 = 153.
    const widths = await page.$$eval("#chart rect", (rs) => rs.map((r) => r.getAttribute("width")));
    expect(widths).toEqual(["204.0", "153.0", ((2.025 / 90) * 204).toFixed(1)]);
    // Labelled as the table names them (the model, then its host), under a title; values in the table's format.
    expect(await page.$$eval("#chart text.chart-label", (ts) => ts.map((t) => t.textContent))).toEqual([
      "claude-sonnet-4-6 anthropic",
      "gpt-4o openai",
      "gemini-2.5-flash google",
    ]);
    expect(await page.locator("#chart .chart-title").textContent()).toBe("Cost per month at 10,000 requests");
    expect(await page.$$eval("#chart text.chart-value", (ts) => ts.map((t) => t.textContent))).toEqual(["$90.00", "$67.50", "$2.03"]);

    // 1,000 of the 1,500 cached: Sonnet 500 × 3 + 1000 × 0.30 + 300 × 15 = 6,300 → $0.0063, $63.
    await page.fill("#shape-cached", "1,000");
    expect((await costs())[0]).toEqual(["anthropic/claude-sonnet-4-6", "$0.0063", "$63.00"]);
  });
});

/** The pipeline's own reading of a snapshot against the bundled catalogue, as the pane shows it. */
function expectedSummary(kind: keyof typeof SNAPSHOTS): { line: string; models: number; version: string; source: string } {
  const p = propose(bundled, importFeed(kind, snapshot(kind), { today: today() }));
  return {
    line: `${sourceText(p.catalogue)}, prices of ${dayText(p.catalogue.as_of)}: ${p.summary}.`,
    models: p.catalogue.models.length,
    version: p.catalogue.version,
    source: sourceText(p.catalogue),
  };
}

describe("refresh", () => {
  for (const kind of ["litellm", "openrouter", "genai-prices"] as const) {
    it(`from the ${kind} snapshot: shows the diff, accept makes it active, rollback restores`, async () => {
      const expected = expectedSummary(kind);
      await refresh(kind, `${server.origin}/data/${SNAPSHOTS[kind]}`);
      expect(await text("#proposal-summary")).toBe(expected.line);
      // Every source prices OpenAI's o3 cache reads at 0.50 where the seed's table says 7.50: ×15 down, flagged.
      // (0.5 − 7.5) ÷ 7.5 = −93.33…%. Prices show with at least cents, as in the table.
      const flagged = await text("details.flagged li");
      expect(flagged).toMatch(/^openai\/o3 cache_read: 7\.50 → 0\.50 \(−93\.3%\)$/);
      // Nothing changes before the user accepts.
      expect(await catalogueInfo()).toMatchObject({ version: bundled.version, models: "38" });

      await page.click("#proposal-accept");
      await page.waitForSelector("#proposal", { state: "hidden" });
      expect(await text("#refresh-message")).toBe(
        `Accepted version ${expected.version} (${expected.models.toLocaleString("en-US")} models).`,
      );
      expect(await catalogueInfo()).toMatchObject({
        version: versionText(expected.version),
        models: expected.models.toLocaleString("en-US"),
        pinned: "No",
      });
      expect(await text("#model-count")).toBe(`${expected.models.toLocaleString("en-US")} models`);
      // The history keeps the bundled catalogue it replaced.
      expect(await page.$$eval("#history li strong", (s) => s.map((x) => x.textContent))).toEqual([expected.source, "Bundled"]);

      // A new page (a new workbook) starts with the latest accepted catalogue.
      await open();
      expect(await text("#model-count")).toBe(`${expected.models.toLocaleString("en-US")} models`);

      await page.click("#tab-catalogue");
      await page.click("#history button[data-version]");
      expect(await text("#refresh-message")).toBe("Rolled back.");
      expect(await catalogueInfo()).toMatchObject({ version: bundled.version, models: "38" });
      expect(await page.$$eval("#history li strong", (s) => s.map((x) => x.textContent))).toEqual(["Bundled", expected.source]);
    });
  }

  it("shows all 2,596 LiteLLM models by scrolling, with a bounded number of rows in the DOM", async () => {
    await refresh("litellm", `${server.origin}/data/${SNAPSHOTS.litellm}`);
    await page.click("#proposal-accept");
    await page.click("#tab-prices");
    expect(await text("#model-count")).toBe("2,596 models");
    const ids = propose(bundled, importFeed("litellm", LITELLM, { today: today() })).catalogue.models.map((m) => m.id.toLowerCase());
    const last = ids.reduce((a, b) => (b > a ? b : a));
    await page.evaluate(() => {
      const grid = document.getElementById("grid")!;
      grid.scrollTop = grid.scrollHeight;
    });
    await page.waitForFunction(
      (id) => [...document.querySelectorAll("#grid-body .grid-row[data-id]")].pop()?.getAttribute("data-id")?.toLowerCase() === id,
      last,
    );
    expect((await rowIds()).length).toBeLessThan(40);
    // The scenario builders' model lists, hidden behind their tab during the accept, have every model once it shows.
    const listed = () =>
      page.$$eval("#tl-scenario-ids option", (os, id) => os.filter((o) => o.getAttribute("value")?.toLowerCase() === id).length, last);
    expect(await listed()).toBe(0);
    await page.click("#tab-scenarios");
    expect(await listed()).toBe(1);
  });

  it("from a catalogue in our own schema at any https address", async () => {
    await refresh("tokenledger", `${server.origin}/feed/org.json`);
    // Only Sonnet's input moved: 3.00 → 2.70 is −10 %.
    expect(await text("#proposal-summary")).toBe(
      "Acme curated catalogue, prices of 15 Jun 2026: 38 models; 38 updated, 0 added, 0 removed, 1 changed; 0 not listed by the source kept; 0 entries rejected; 0 skipped (no meter prices them).",
    );
    await page.click("#proposal-details details:nth-child(2) summary");
    expect(await text("#proposal-details details:nth-child(2) > ul > li")).toBe("anthropic/claude-sonnet-4-6\ninput: 3.00 → 2.70 (−10%)");
    await page.click("#proposal-discard");
    expect(await text("#refresh-message")).toBe("Discarded; the catalogue in use has not changed.");
    expect(await catalogueInfo()).toMatchObject({ version: bundled.version });
  });

  describe("failures leave the active catalogue in force, in one sentence", () => {
    const litellm = (what: string) => `Refreshing from the LiteLLM price map failed: ${what}; the active catalogue stays in force.`;
    const cases: [string, SourceKind, string, () => string][] = [
      ["HTTP 404", "litellm", "/feed/404", () => litellm(`${host} answered HTTP 404 Not Found`)],
      ["HTTP 500", "litellm", "/feed/500", () => litellm(`${host} answered HTTP 500 Internal Server Error`)],
      ["not JSON", "litellm", "/feed/not-json", () => litellm("the response is not JSON (it begins “Service temporarily unavailable”)")],
      ["an HTML page", "litellm", "/feed/html", () => litellm(`${host} answered with text/html, not a JSON or XML document`)],
      ["truncated JSON", "litellm", "/feed/truncated", () => litellm("the response ends early (truncated after 700,000 characters)")],
      [
        "the wrong shape",
        "tokenledger",
        "/feed/wrong-shape",
        () =>
          `Refreshing from ${SOURCES.tokenledger.label} failed: the response is not a TokenLedger catalogue (its format is not tokenledger-catalogue/1); the active catalogue stays in force.`,
      ],
      ["too large", "litellm", "/feed/huge", () => litellm("the response is larger than the 50 MB limit")],
    ];
    for (const [name, kind, route, sentence] of cases) {
      it(name, async () => {
        await refresh(kind, `${server.origin}${route}`);
        expect(await text("#refresh-message")).toBe(sentence());
        expect(fetches).toEqual([route]);
        await expectUnchanged();
      });
    }

    it("a server that never answers, past the time limit", async () => {
      await page.click("#tab-catalogue");
      await page.fill("#refresh-timeout", "1");
      await refresh("litellm", `${server.origin}/feed/hang`);
      expect(await text("#refresh-message")).toBe(litellm(`${host} did not answer within 1 s`));
      await expectUnchanged();
    });

    it("a refused connection", async () => {
      const port = await closedPort();
      await refresh("litellm", `https://127.0.0.1:${port}/prices.json`);
      // Chromium says only "Failed to fetch" for every network failure.
      expect(await text("#refresh-message")).toBe(litellm(`127.0.0.1:${port} could not be reached (Failed to fetch)`));
      await expectUnchanged();
    });

    it("an address that is not https is not fetched", async () => {
      const url = `${server.origin.replace("https:", "http:")}/data/${SNAPSHOTS.litellm}`;
      await refresh("litellm", url);
      expect(await text("#refresh-message")).toBe(`Only https addresses are fetched, not “${url}”; nothing was fetched.`);
      expect(fetches).toEqual([]);
    });
  });
});

async function expectUnchanged(): Promise<void> {
  expect(await page.locator("#proposal").isVisible()).toBe(false);
  expect(await catalogueInfo()).toMatchObject({ version: bundled.version, models: "38" });
  expect(await text("#catalogue-line")).toBe(bundledLine());
}

/** A port nothing listens on: one the system just handed out and took back. */
async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe("untrusted strings", () => {
  it("render as text: a model named like markup runs nothing and adds no element", async () => {
    const violations: string[] = [];
    page.on("console", (m) => {
      // office.js's own telemetry frame trips the CSP in a plain browser; anything else is ours.
      if (m.text().includes("Content Security Policy") && !m.location().url.includes("/office-js/")) violations.push(m.text());
    });
    await refresh("tokenledger", `${server.origin}/feed/xss.json`);
    await page.click("details:has-text('Added') summary");
    expect(await text("details:has-text('Added') li")).toBe("evil/<img/src=x/onerror=alert(1)>");
    await page.click("#proposal-accept");
    expect(await catalogueInfo()).toMatchObject({ source: `Hostile ${XSS}` });
    await page.click("#tab-prices");
    await page.fill("#search", "evil");
    const row = page.locator('#grid-body .grid-row[data-id="evil/<img/src=x/onerror=alert(1)>"]');
    expect(await row.locator(".provider").textContent()).toBe(XSS);
    await tick("evil/<img/src=x/onerror=alert(1)>");
    expect(await text("#cost-body th")).toBe("<img/src=x/onerror=alert(1)>\nevil/");
    expect(await page.locator(`#provider-filter option[value="${XSS}"]`).textContent()).toBe(`${XSS} (1)`);
    await page.waitForTimeout(200); // an injected onerror would have fired by now
    expect(await page.locator("img").count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect(violations).toEqual([]);
  });
});

describe("organisation prices", () => {
  it("apply an overlay on top of the public catalogue, marked in the table, and remove it", async () => {
    await page.click("#tab-catalogue");
    await page.fill("#overlay-url", `${server.origin}/feed/overlay.json`);
    await page.click("#overlay-load");
    await page.waitForSelector("#overlay-remove:visible");
    // 20 % off every Anthropic price: Sonnet input 3.00 × 0.8 = 2.40, output 15 × 0.8 = 12.00.
    expect(await text("#overlay-message")).toBe("Applied Acme negotiated rates.");
    expect(await text("#overlay-status")).toBe("Acme negotiated rates: 4 models at negotiated prices (marked in the table).");
    expect(await text("#overlay-badge")).toBe("Acme negotiated rates");
    await page.click("#tab-prices");
    const sonnet = page.locator('#grid-body .grid-row[data-id="anthropic/claude-sonnet-4-6"]');
    expect(await sonnet.locator(".input").textContent()).toBe("2.40");
    expect(await sonnet.locator(".input").getAttribute("class")).toContain("org");
    expect(await page.locator('#grid-body .grid-row[data-id="cohere/command-r"] .input').getAttribute("class")).not.toContain("org");
    // The comparison prices with it: 1500 × 2.40 + 300 × 12 = 7,200 per 1M → $0.0072.
    await tick("anthropic/claude-sonnet-4-6");
    expect(await page.locator("#cost-body td.num").first().innerText()).toBe("$0.0072");
    // Kept in this browser: a new page still applies it.
    await open();
    expect(await page.locator('#grid-body .grid-row[data-id="anthropic/claude-sonnet-4-6"] .input').textContent()).toBe("2.40");

    await page.click("#tab-catalogue");
    await page.click("#overlay-remove");
    expect(await text("#overlay-message")).toBe("Removed the organisation prices.");
    await page.click("#tab-prices");
    expect(await page.locator('#grid-body .grid-row[data-id="anthropic/claude-sonnet-4-6"] .input').textContent()).toBe("3.00");
  });
});

describe("organisation prices in the organisation's catalogue", () => {
  it("apply on accept in place of the overlay kept before, marked in the table", async () => {
    await page.click("#tab-catalogue");
    await page.fill("#overlay-url", `${server.origin}/feed/overlay.json`);
    await page.click("#overlay-load");
    await page.waitForSelector("#overlay-remove:visible");
    await refresh("tokenledger", `${server.origin}/feed/org-overlay.json`);
    // The diff compares the prices paid: the 3 Anthropic models leave the 20 % off, Sonnet to its new 10 % off.
    expect(await text("#proposal-summary")).toBe(
      "Acme curated catalogue, prices of 15 Jun 2026: 38 models; 38 updated, 0 added, 0 removed, 4 changed; 0 not listed by the source kept; 0 entries rejected; 0 skipped (no meter prices them); organisation prices: Acme rates 2026-08.",
    );
    await page.click("#proposal-accept");
    await page.waitForSelector("#proposal", { state: "hidden" });
    expect(await text("#refresh-message")).toBe(
      "Accepted version acme-2026.08 (38 models), with its organisation prices Acme rates 2026-08 in place of Acme negotiated rates.",
    );
    expect(await text("#overlay-status")).toBe("Acme rates 2026-08: 1 models at negotiated prices (marked in the table).");
    await page.click("#tab-prices");
    // Sonnet: the catalogue's 2.70 input less 10 % = 2.43, output 15 less 10 % = 13.50, both marked.
    const sonnet = page.locator('#grid-body .grid-row[data-id="anthropic/claude-sonnet-4-6"]');
    expect([await sonnet.locator(".input").textContent(), await sonnet.locator(".output").textContent()]).toEqual(["2.43", "13.50"]);
    expect(await sonnet.locator(".input").getAttribute("class")).toContain("org");
    // The 20 % off Anthropic it replaced no longer applies: Haiku back at its public 0.80 (reference table), unmarked.
    const haiku = page.locator('#grid-body .grid-row[data-id="anthropic/claude-haiku-4-5"] .input');
    expect(await haiku.textContent()).toBe("0.80");
    expect(await haiku.getAttribute("class")).not.toContain("org");
    // Kept in this browser like any overlay: a new page prices with it.
    await open();
    expect(await page.locator('#grid-body .grid-row[data-id="anthropic/claude-sonnet-4-6"] .input').textContent()).toBe("2.43");
  });
});

describe("saved state written to hurt (issue 13)", () => {
  const POINTER = "tokenledger.catalogue.pointer";
  const INFO = { id: "1", version: "poisoned-1", source: "x", as_of: "2026-06-15", models: 30, accepted_at: "2026-08-01T00:00:00.000Z" };

  it("reopens after a poisoned store: says what it could not read, by key, and accepts again", async () => {
    // What an accept before the fix could leave: a price of 10^-20000000, which took the money
    // formatter 2.4 s per cell; plus a damaged pointer entry and an overlay that is not JSON.
    const poisoned = JSON.stringify(bundled).replace('"input":"3.00"', '"input":"1e-20000000"');
    // The pane keeps strings JSON-encoded under "@tokenledger/" (host.ts): the version as it would
    // write it, the pointer as a bare list (a pointer `[null]` written by something else).
    await page.evaluate(
      ([pointer, version]) => {
        localStorage.setItem("@tokenledger/tokenledger.catalogue.pointer", pointer);
        localStorage.setItem("@tokenledger/tokenledger.catalogue.version.1", version);
        localStorage.setItem("@tokenledger/tokenledger.overlay", "{not json");
      },
      [JSON.stringify([null, INFO]), JSON.stringify(poisoned)],
    );
    await open();
    await page.waitForSelector("#banner:visible"); // the saved state is read after the first render
    const banner = await text("#banner");
    expect(banner).toMatch(
      new RegExp(
        "^The kept organisation prices \\(browser storage key tokenledger\\.overlay\\) could not be read \\(it is not JSON \\(damaged or cut short\\)\\); " +
          `the catalogue history \\(browser storage key ${POINTER.replace(/\./g, "\\.")}\\) has 1 damaged entry, left out; ` +
          "the kept catalogue poisoned-1 \\(browser storage key tokenledger\\.catalogue\\.version\\.1\\) could not be read \\(it is invalid \\(models\\.\\d+\\.prices\\.input: out of range \\(below 10\\^-30 or above 10\\^16\\)\\)\\); " +
          "the bundled catalogue is in use, and what could not be read is left as it is until you replace it\\.$",
      ),
    );
    await expectUnchanged();
    // The history lists what it can read; accepting works and leaves the damaged keys where they were.
    await page.click("#tab-catalogue");
    expect(await page.$$eval("#history li .history-source", (s) => s.map((x) => x.textContent))).toEqual([
      "Prices of 15 Jun 2026 · version poisoned-1",
    ]);
    await refresh("tokenledger", `${server.origin}/feed/org.json`);
    await page.click("#proposal-accept");
    await page.waitForSelector("#proposal", { state: "hidden" });
    expect(await text("#refresh-message")).toBe("Accepted version acme-2026.08 (38 models).");
    expect(await page.evaluate(() => localStorage.getItem("@tokenledger/tokenledger.catalogue.version.1"))).toBe(JSON.stringify(poisoned));
    await open();
    await page.waitForSelector("#banner:visible"); // the overlay is still unreadable: still said
    await page.waitForFunction(() => document.querySelector('#catalogue-info dd[data-info="version"]')?.textContent === "acme-2026.08");
  });

  it("reopens after a hostile accept: the hostile entries were refused with short reasons, the rest in force", async () => {
    await refresh("tokenledger", `${server.origin}/feed/hostile.json`);
    expect(await text("#proposal-summary")).toBe(
      `${bundled.source}, prices of 15 Jun 2026: 38 models; 38 updated, 0 added, 0 removed, 0 changed; 0 not listed by the source kept; 3 entries rejected; 0 skipped (no meter prices them).`,
    );
    const rejected = await page.$$eval("#proposal-details details:last-child li", (li) => li.map((x) => x.textContent ?? ""));
    expect(rejected).toEqual([
      "evil/tinyprices.input: out of range (below 10^-30 or above 10^16)",
      `evil/${"m".repeat(75)}…id: longer than 200 characters`,
      "evil/?gnp.exeid: contains a control, bidi or zero-width character",
    ]);
    await page.click("#proposal-accept");
    await page.waitForSelector("#proposal", { state: "hidden" });
    await open();
    await page.waitForFunction(() => document.querySelector('#catalogue-info dd[data-info="version"]')?.textContent === "hostile-1");
    expect(await page.locator("#banner").isVisible()).toBe(false);
  });
});

/** No part of the page wider than the pane (the model table scrolls sideways inside itself); text in the chart inside it. */
async function expectNoOverflow(): Promise<void> {
  const over = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const wide = [...document.querySelectorAll("body *")].filter((el) => {
      if (el.closest("#grid")) return false;
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.right > width + 0.5;
    });
    return {
      scroll: document.documentElement.scrollWidth - width,
      wide: wide.slice(0, 5).map((el) => el.id || el.getAttribute("class") || el.tagName),
    };
  });
  expect(over).toEqual({ scroll: 0, wide: [] });
}

/** A picture of the pane for the README, into docs/ when UPDATE_DOCS asks (test-results/ otherwise). */
async function shot(name: string): Promise<void> {
  const out = path.join(repoRoot, process.env.UPDATE_DOCS ? "docs" : "test-results", `${name}.png`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  await page.mouse.move(0, 0); // no hover highlight in the picture
  // From the top, or the sticky masthead lands mid-picture.
  await page.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur();
    window.scrollTo(0, 0);
  });
  await page.screenshot({ path: out, fullPage: true });
  expect(fs.statSync(out).size).toBeGreaterThan(10_000);
}

/** Whether the elements matched lie wholly inside the visible box of `within` (its scrollbar excluded). */
async function inView(selector: string, within: string): Promise<boolean[]> {
  return page.$$eval(
    selector,
    (els, within) => {
      const box = document.querySelector(within)!;
      const b = box.getBoundingClientRect();
      const right = b.left + box.clientLeft + box.clientWidth;
      return els.map((el) => {
        const r = el.getBoundingClientRect();
        return r.left >= b.left - 0.5 && r.right <= right + 0.5;
      });
    },
    within,
  );
}

/** The last entry LiteLLM's snapshot has rejected, as the diff lists it. */
const LAST_REJECTED = propose(bundled, importFeed("litellm", LITELLM, { today: today() })).rejected.at(-1)!.entry;

for (const width of [320, 500]) {
  describe(`at ${width} px`, () => {
    beforeEach(async () => {
      await page.setViewportSize({ width, height: 900 });
    });

    it("compares with thinking at an effort or in tokens and a month's volume, amounts whole", async () => {
      for (const id of ["openai/o3", "anthropic/claude-sonnet-4-6", "deepseek/deepseek-v3"]) await tick(id);
      await page.selectOption("#shape-effort", "medium");
      expect(await page.locator("#shape-thinking").isVisible()).toBe(false);
      await page.fill("#shape-requests", "10k");
      // o3 medium = 2,000 thinking tokens (catalogue): 1,500 × 15 + (300 + 2,000) × 60 = 160,500 per 1M → $0.1605; × 10,000 = $1,605.
      // Sonnet medium = 8,000: 1,500 × 3 + 8,300 × 15 = 129,000 → $0.129, $1,290. DeepSeek V3 does not think: 1,500 × 0.27
      // + 300 × 1.10 = 735 → $0.000735, $7.35.
      expect(await costs()).toEqual([
        ["openai/o3", "$0.1605", "$1,605.00"],
        ["anthropic/claude-sonnet-4-6", "$0.129", "$1,290.00"],
        ["deepseek/deepseek-v3", "$0.000735", "$7.35"],
      ]);
      expect(await page.$$eval("#cost-body .note", (ns) => ns.map((n) => n.textContent))).toEqual([
        "+ 2,000 thinking tokens",
        "+ 8,000 thinking tokens",
      ]);
      // Every amount shows whole: no cell cuts its text.
      expect(await page.$$eval("#cost-body td.num", (tds) => tds.every((td) => td.scrollWidth <= td.clientWidth))).toBe(true);
      await expectNoOverflow();
      await shot(`taskpane-compare-${width}`);

      // A count typed instead: o3 1,500 × 15 + 4,300 × 60 = 280,500 → $0.2805, $2,805; Sonnet 1,500 × 3 + 4,300 × 15 = 69,000 → $0.069, $690.
      await page.selectOption("#shape-effort", "tokens");
      await page.fill("#shape-thinking", "4,000");
      expect((await costs()).slice(0, 2)).toEqual([
        ["openai/o3", "$0.2805", "$2,805.00"],
        ["anthropic/claude-sonnet-4-6", "$0.069", "$690.00"],
      ]);
    });

    it("reads 1,500, 1.5k and 2M; a field it cannot read says so beside it and the comparison stays", async () => {
      await tick("anthropic/claude-sonnet-4-6");
      await page.fill("#shape-input", "1.5k");
      await page.fill("#shape-output", "0.3k");
      await page.fill("#shape-requests", "2M");
      // $0.009 a request (above) × 2,000,000 = $18,000.
      expect(await costs()).toEqual([["anthropic/claude-sonnet-4-6", "$0.009", "$18,000.00"]]);
      await page.fill("#shape-output", "lots");
      expect(await text("#shape-output-error")).toBe("Output tokens: a number such as 1,500, 1.5k or 2M, 0 or more.");
      expect(await page.getAttribute("#shape-output", "aria-invalid")).toBe("true");
      expect(await page.locator("#costs").isVisible()).toBe(true);
      expect(await costs()).toEqual([["anthropic/claude-sonnet-4-6", "$0.009", "$18,000.00"]]);
      expect(await text("#shape-stale")).toBe("Showing the last request that could be priced.");
      await page.fill("#shape-cached", "2,000");
      expect(await text("#shape-cached-error")).toBe("Cached tokens are part of the input: at most the input tokens.");
      await expectNoOverflow();
      await page.fill("#shape-output", "300");
      await page.fill("#shape-cached", "1,000");
      // 500 × 3 + 1,000 × 0.30 + 300 × 15 = 6,300 → $0.0063 × 2,000,000 = $12,600.
      expect(await costs()).toEqual([["anthropic/claude-sonnet-4-6", "$0.0063", "$12,600.00"]]);
      expect(await page.locator(".field-error:visible, #shape-stale:visible").count()).toBe(0);
    });

    it("offers off-peak only with a model that has it, and says per row in plain words what is missing", async () => {
      await tick("anthropic/claude-sonnet-4-6");
      const offered = () => page.$$eval("#shape-mode option", (os: HTMLOptionElement[]) => os.filter((o) => !o.hidden).map((o) => o.value));
      expect(await offered()).toEqual(["standard", "batch"]);
      await tick("deepseek/deepseek-v3");
      expect(await offered()).toEqual(["standard", "batch", "offpeak"]);
      await page.selectOption("#shape-mode", "offpeak");
      // DeepSeek V3 off-peak: 1,500 × 0.14 + 300 × 0.55 = 375 per 1M → $0.000375; × 10,000 = $3.75.
      expect(await costs()).toEqual([
        ["anthropic/claude-sonnet-4-6", "No off-peak price"],
        ["deepseek/deepseek-v3", "$0.000375", "$3.75"],
      ]);
      expect(await text("#costs")).not.toMatch(/mode:|variant|offpeak/);
      expect(await page.$$eval("#chart .chart-na", (ts) => ts.map((t) => t.textContent))).toEqual(["No off-peak price"]);
      await expectNoOverflow();
      // Untick DeepSeek: off-peak goes, and the request falls back to standard.
      await page.fill("#search", "deepseek-v3");
      await page.locator('#grid-body input[aria-label="Compare deepseek/deepseek-v3"]').uncheck();
      expect(await offered()).toEqual(["standard", "batch"]);
      expect(await page.inputValue("#shape-mode")).toBe("standard");
      expect(await costs()).toEqual([["anthropic/claude-sonnet-4-6", "$0.009", "$90.00"]]);
    });

    it("with LiteLLM's 2,152 models: a searchable diff that grows, then names cut in the middle, the main prices in view, the table filling the pane", async () => {
      await refresh("litellm", `${server.origin}/data/${SNAPSHOTS.litellm}`);
      const added = page.locator("#proposal-details details", { hasText: "Added" });
      await page.fill("#proposal-find", "claude-3-5-sonnet");
      const found = await added.locator("li").allTextContents();
      expect(found.length).toBeGreaterThan(0);
      expect(found.length).toBeLessThan(2140);
      expect(found.every((id) => id.toLowerCase().includes("claude-3-5-sonnet"))).toBe(true);
      expect(await added.locator(".n").textContent()).toBe(String(found.length));
      await page.fill("#proposal-find", "");
      // The rejections: their list takes most of the pane's height, and its last entry shows whole at the bottom.
      const rejected = page.locator("#proposal-details details", { hasText: "Rejected entries" });
      await rejected.locator("summary").click();
      const list = rejected.locator(":scope > ul");
      expect((await list.boundingBox())!.height).toBeGreaterThan(400);
      await list.evaluate((ul) => ul.scrollTo(0, ul.scrollHeight));
      const last = list.locator(":scope > li").last();
      expect(await last.locator("code").textContent()).toBe(LAST_REJECTED);
      const [ul, li] = [(await list.boundingBox())!, (await last.boundingBox())!];
      expect(li.y + li.height).toBeLessThanOrEqual(ul.y + ul.height + 0.5);
      await expectNoOverflow();

      await page.click("#proposal-accept");
      await page.click("#tab-prices");
      await page.fill("#search", "claude-3-5-sonnet");
      // Hosts list many ids that differ only at the end: the end of each name shows, the middle gives way.
      const tails = await inView("#grid-body .id .model-tail", "#grid");
      expect(tails.length).toBeGreaterThan(5);
      expect(tails.every(Boolean)).toBe(true);
      const cut = await page.$$eval("#grid-body .id", (cells) =>
        cells.map((c) => {
          const tail = c.querySelector(".model-tail")!.getBoundingClientRect();
          return tail.right <= c.getBoundingClientRect().right;
        }),
      );
      expect(cut.every(Boolean)).toBe(true);
      // The model and its main prices without scrolling sideways; from 500 px the cache prices too.
      const columns = ["id", "input", "output", ...(width >= 500 ? ["cache_read", "cache_write"] : [])];
      expect(await inView(columns.map((c) => `#grid-head .cell.${c}`).join(","), "#grid")).toEqual(columns.map(() => true));
      // The provider list takes the whole line: the provider with the most models shows whole once chosen.
      await page.selectOption("#provider-filter", { index: 1 });
      const provider = await page.$eval("#provider-filter", (select: HTMLSelectElement) => {
        const probe = document.createElement("span");
        probe.style.cssText = `position: absolute; white-space: nowrap; font: ${getComputedStyle(select).font}`;
        probe.textContent = select.selectedOptions[0].text;
        document.body.append(probe);
        const needed = probe.getBoundingClientRect().width + 32; // padding and the arrow
        probe.remove();
        return {
          width: select.getBoundingClientRect().width,
          needed,
          line: document.getElementById("search")!.getBoundingClientRect().width,
        };
      });
      expect(provider.width).toBeCloseTo(provider.line, 0);
      expect(provider.width).toBeGreaterThanOrEqual(provider.needed);
      await page.selectOption("#provider-filter", "");
      // The table takes the height the pane leaves: the page ends at the pane's bottom, no empty band below.
      await page.fill("#search", "");
      const grid = (await page.locator("#grid").boundingBox())!;
      expect(grid.height).toBeGreaterThan(400);
      expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeLessThanOrEqual(900);
      expect(grid.y + grid.height).toBeGreaterThan(900 - 80);
      await expectNoOverflow();
      await shot(`taskpane-models-${width}`);
    });

    it("words the catalogue in use, says how old its prices are, and asks for a refresh past 30 days", async () => {
      // 15 June to 10 July 2026 is 25 days: fresh enough.
      await page.clock.setFixedTime(new Date("2026-07-10T12:00:00Z"));
      await open();
      expect(await text("#catalogue-line")).toBe("38 models · prices of 15 Jun 2026, 25 days old");
      expect(await page.locator("#stale-notice").isVisible()).toBe(false);
      await page.click("#tab-catalogue");
      expect(await catalogueInfo()).toEqual({
        source: "Bundled with TokenLedger",
        as_of: "15 Jun 2026 (25 days old)",
        version: bundled.version,
        models: "38",
        pinned: "No",
      });
      expect(await text("#panel-catalogue")).not.toMatch(/seed|tokenledger-overlay|overlay/i);
      await expectNoOverflow();
      // To 10 August is 56 days: the notice shows on every tab, and takes the user to the refresh.
      await page.clock.setFixedTime(new Date("2026-08-10T12:00:00Z"));
      await open();
      expect(await text("#stale-notice")).toBe("These prices are 56 days old: providers change theirs often. Refresh them");
      await page.click("#stale-refresh");
      expect(await page.locator("#panel-catalogue").isVisible()).toBe(true);
      await expectNoOverflow();
      await shot(`taskpane-catalogue-${width}`);
    });

    it("labels the history (Bundled, Roll back to older prices only) and remembers the refresh address", async () => {
      const address = `${server.origin}/feed/org.json`;
      await refresh("tokenledger", address);
      await page.click("#proposal-accept");
      await page.waitForSelector("#proposal", { state: "hidden" });
      const history = () =>
        page.$$eval("#history li", (lis) =>
          lis.map((li) => [
            li.querySelector("strong")!.textContent,
            li.querySelector(".history-when")!.textContent!.split(",")[0],
            li.querySelector("button, .badge")!.textContent,
          ]),
        );
      // The organisation's catalogue and the bundled one carry the same prices date; the bundled one was kept first.
      expect(await history()).toEqual([
        ["Acme curated catalogue", expect.stringMatching(/^Accepted /), "In use"],
        ["Bundled", "Comes with TokenLedger", "Roll back"],
      ]);
      await page.click("#history button[data-version]");
      expect(await text("#refresh-message")).toBe("Rolled back.");
      expect(await history()).toEqual([
        ["Bundled", "Comes with TokenLedger", "In use"],
        ["Acme curated catalogue", expect.stringMatching(/^Accepted /), "Switch to"],
      ]);
      await expectNoOverflow();
      await open();
      await page.click("#tab-catalogue");
      expect([await page.inputValue("#refresh-source"), await page.inputValue("#refresh-url")]).toEqual(["tokenledger", address]);
      // Another source shows its own address until one is typed for it.
      await page.selectOption("#refresh-source", "openrouter");
      expect(await page.inputValue("#refresh-url")).toBe(SOURCES.openrouter.url);
    });

    it("builds scenarios from percents, under names people use", async () => {
      await page.click("#tab-scenarios");
      const labels = await page.$$eval("#panel-scenarios label", (ls) => ls.map((l) => l.textContent!));
      expect(labels.filter((l) => l.includes("_"))).toEqual([]);
      const field = (label: string) => page.locator("#panel-scenarios section", { hasText: "Tornado" }).getByLabel(label, { exact: true });
      // The tornado's MONTHLYCOST example: a 30% cache hit rate and 2% retries, typed as the forecast types them.
      expect(await field("Cache hit rate (%) (optional)").inputValue()).toBe("30");
      expect(await field("Retry rate (%) (optional)").inputValue()).toBe("2");
      // The sensitivity grid over MONTHLYCOST's cache hit rate: 30% ± 50% in quarter steps, in percent.
      const grid = page.locator("#panel-scenarios section", { hasText: "Sensitivity grid" });
      await grid.getByLabel("Function", { exact: true }).selectOption("MONTHLYCOST");
      await grid.getByLabel("Down the rows", { exact: true }).selectOption({ label: "Cache hit rate" });
      expect(await grid.getByLabel("Row values (commas between)", { exact: true }).inputValue()).toBe("15, 22.5, 30, 37.5, 45");
      await expectNoOverflow();
    });
  });
}

describe("screenshot", () => {
  // README's picture is rewritten only on request (UPDATE_DOCS=1), so test runs leave the tree clean.
  it("takes the README's screenshot of the task pane", async () => {
    for (const id of ["anthropic/claude-sonnet-4-6", "openai/gpt-4o", "google/gemini-2.5-flash", "deepseek/deepseek-v3"]) await tick(id);
    await page.fill("#shape-cached", "500");
    await page.evaluate(() => document.getElementById("grid")!.scrollTo(0, 0));
    await shot("taskpane");
  });
});

describe("actuals", () => {
  const exportFile = (name: string) => path.join(repoRoot, "packages/core/test/fixtures/actuals", name);

  it("reads usage exports in the pane, nothing sent anywhere, and reconciles them with what was billed", async () => {
    await page.click("#tab-actuals");
    await page.setInputFiles("#panel-actuals input[type=file]", [exportFile("openai-usage.json"), exportFile("openai-costs.json")]);
    await page.waitForSelector("#panel-actuals table.costs tbody tr");
    const rows = await page.$$eval("#panel-actuals table.costs tbody tr", (trs) =>
      trs.map((tr) => [...tr.children].map((td) => td.textContent)),
    );
    // Worked by hand in packages/core/test/actuals.test.ts: May gpt-4o 3.25 billed 3.25, gpt-4o-mini
    // (batch) 0.27 billed 0.27; June gpt-4o 1.625 billed 1.4625, −0.1625 (a negotiated discount).
    expect(rows).toEqual([
      ["2026-05", "openai/gpt-4o", "3.25", "3.25", "0"],
      ["2026-05", "openai/gpt-4o-mini", "0.27", "0.27", "0"],
      ["2026-06", "openai/gpt-4o", "1.625", "1.4625", "-0.1625"],
    ]);
    // 3.25 + 0.27 + 1.625 computed; 3.25 + 0.27 + 1.4625 billed.
    expect(await text("#panel-actuals")).toContain("9 lines; total cost 5.145, billed 4.9825 USD.");
    // The files were read in the page: no feed or route was fetched.
    expect(fetches).toEqual([]);
  });
});
