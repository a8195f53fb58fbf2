import fs from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { OFFICE_JS_CDN_DIR } from "../addin/hosting.js";
import {
  type PaneServer,
  dist,
  ensureBuilt,
  launchChromium,
  routeOfficeJs,
  routePageWithFunctionsRuntime,
  startServer,
} from "./taskpane-harness";

/**
 * The built functions under office.js's own custom-functions runtime (custom-functions-runtime.js
 * of @microsoft/office-js, loaded from the CDN address under the page's CSP), in Chromium: every
 * id of functions.json is associated, and results come back in the shapes that runtime hands to
 * Excel: spills as rows of primitives with "" for blanks, errors as its CustomFunctionError.
 */

let server: PaneServer;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  ensureBuilt();
  server = await startServer();
  browser = await launchChromium();
  const context = await browser.newContext();
  await routeOfficeJs(context);
  await routePageWithFunctionsRuntime(context, server);
  page = await context.newPage();
  // Loaded beside office.js outside Excel, the runtime makes office.js load its file table twice,
  // which then fails to redefine Office.context: Microsoft's scripts' complaint, not the add-in's.
  page.on("pageerror", (e) => {
    if (!e.stack?.includes(OFFICE_JS_CDN_DIR)) pageErrors.push(e.message);
  });
  await page.goto(`${server.origin}/taskpane.html`);
  await page.waitForSelector("#grid-body .grid-row[data-id]");
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Calls the function office.js associated with `id`, as its invoker does, and answers what it would send Excel. */
function invoke(id: string, ...args: unknown[]): Promise<unknown> {
  return page.evaluate(
    ([id, args]) => {
      const cf = (
        window as unknown as {
          CustomFunctions: { _association: { mappings: Record<string, (...a: unknown[]) => unknown> }; Error: new () => unknown };
        }
      ).CustomFunctions;
      const shape = (v: unknown): unknown =>
        Array.isArray(v) ? v.map(shape) : v instanceof cf.Error ? { error: (v as { toJSON(): unknown }).toJSON() } : v;
      try {
        return shape(cf._association.mappings[id](...(args as unknown[])));
      } catch (e) {
        return { thrown: e instanceof cf.Error ? (e as { toJSON(): unknown }).toJSON() : String(e) };
      }
    },
    [id, args] as const,
  );
}

it("associates every function id of functions.json", async () => {
  const metadata = JSON.parse(fs.readFileSync(path.join(dist, "functions.json"), "utf8")) as { functions: { id: string }[] };
  const associated = await page.evaluate(() =>
    Object.keys((window as unknown as { CustomFunctions: { _association: { mappings: object } } }).CustomFunctions._association.mappings),
  );
  expect(associated.sort()).toEqual(metadata.functions.map((f) => f.id).sort());
  expect(pageErrors).toEqual([]);
});

it("spills blanks as empty text, never null", async () => {
  // Reference fixture prices are not in the build: the shipped catalogue has Mistral Large 2 without cache prices.
  const models = (await invoke("MODELS", "mistral-large", null)) as unknown[][];
  const header = models[0];
  const row = models.find((r) => r[0] === "mistral/mistral-large-2")!;
  expect(row[header.indexOf("cache_read")]).toBe("");
  expect(models.flat().filter((c) => c === null)).toEqual([]);
  // 1000 × (0.7 × 600/1000 + 0.3 × 20/100) = 480, then 390 and 130; the trailing 0 row answers blank.
  expect(await invoke("ALLOCATE", 1000, [[600], [300], [100], [0]], [[20], [60], [20], [0]], null)).toEqual([[480], [390], [130], [""]]);
});

it("answers an error as the runtime's CustomFunctionError, with the code and message Excel shows", async () => {
  expect(await invoke("LLMCOST", "anthropic/claude-sonnet-4-6", -1, 1, null, null, null, null)).toEqual({
    thrown: expect.objectContaining({
      valueType: "CustomFunctionError",
      type: "Error",
      code: "#VALUE!",
      message: "input_tokens: must be ≥ 0",
    }),
  });
});
