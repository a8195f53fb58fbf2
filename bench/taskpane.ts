import fs from "node:fs";
import path from "node:path";
import { type Catalogue, type Model, importFeed, today } from "../packages/core/src/catalogue";
import { dataDir, ensureBuilt, launchChromium, routeOfficeJs, startServer } from "../test/taskpane-harness";
import type { Case } from "./measure";

/**
 * A filter keystroke in the task pane's pricing browser over 3,000 models, in Chromium: the built
 * page loads a 3,000-model catalogue through its own refresh (Catalogue URL, accept), then the
 * page times, with performance.now, setting the search box and its input event through to a
 * forced layout, for each keystroke of typing and erasing a few queries. Each keystroke is timed
 * in several passes and its median kept, so the figure is the slowest keystroke, not the
 * slowest moment of a machine shared with other work.
 */

const MODELS = 3_000;
const PASSES = 7;
const FEEDS = [
  ["litellm", "litellm-model-prices-2026-07-24.json"],
  ["genai-prices", "genai-prices/data-v2.json"],
  ["openrouter", "openrouter-models-2026-08-01.json"],
] as const;

/** LiteLLM's import (2,152 models) topped up to `n` with the other feeds' models under ids not yet taken. */
function catalogueOf(n: number): Catalogue {
  const models = new Map<string, Model>();
  for (const [kind, file] of FEEDS) {
    const imported = importFeed(kind, fs.readFileSync(path.join(dataDir, file), "utf8"), { today: today() }).catalogue;
    for (const m of imported.models) if (models.size < n && !models.has(m.id)) models.set(m.id, m);
  }
  if (models.size < n) throw new Error(`the snapshots hold only ${models.size} distinct models`);
  return {
    format: "tokenledger-catalogue/1",
    version: "bench-3000",
    source: "LiteLLM, genai-prices and OpenRouter snapshots",
    as_of: today(),
    models: [...models.values()],
    hardware: [],
  };
}

/** Each prefix of each query, typed then erased: the keystrokes a user makes. */
const QUERIES = ["claude sonnet", "gpt-4o", "llama 3.3", "gemini flash"];
const KEYSTROKES = QUERIES.flatMap((q) => {
  const typed = Array.from({ length: q.length }, (_, i) => q.slice(0, i + 1));
  return [...typed, ...typed.slice(0, -1).reverse(), ""];
});

/** Per keystroke, the median of its passes, in ms. */
async function keystrokeTimes(): Promise<number[]> {
  ensureBuilt();
  const body = JSON.stringify(catalogueOf(MODELS));
  const server = await startServer({
    "/bench/catalogue.json": (_req, res) => void res.writeHead(200, { "content-type": "application/json" }).end(body),
  });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 350, height: 900 } });
    await routeOfficeJs(page);
    await page.goto(`${server.origin}/taskpane.html`);
    await page.click("#tab-catalogue");
    await page.selectOption("#refresh-source", "tokenledger");
    await page.fill("#refresh-url", `${server.origin}/bench/catalogue.json`);
    await page.click("#refresh-fetch");
    await page.click("#proposal-accept");
    await page.click("#tab-prices");
    await page.waitForFunction(
      (n) => document.getElementById("model-count")?.textContent === `${n.toLocaleString("en-US")} models`,
      MODELS,
    );
    const passes = await page.evaluate(
      ([keystrokes, passes]) => {
        const search = document.getElementById("search") as HTMLInputElement;
        const type = (q: string) => {
          const t = performance.now();
          search.value = q;
          search.dispatchEvent(new Event("input"));
          void document.body.offsetHeight; // style and layout of the new rows count too
          return performance.now() - t;
        };
        keystrokes.forEach(type); // warm-up: the JIT and the style caches
        return Array.from({ length: passes }, () => keystrokes.map(type));
      },
      [KEYSTROKES, PASSES] as const,
    );
    return KEYSTROKES.map((_, k) => median(passes.map((pass) => pass[k])));
  } finally {
    await browser.close();
    await server.close();
  }
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export const taskpaneCases: Case[] = [
  {
    name: "task pane filter keystroke, 3,000 models",
    unit: "ms",
    better: "lower",
    run: async () => {
      const times = await keystrokeTimes();
      return {
        value: Math.max(...times),
        target: 16,
        note: `slowest of ${times.length} keystrokes, each the median of ${PASSES} passes (typical ${median(times).toFixed(1)} ms); Chromium headless, filter + rows + layout`,
      };
    },
  },
];
