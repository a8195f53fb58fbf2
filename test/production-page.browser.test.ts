import fs from "node:fs";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { OFFICE_JS_CDN, OFFICE_JS_CDN_DIR } from "../addin/hosting.js";
import { type PaneServer, dist, ensureBuilt, launchChromium, routeOfficeJs, startServer } from "./taskpane-harness";

/**
 * The production page as Excel would load it: dist/taskpane.html under its own CSP, office.js
 * from the CDN address (answered by a local route with the npm copy, as tests have no internet).
 * Nothing may be refused by the CSP and nothing may throw.
 */

let server: PaneServer;
let browser: Browser;

beforeAll(async () => {
  ensureBuilt();
  server = await startServer();
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

it("loads office.js from the CDN under a CSP that allows exactly its folder, with no page error or CSP refusal", async () => {
  const html = fs.readFileSync(path.join(dist, "taskpane.html"), "utf8");
  expect(html, "dist/ holds a dev build: run `npm run build`").toContain(`<script src=${OFFICE_JS_CDN}>`);
  expect(html).toContain(`script-src 'self' ${OFFICE_JS_CDN_DIR};`);
  expect(fs.existsSync(path.join(dist, "office-js")), "the production build ships no copy of office.js").toBe(false);

  const context = await browser.newContext();
  try {
    const requested = await routeOfficeJs(context);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(`console: ${m.text()}`);
    });
    await page.addInitScript(() =>
      document.addEventListener("securitypolicyviolation", (e) => console.error(`CSP refused ${e.blockedURI} (${e.violatedDirective})`)),
    );
    await page.goto(`${server.origin}/taskpane.html`);
    // The pane renders once Office.onReady has run: office.js loaded and initialised.
    await page.waitForSelector("#grid-body .grid-row[data-id]");
    expect(requested[0]).toBe(OFFICE_JS_CDN);
    expect(problems).toEqual([]);
  } finally {
    await context.close();
  }
});
